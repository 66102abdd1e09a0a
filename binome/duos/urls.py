from binome.duos.views import agreement, board, closure, hub, meetings, plan, supervision

app_name = "duos"
urlpatterns = (
    hub.urlpatterns
    + agreement.urlpatterns
    + plan.urlpatterns
    + meetings.urlpatterns
    + supervision.urlpatterns
    + board.urlpatterns
    + closure.urlpatterns
)

from binome.duos.views import (
    agreement,
    board,
    closure,
    corrections,
    hub,
    meetings,
    plan,
    supervision,
)

app_name = "duos"
urlpatterns = (
    hub.urlpatterns
    + agreement.urlpatterns
    + plan.urlpatterns
    + meetings.urlpatterns
    + supervision.urlpatterns
    + board.urlpatterns
    + closure.urlpatterns
    + corrections.urlpatterns
)

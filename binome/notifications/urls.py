from django.urls import path

from binome.notifications import views

app_name = "notifications"
urlpatterns = [
    path("me/notifications/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

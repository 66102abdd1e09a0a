from django.urls import path

from binome.people import views

app_name = "people"
urlpatterns = [
    path("me/", views.my_space, name="my_space"),
]

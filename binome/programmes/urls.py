from django.urls import path

from binome.programmes import views

app_name = "programmes"
urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("programmes/", views.programme_list, name="list"),
]

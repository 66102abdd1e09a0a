from django.urls import path

from binome.programmes import views

app_name = "programmes"
urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("p/<slug:org_slug>/<slug:programme_slug>/", views.public, name="public"),
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="edit"),
]

from django.urls import path

from binome.resources import views

app_name = "resources"
urlpatterns = [
    path("resources/", views.library, name="library"),
    path("resources/<int:resource_id>/", views.detail, name="detail"),
    path("resources/<int:resource_id>/files/<int:file_id>/", views.file, name="file"),
    path("resources/<int:resource_id>/edit/", views.edit, name="edit"),
    path("resources/<int:resource_id>/upload/", views.upload, name="upload"),
    path("resources/<int:resource_id>/delete/", views.delete, name="delete"),
    path("organisations/<int:organisation_id>/resources/new/", views.create, name="create"),
]

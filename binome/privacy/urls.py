from django.urls import path

from binome.privacy import views

app_name = "privacy"
urlpatterns = [
    path("organisations/<int:organisation_id>/audit/", views.audit_list, name="audit"),
    path(
        "organisations/<int:organisation_id>/audit/export.csv",
        views.audit_export,
        name="audit_export",
    ),
]

from django.urls import path

from binome.privacy import views

app_name = "privacy"
participant = "participants/<int:participant_id>/"
urlpatterns = [
    path("organisations/<int:organisation_id>/audit/", views.audit_list, name="audit"),
    path(
        "organisations/<int:organisation_id>/audit/export.csv",
        views.audit_export,
        name="audit_export",
    ),
    path("organisations/<int:organisation_id>/retention/", views.retention, name="retention"),
    path(
        f"{participant}data.json",
        views.participant_export,
        {"fmt": "json"},
        name="participant_export_json",
    ),
    path(
        f"{participant}data.pdf",
        views.participant_export,
        {"fmt": "pdf"},
        name="participant_export_pdf",
    ),
    path(f"{participant}erase/", views.participant_erase, name="participant_erase"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data.json", views.my_export, {"fmt": "json"}, name="my_export_json"),
    path("me/data.pdf", views.my_export, {"fmt": "pdf"}, name="my_export_pdf"),
]

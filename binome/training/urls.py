from django.urls import path

from binome.training import views

app_name = "training"
urlpatterns = [
    path("training/", views.mine, name="mine"),
    path("training/attestation/", views.my_attestation, name="my_attestation"),
    path("training/modules/<int:module_id>/", views.module, name="module"),
    path("training/modules/<int:module_id>/complete/", views.complete, name="complete"),
    path("training/modules/<int:module_id>/edit/", views.module_edit, name="module_edit"),
    path("training/modules/<int:module_id>/questions/new/", views.question, name="question_add"),
    path(
        "training/modules/<int:module_id>/questions/<int:question_id>/",
        views.question,
        name="question_edit",
    ),
    path(
        "training/modules/<int:module_id>/questions/<int:question_id>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("organisations/<int:organisation_id>/training/", views.catalogue, name="catalogue"),
    path(
        "organisations/<int:organisation_id>/training/new/",
        views.module_create,
        name="module_create",
    ),
    path("programmes/<int:programme_id>/training/<str:role>/", views.path, name="path"),
    path("programmes/<int:programme_id>/skills/", views.skills, name="skills"),
    path("participants/<int:participant_id>/training/", views.person, name="person"),
    path(
        "participants/<int:participant_id>/training/record/",
        views.record_external,
        name="record_external",
    ),
    path(
        "participants/<int:participant_id>/training/skills/",
        views.validate_skills,
        name="validate_skills",
    ),
    path(
        "participants/<int:participant_id>/attestation/",
        views.attestation,
        name="attestation",
    ),
]

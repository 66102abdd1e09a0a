from django.urls import path

from binome.questionnaires import views

app_name = "questionnaires"
urlpatterns = [
    path(
        "programmes/<int:programme_id>/questionnaires/",
        views.programme_questionnaires,
        name="programme",
    ),
    path(
        "programmes/<int:programme_id>/questionnaires/<int:assignment_id>/stop/",
        views.assignment_stop,
        name="assignment_stop",
    ),
    path(
        "organisations/<int:organisation_id>/questionnaires/import/",
        views.questionnaire_import,
        name="import",
    ),
    path("questionnaires/<int:questionnaire_id>/", views.questionnaire_detail, name="detail"),
    path(
        "participants/<int:participant_id>/questionnaires/",
        views.participant_questionnaires,
        name="participant",
    ),
    path("responses/<int:response_id>/", views.enter, name="enter"),
    path("q/<str:token>/", views.answer, name="answer"),
    path("duos/<int:duo_id>/goals/", views.goals, name="goals"),
]

from django.urls import path

from binome.matching import views

app_name = "matching"
urlpatterns = [
    path("programmes/<int:programme_id>/matching/", views.run, name="run"),
    path("programmes/<int:programme_id>/matching/status/", views.status, name="status"),
    path("programmes/<int:programme_id>/matching/settings/", views.settings, name="settings"),
    path(
        "programmes/<int:programme_id>/matching/shortlist/<int:participant_id>/",
        views.shortlist,
        name="shortlist",
    ),
    path(
        "programmes/<int:programme_id>/matching/propose/<int:participant_id>/",
        views.propose,
        name="propose",
    ),
    path("proposals/<int:proposal_id>/", views.proposal, name="proposal"),
    path("proposals/<int:proposal_id>/answer/", views.answer, name="answer"),
    path("me/proposals/", views.my_proposals, name="my_proposals"),
]

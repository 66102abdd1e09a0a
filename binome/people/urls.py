from django.urls import path

from binome.people import views

app_name = "people"
one = "programmes/<int:programme_id>/participants/<int:participant_id>/"
urlpatterns = [
    path("me/", views.my_space, name="my_space"),
    path("me/language/", views.my_language, name="my_language"),
    path("programmes/<int:programme_id>/", views.programme_dashboard, name="programme_dashboard"),
    path("programmes/<int:programme_id>/participants/", views.participant_list, name="list"),
    path(
        "programmes/<int:programme_id>/participants/new/",
        views.participant_create,
        name="create",
    ),
    path(one, views.participant_detail, name="detail"),
    path(f"{one}edit/", views.participant_edit, name="edit"),
    path(f"{one}intake/", views.participant_intake, name="intake"),
    path(f"{one}status/", views.participant_status, name="status"),
    path(f"{one}consents/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(f"{one}invite/", views.participant_invite, name="invite"),
    path(
        f"{one}members/<int:member_id>/invite/",
        views.team_member_invite,
        name="member_invite",
    ),
    path(f"{one}family/new/", views.guardian_create, name="guardian_create"),
    path(f"{one}family/<int:guardian_id>/", views.guardian_edit, name="guardian_edit"),
]

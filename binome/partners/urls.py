from django.urls import path

from binome.partners import views

app_name = "partners"
partner = "partners/<int:partner_id>/"
urlpatterns = [
    path("organisations/<int:organisation_id>/partners/", views.partner_list, name="list"),
    path(
        "organisations/<int:organisation_id>/partners/new/",
        views.partner_create,
        name="create",
    ),
    path(partner, views.partner_detail, name="detail"),
    path(f"{partner}edit/", views.partner_edit, name="edit"),
    path(f"{partner}contacts/new/", views.contact_create, name="contact_create"),
    path(f"{partner}contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path(
        "programmes/<int:programme_id>/participants/<int:participant_id>/refer/",
        views.referral_create,
        name="refer",
    ),
    path("referrals/<int:referral_id>/", views.referral_outcome, name="referral_outcome"),
    path("duos/<int:duo_id>/plan/partners/", views.objective_partner, name="objective_partner"),
]

from django.urls import path

from binome.programmes import views

app_name = "programmes"
urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("p/<slug:org_slug>/<slug:programme_slug>/", views.public, name="public"),
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="edit"),
    path("programmes/<int:programme_id>/editions/", views.edition_list, name="editions"),
    path("programmes/<int:programme_id>/lists/", views.vocabularies, name="vocabularies"),
    path(
        "programmes/<int:programme_id>/lists/<slug:vocabulary>/add/",
        views.vocabulary_add,
        name="vocabulary_add",
    ),
    path("list-items/<int:item_id>/edit/", views.vocabulary_item_edit, name="vocabulary_item_edit"),
    path(
        "list-items/<int:item_id>/action/",
        views.vocabulary_item_action,
        name="vocabulary_item_action",
    ),
    path("editions/<int:edition_id>/edit/", views.edition_edit, name="edition_edit"),
    path(
        "organisations/<int:organisation_id>/settings/",
        views.organisation_settings,
        name="organisation_settings",
    ),
    path(
        "organisations/<int:organisation_id>/members/<int:user_id>/reset-two-step/",
        views.two_factor_reset,
        name="two_factor_reset",
    ),
]

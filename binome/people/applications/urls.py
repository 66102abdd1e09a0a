from django.urls import path

from binome.people.applications import views

app_name = "applications"
urlpatterns = [
    path(
        "p/<slug:org_slug>/<slug:programme_slug>/apply/<slug:role>/",
        views.apply,
        name="apply",
    ),
    path("p/<slug:org_slug>/<slug:programme_slug>/applied/", views.applied, name="applied"),
]

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from binome.accounts.views import home

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Outside the language prefixes: a probe asks for /healthz, nothing else.
    path("", include("binome.ops.urls")),
]
urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("accounts/", include("binome.accounts.urls")),
    path("", include("binome.programmes.urls")),
    path("", include("binome.people.urls")),
    path("", include("binome.people.applications.urls")),
    path("", include("binome.people.importing.urls")),
    path("", include("binome.matching.urls")),
    path("", include("binome.duos.urls")),
    path("", include("binome.notifications.urls")),
    path("", include("binome.partners.urls")),
    path("", include("binome.community.urls")),
    path("", include("binome.resources.urls")),
    path("", include("binome.training.urls")),
    path("", include("binome.questionnaires.urls")),
    path("", include("binome.evaluation.urls")),
    path("", include("binome.privacy.urls")),
    path("admin/", admin.site.urls),
)

handler404 = "binome.core.views.not_found"
handler500 = "binome.core.views.server_error"

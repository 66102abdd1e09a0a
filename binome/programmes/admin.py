from django.contrib import admin

from binome.programmes.models import Organisation, Programme


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "city", "country"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "mode", "applications_open", "listed"]
    list_filter = ["kind", "mode", "applications_open", "listed"]
    search_fields = ["name", "slug", "organisation__name"]
    list_select_related = ["organisation"]

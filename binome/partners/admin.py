"""Read-mostly admin for instance operators; coordinators work in Binôme's own screens.

Referrals are not listed here: their reasons are for the organisation's coordinators.
"""

from django.contrib import admin

from binome.partners.models import Partner, PartnerContact


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "active", "created_at"]
    list_filter = ["kind", "active", "organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation"]
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [PartnerContactInline]

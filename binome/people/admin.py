"""Read-mostly admin for instance operators; coordinators work in Binôme's own screens."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from binome.people.models import Consent, Participant, StatusChange, TeamMember
from binome.people.selectors import phone_hashes


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["user"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Participant | None = None) -> bool:
        # The pipeline is changed through services.participant_set_status only.
        return False


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["purpose", "text", "method", "given_at", "recorded_by", "withdrawn_at"]

    def has_add_permission(self, request: HttpRequest, obj: Participant | None = None) -> bool:
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role", "kind", "status", "programme", "city", "created_at"]
    list_filter = ["role", "kind", "status", "programme__organisation"]
    search_fields = ["first_name", "last_name", "team_name", "email"]
    list_select_related = ["programme"]
    readonly_fields = ["status", "status_changed_at", "interviewed_at", "created_at", "updated_at"]
    raw_id_fields = ["user", "programme"]
    inlines = [TeamMemberInline, ConsentInline, StatusChangeInline]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Participant], search_term: str
    ) -> tuple[QuerySet[Participant], bool]:
        # The phone is encrypted: a number typed in full is found by its keyed hash.
        found, duplicates = super().get_search_results(request, queryset, search_term)
        hashes = phone_hashes(search_term)
        if hashes:
            found |= queryset.filter(phone_hash__in=hashes)
        return found, duplicates

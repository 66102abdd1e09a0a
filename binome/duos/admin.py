"""The Django admin of duos: for the instance's operators (superusers), not for organisations.

Coordinators work in the site's own pages, which apply the organisation's access rules; the admin
is for repairs, so every foreign key is a raw id (no giant drop-downs of people) and the lists
show ids and dates rather than coordinator-only texts.
"""

from django.contrib import admin

from binome.duos.models import (
    Agreement,
    AgreementTemplate,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    FollowUpAnswer,
    Meeting,
    Objective,
    Signature,
    SupervisionNote,
    Visit,
)


@admin.register(Duo)
class DuoAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "programme", "status", "started_on", "planned_end_on"]
    list_filter = ["status", "programme__organisation"]
    search_fields = [
        "mentor__last_name",
        "mentee__last_name",
        "mentor__team_name",
        "mentee__team_name",
    ]
    raw_id_fields = ["mentor", "mentee", "proposal", "coordinator", "closed_by"]
    list_select_related = ["mentor", "mentee", "programme"]
    date_hierarchy = "started_on"


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["programme", "language", "updated_at"]
    list_filter = ["language"]
    raw_id_fields = ["programme", "updated_by"]


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    # Read-only, every one: a signature is evidence. (A tuple: the stubs then let the one value
    # serve as both settings.)
    readonly_fields = ("party", "method", "typed_name", "language", "signed_at")
    fields = readonly_fields
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["duo", "created_at", "frozen_at"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo"]
    # Frozen texts are evidence: shown, never edited here.
    readonly_fields = ["texts", "frozen_at", "text_hash"]
    inlines = [SignatureInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "duo", "status", "due_on", "version"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    list_filter = ["status"]
    raw_id_fields = ["duo"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["duo", "starts_at", "status", "mode", "duration_minutes"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    list_filter = ["status", "mode"]
    raw_id_fields = ["duo", "logged_by"]
    date_hierarchy = "starts_at"


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["duo", "host", "city", "starts_on", "ends_on"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo", "logged_by"]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["duo", "side", "mood", "wants_call", "created_at"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    list_filter = ["side", "mood", "wants_call"]
    raw_id_fields = ["duo", "meeting", "by"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["duo", "kind", "opened_at", "resolved_at"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    list_filter = ["kind"]
    raw_id_fields = ["duo", "resolved_by"]


@admin.register(SupervisionNote)
class SupervisionNoteAdmin(admin.ModelAdmin):
    list_display = ["duo", "kind", "with_side", "at"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo", "by"]


@admin.register(ClosingFeedback)
class ClosingFeedbackAdmin(admin.ModelAdmin):
    list_display = ["duo", "side", "rating", "at"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo", "by"]


class FollowUpAnswerInline(admin.TabularInline):
    model = FollowUpAnswer
    extra = 0


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["duo", "due_on", "created_at"]
    list_select_related = ["duo__mentor", "duo__mentee"]
    raw_id_fields = ["duo"]
    inlines = [FollowUpAnswerInline]

from django.contrib import admin

from binome.matching.models import MatchingSettings, PairRule, Proposal


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "method", "min_language_level", "min_score"]


@admin.register(PairRule)
class PairRuleAdmin(admin.ModelAdmin):
    list_display = ["programme", "mentee", "mentor", "kind", "at"]
    raw_id_fields = ["mentee", "mentor", "by"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["programme", "mentee", "mentor", "score", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["mentee", "mentor", "created_by"]

"""The audit trail in the Django admin: readable by the instance's operators, never changed.

Append-only is also enforced by the database on PostgreSQL (privacy's migration 0001); here the
admin offers no way to add, change or delete an event, superusers included.
"""

from django.contrib import admin
from django.http import HttpRequest

from binome.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "organisation", "target_type", "target_id"]
    list_filter = ["action", "organisation"]
    list_select_related = ["actor", "organisation"]
    date_hierarchy = "at"
    # Every field shown, none editable; detail holds field names, counts and codes only.
    readonly_fields = (
        "at",
        "actor",
        "organisation",
        "action",
        "target_type",
        "target_id",
        "detail",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

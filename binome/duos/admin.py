from django.contrib import admin

from binome.duos.models import Duo


@admin.register(Duo)
class DuoAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "programme", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["mentor", "mentee", "proposal"]
    list_select_related = ["mentor", "mentee", "programme"]

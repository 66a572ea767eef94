"""Read-only admin list of the audit trail."""

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "verb", "actor", "target_type", "target_id"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_id", "actor__email"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "target_type"]
    readonly_fields = ["occurred_at", "actor", "verb", "target_type", "target_id", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

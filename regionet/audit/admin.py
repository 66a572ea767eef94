"""Read-only admin list of the audit trail, each event named in the reader's language."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .labels import verb_label
from .models import AuditEvent


class VerbFilter(admin.SimpleListFilter):
    """The events recorded, by what they mean (the codes stay in the query string)."""

    title = pgettext_lazy("audit trail", "event")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request).order_by().values_list("verb", flat=True).distinct()
        )
        choices = [(code, verb_label(code)) for code in codes]
        return sorted(choices, key=lambda choice: choice[1].lower())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(verb=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "event", "actor", "target_type", "target_id"]
    list_filter = [VerbFilter, "target_type"]
    search_fields = ["verb", "target_id", "actor__email"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "target_type"]
    readonly_fields = ["occurred_at", "actor", "event", "code", "target_type", "target_id", "data"]
    fields = readonly_fields

    @admin.display(description=pgettext_lazy("audit trail", "event"), ordering="verb")
    def event(self, obj):
        return verb_label(obj.verb)

    @admin.display(description=_("event code"))
    def code(self, obj):
        return obj.verb

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

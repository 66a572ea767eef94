"""The outbox in the staff interface: read-only, for administrators (superusers and users
given the notifications permissions), with the action "retry now"."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "email", "language", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["email", "kind", "dedupe_key"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = [
        "kind",
        "recipient",
        "email",
        "language",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "dedupe_key",
        "context",
        "attachments",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("notifications.change_notice")

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        retried = sum(services.retry_notice(notice, by=request.user) for notice in queryset)
        if retried:
            message = ngettext(
                "%(count)d notice will be sent again.",
                "%(count)d notices will be sent again.",
                retried,
            )
            self.message_user(request, message % {"count": retried}, messages.SUCCESS)
        if retried < len(queryset):
            self.message_user(
                request,
                gettext("Notices already sent or switched off are not sent again."),
                messages.WARNING,
            )

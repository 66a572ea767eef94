from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the audit trail says for the codes this app writes (regionet.audit.labels).
AUDIT_VERBS = {
    "notice_preferences.changed": _("Notice preferences changed"),
    "notice.retry_requested": _("Notice resend requested"),
}


class NotificationsConfig(AppConfig):
    name = "regionet.notifications"
    verbose_name = _("Notices")

    def ready(self):
        from regionet.audit.labels import register_verbs

        register_verbs(AUDIT_VERBS)
        # The kinds of this app are registered on import; other apps register theirs in
        # their own ready().
        from . import kinds  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the audit trail says for the codes this app writes (regionet.audit.labels).
AUDIT_VERBS = {
    "event.published": _("Event published"),
    "event.withdrawn": _("Event withdrawn"),
    "event.participants_exported": _("Participant list exported"),
    "event_registration.confirmed": _("Registration confirmed"),
    "event_registration.waiting": _("Registration on the waiting list"),
    "event_registration.promoted": _("Registration moved from the waiting list"),
    "event_registration.cancelled": _("Registration cancelled"),
}


class EventsConfig(AppConfig):
    name = "regionet.events"
    verbose_name = _("Events")

    def ready(self):
        from regionet.audit.labels import register_verbs

        register_verbs(AUDIT_VERBS)

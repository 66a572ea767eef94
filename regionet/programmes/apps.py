from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the audit trail says for the codes this app writes (regionet.audit.labels).
AUDIT_VERBS = {
    "programme.published": _("Programme published"),
    "programme.unpublished": _("Programme unpublished"),
    "call.published": _("Call published"),
    "call.unpublished": _("Call unpublished"),
}


class ProgrammesConfig(AppConfig):
    name = "regionet.programmes"
    verbose_name = _("Programmes and calls")

    def ready(self):
        from regionet.audit.labels import register_verbs

        register_verbs(AUDIT_VERBS)

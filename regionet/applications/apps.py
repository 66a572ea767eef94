from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the audit trail says for the codes this app writes (regionet.audit.labels).
AUDIT_VERBS = {
    "application.started": _("Application started"),
    "application.section_saved": _("Part of the application saved"),
    "application.section_completed": _("Part of the application marked complete or incomplete"),
    "application.partner_added": _("Partner added"),
    "application.partner_removed": _("Partner removed"),
    "application.partner_confirmed": _("Partnership confirmed"),
    "application.partner_sections": _("Partner's editable parts changed"),
    "application.partner_invited_by_email": _("Partner organisation invited by e-mail"),
    "application.partner_invitation_withdrawn": _("Invitation of a partner withdrawn"),
    "application.partner_invitation_accepted": _("Invitation of a partner accepted"),
    "application.attachment_added": _("Attachment added"),
    "application.attachment_removed": _("Attachment removed"),
    "application.submitted": _("Submitted"),
    "application.completion_requested": _("Completion requested"),
    "application.completion_closed": _("Completion request closed"),
    "application.late_admission": _("Late admission granted"),
    "application.withdrawn": _("Withdrawn"),
    "application.screened": _("Eligibility screened"),
    "application.invited_to_full_phase": _("Invited to the full application"),
    "applications.export_requested": _("Export of applications requested"),
    "applications.export_downloaded": _("Export of applications downloaded"),
}


class ApplicationsConfig(AppConfig):
    name = "regionet.applications"
    verbose_name = _("applications")

    def ready(self):
        from regionet.audit.labels import register_verbs

        register_verbs(AUDIT_VERBS)
        # The receipt PDF is attached to the receipt e-mail when the outbox sends it.
        from .receipts import register

        register()

"""Accounts: users, organisations, memberships, invitations and funder roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# What the audit trail says for the codes this app writes (regionet.audit.labels).
AUDIT_VERBS = {
    "organisation.registered": _("Organisation registered"),
    "member.invited": _("Member invited"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.revoked": _("Invitation withdrawn"),
    "member.removed": _("Member removed"),
    "funder_role.granted": _("Funder role granted"),
    "funder_role.revoked": _("Funder role revoked"),
}


class AccountsConfig(AppConfig):
    name = "regionet.accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from regionet.audit.labels import register_verbs

        register_verbs(AUDIT_VERBS)
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            session_limits,  # noqa: F401  (stamps each sign-in in the session)
        )

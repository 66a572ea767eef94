"""Accounts: users, organisations, memberships, invitations and funder roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "regionet.accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)

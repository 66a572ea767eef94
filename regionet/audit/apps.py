"""Audit: the append-only record of state changes that the service doors write."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "regionet.audit"
    verbose_name = _("Audit trail")

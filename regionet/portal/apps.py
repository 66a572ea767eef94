from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "regionet.portal"
    verbose_name = _("Public portal")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)

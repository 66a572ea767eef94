from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "regionet.applications"
    verbose_name = _("applications")

    def ready(self):
        # The receipt PDF is attached to the receipt e-mail when the outbox sends it.
        from .receipts import register

        register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "regionet.notifications"
    verbose_name = _("Notices")

    def ready(self):
        # The kinds of this app are registered on import; other apps register theirs in
        # their own ready().
        from . import kinds  # noqa: F401

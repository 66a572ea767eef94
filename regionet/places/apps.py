"""The places app: reference geography of Finland and Sweden."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "regionet.places"
    verbose_name = _("Places")

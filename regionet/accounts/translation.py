"""Which organisation fields are stored in fi, sv and en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Organisation


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    # Which names are required depends on the country; Organisation.clean() decides.
    fields = ("name",)

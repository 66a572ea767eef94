"""Which place names are stored in fi, sv and en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Country, Municipality, Region, SubRegion


@register(Country)
class CountryTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(SubRegion)
class SubRegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Municipality)
class MunicipalityTranslationOptions(TranslationOptions):
    fields = ("name",)

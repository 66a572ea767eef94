"""What accounts needs from the places app, in one place: countries and current municipalities."""

from django.apps import apps
from django.utils import timezone

from .business_ids import NORMALISERS


def country_model():
    return apps.get_model("places", "Country")


def municipality_model():
    return apps.get_model("places", "Municipality")


def country_code(country) -> str:
    return country.code


def registrable_countries():
    """Countries whose business IDs Regionet can check (Finland, Sweden)."""
    return country_model().objects.filter(code__in=sorted(NORMALISERS)).order_by("code")


def municipality_country_id(municipality):
    return municipality.country_id


def municipality_is_valid(municipality, year: int) -> bool:
    return municipality.is_valid_in(year)


def current_municipalities(country, year: int | None = None):
    """The municipalities of `country` that exist in `year` (this year by default), by name."""
    year = year or timezone.localdate().year
    return (
        municipality_model().objects.filter(country=country).valid_in(year).order_by("name", "code")
    )


def municipality_names(municipality) -> dict[str, str]:
    """The municipality's names by language, for naming a municipality organisation."""
    names = {
        language: getattr(municipality, f"name_{language}", "") or ""
        for language in ("fi", "sv", "en")
    }
    if municipality.country.code == "SE":
        # A Swedish kommun as an organisation goes by its long name ("Ale kommun").
        names["sv"] = municipality.official_name_sv or names["sv"] or municipality.name
    return names

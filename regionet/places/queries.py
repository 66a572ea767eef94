"""Reusable querysets of places for pages and other apps: fixed query counts, any number of rows."""

from django.db.models import Count, Prefetch, QuerySet

from .models import Country, MunicipalityPeriod, Region, valid_in_year


def regions_with_municipality_counts(year: int) -> QuerySet[Region]:
    """Regions valid in ``year``, each with ``municipality_count`` (its municipalities then)."""
    return (
        Region.objects.valid_in(year)
        .annotate(
            municipality_count=Count(
                "municipality_periods",
                filter=valid_in_year(year, "municipality_periods__"),
            )
        )
        .order_by("code")
    )


def countries_with_regions(year: int) -> QuerySet[Country]:
    """Countries with ``regions_in_year``: their regions of ``year`` with municipality counts.

    Two queries, however many regions there are.
    """
    return Country.objects.order_by("code").prefetch_related(
        Prefetch("regions", regions_with_municipality_counts(year), to_attr="regions_in_year")
    )


def municipality_periods_in_region(region: Region, year: int) -> QuerySet[MunicipalityPeriod]:
    """Where each municipality of ``region`` stood in ``year``, with municipality and sub-region.

    A municipality has at most one period in a year, so this is one row per municipality.
    """
    return (
        MunicipalityPeriod.objects.valid_in(year)
        .filter(region=region)
        .select_related("municipality", "sub_region")
        .order_by("municipality__code")
    )


def regions_of_municipalities(year: int, municipalities=None) -> dict[int, Region]:
    """Municipality id → its region in ``year`` (for all, or the given municipalities)."""
    periods = MunicipalityPeriod.objects.valid_in(year).select_related("region")
    if municipalities is not None:
        periods = periods.filter(municipality__in=municipalities)
    return {period.municipality_id: period.region for period in periods}

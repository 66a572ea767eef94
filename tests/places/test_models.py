"""Validity queries and the helpers other apps use: valid_in, in_region, region_in."""

import pytest

from regionet.places import queries
from regionet.places.models import Municipality, Region, SubRegion
from tests.factories import (
    CountryFactory,
    MunicipalityBoundaryFactory,
    MunicipalityFactory,
    MunicipalityPeriodFactory,
    RegionFactory,
    SubRegionFactory,
)

pytestmark = pytest.mark.django_db


def test_valid_in_includes_both_ends_and_open_bounds():
    municipality = MunicipalityFactory(valid_from=2015, valid_until=2020)
    made_up = Municipality.objects.filter(code=municipality.code)
    assert [made_up.valid_in(y).count() for y in (2014, 2015, 2020, 2021)] == [0, 1, 1, 0]
    forever = MunicipalityFactory()
    assert Municipality.objects.filter(pk=forever.pk).valid_in(1900).count() == 1
    assert (municipality.is_valid_in(2015), municipality.is_valid_in(2021)) == (True, False)


def test_in_region_follows_the_periods():
    old, new = RegionFactory(), RegionFactory()
    moved = MunicipalityFactory(period__region=old, period__valid_until=2020)
    MunicipalityPeriodFactory(municipality=moved, region=new, valid_from=2021, valid_until=None)
    assert list(Municipality.objects.in_region(old, 2020)) == [moved]
    assert list(Municipality.objects.in_region(old, 2021)) == []
    assert list(Municipality.objects.in_region(new, 2021)) == [moved]
    assert (moved.region_in(2020), moved.region_in(2021)) == (old, new)


def test_in_region_with_the_real_data():
    pohjois_karjala = Region.objects.get(country__code="FI", code="12")
    assert Municipality.objects.in_region(pohjois_karjala, 2020).count() == 12
    assert Municipality.objects.in_region(pohjois_karjala, 2021).count() == 13
    assert Municipality.objects.filter(country__code="FI").valid_in(2021).count() == 309


def test_region_of_a_municipality_with_prefetched_periods_needs_no_query(
    django_assert_num_queries,
):
    heinavesi = Municipality.objects.prefetch_related("periods__region").get(
        country__code="FI", code="090"
    )
    with django_assert_num_queries(0):
        assert (heinavesi.region_in(2020).code, heinavesi.region_in(2021).code) == ("10", "12")
        assert heinavesi.period_in(2012).region.code == "10"  # before the data: as in 2013


def test_regions_of_municipalities_in_a_year(django_assert_num_queries):
    moved = Municipality.objects.filter(
        country__code="FI", code__in=["090", "142", "152", "171", "291"]
    )
    with django_assert_num_queries(1):
        before = queries.regions_of_municipalities(2020, moved)
    after = queries.regions_of_municipalities(2021, moved)
    by_code = {m.code: m.pk for m in moved}
    assert {code: before[pk].code for code, pk in by_code.items()} == {
        "090": "10", "142": "08", "152": "15", "171": "10", "291": "13",
    }  # fmt: skip
    assert {code: after[pk].code for code, pk in by_code.items()} == {
        "090": "12", "142": "07", "152": "14", "171": "11", "291": "06",
    }  # fmt: skip
    assert len(queries.regions_of_municipalities(2025)) == 308 + 290


def test_regions_with_municipality_counts():
    counts = {
        (r.country.code, r.code): r.municipality_count
        for r in queries.regions_with_municipality_counts(2021).select_related("country")
    }
    assert counts[("FI", "12")] == 13
    assert counts[("FI", "21")] == 16
    assert counts[("SE", "14")] == 49
    assert sum(counts.values()) == 309 + 290


def test_factories_make_a_consistent_place():
    sweden = CountryFactory(code="SE")
    assert sweden.name_sv == "Sverige"  # the imported country, not a new one
    municipality = MunicipalityFactory(country=sweden)
    period = municipality.periods.get()
    assert (period.region.country, period.region.kind) == (sweden, Region.Kind.LAN)
    assert municipality.region_in(2021) == period.region
    sub_region = SubRegionFactory()
    assert isinstance(sub_region, SubRegion)
    assert sub_region.region.country.code == "FI"
    boundary = MunicipalityBoundaryFactory()
    assert boundary.geometry["type"] == "Polygon"
    assert boundary.municipality.periods.count() == 1

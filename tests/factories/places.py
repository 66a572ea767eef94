"""Factories for places: made-up regions and municipalities beside the imported real ones.

The test database already holds the real geography (tests/conftest.py), so these factories
use codes no real place has ("T001") and reuse the real Finland and Sweden by their code.
``MunicipalityFactory`` also makes the municipality's one period; choose its region with
``MunicipalityFactory(period__region=region)``.
"""

import factory

from regionet.places.models import (
    Country,
    Municipality,
    MunicipalityBoundary,
    MunicipalityPeriod,
    Region,
    SubRegion,
)

__all__ = [
    "CountryFactory",
    "MunicipalityBoundaryFactory",
    "MunicipalityFactory",
    "MunicipalityPeriodFactory",
    "RegionFactory",
    "SubRegionFactory",
]


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "FI"
    name_fi = factory.LazyAttribute(lambda o: f"Maa {o.code}")
    name_sv = factory.LazyAttribute(lambda o: f"Land {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Country {o.code}")
    time_zone = factory.LazyAttribute(
        lambda o: "Europe/Stockholm" if o.code == "SE" else "Europe/Helsinki"
    )


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"T{n:02d}")
    kind = factory.LazyAttribute(
        lambda o: Region.Kind.LAN if o.country.code == "SE" else Region.Kind.MAAKUNTA
    )
    name_fi = factory.Sequence(lambda n: f"Testimaakunta {n}")
    name_sv = factory.Sequence(lambda n: f"Testlandskap {n}")
    name_en = factory.Sequence(lambda n: f"Test region {n}")


class SubRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubRegion

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    statfi_code = factory.LazyAttribute(lambda o: f"SK{o.code}")
    name_fi = factory.Sequence(lambda n: f"Testiseutukunta {n}")
    name_sv = factory.Sequence(lambda n: f"Testekonomisk region {n}")
    name_en = factory.Sequence(lambda n: f"Test sub-region {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        skip_postgeneration_save = True

    country = factory.SubFactory(CountryFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name_fi = factory.Sequence(lambda n: f"Testikunta {n}")
    name_sv = factory.Sequence(lambda n: f"Testkommun {n}")
    name_en = factory.Sequence(lambda n: f"Test municipality {n}")
    valid_from = None
    valid_until = None
    period = factory.RelatedFactory(
        "tests.factories.places.MunicipalityPeriodFactory", factory_related_name="municipality"
    )


class MunicipalityPeriodFactory(factory.django.DjangoModelFactory):
    """A period spanning its municipality's validity, in a new region of its country."""

    class Meta:
        model = MunicipalityPeriod

    municipality = factory.SubFactory(MunicipalityFactory, period=None)
    valid_from = factory.LazyAttribute(lambda o: o.municipality.valid_from)
    valid_until = factory.LazyAttribute(lambda o: o.municipality.valid_until)
    region = factory.SubFactory(
        RegionFactory, country=factory.SelfAttribute("..municipality.country")
    )
    sub_region = None
    urban_rural_group = None
    language_status = None


class MunicipalityBoundaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalityBoundary

    municipality = factory.SubFactory(MunicipalityFactory)
    source = factory.Sequence(lambda n: f"test/layer_{n}.geojson")
    valid_from = factory.LazyAttribute(lambda o: o.municipality.valid_from)
    valid_until = factory.LazyAttribute(lambda o: o.municipality.valid_until)
    geometry = factory.LazyFunction(
        lambda: {"type": "Polygon", "coordinates": [[[25, 60], [25.1, 60], [25, 60.1], [25, 60]]]}
    )

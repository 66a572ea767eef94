"""The officers' exports: exact CSV, readable XLSX, progress, failure, the pages and the task."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse as django_reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from regionet.applications import exports
from regionet.applications.models import Application, ApplicationState, BudgetRow, Export, Screening
from regionet.applications.services import (
    request_completion,
    screen_application,
    withdraw_application,
)
from regionet.applications.tasks import export_applications
from regionet.places.queries import regions_of_municipalities
from tests.applications.test_queries import officer_of, other_municipalities, submitted
from tests.factories import OrganisationFactory, open_phase

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


def reverse(name, **kwargs):
    with translation.override("en"):
        return django_reverse(name, kwargs=kwargs)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Export files go to the test's own folder, not to var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def phase():
    return open_phase(closes_in=timedelta(days=7))


@pytest.fixture
def officer(phase):
    return officer_of(phase.call.programme.funder)


def queued(phase, officer, format="csv", language="en", **filters) -> Export:
    return Export.objects.create(
        phase=phase,
        requested_by=officer,
        format=format,
        filters=filters,
        language=language,
    )


def content_of(export) -> bytes:
    export.refresh_from_db()
    with export.file.open("rb") as file:
        return file.read()


def expected_row(application, language="en", **changes) -> list[str]:
    """The CSV row of ``application`` as the export should write it."""
    with translation.override(language):
        municipalities = sorted(application.municipalities.all(), key=lambda m: (str(m), m.pk))
        year = application.phase.closes_at.astimezone(HELSINKI).year
        regions = regions_of_municipalities(year, municipalities)
        region_names = sorted({str(regions[m.pk]) for m in municipalities}, key=str.lower)
        partners = [str(p.organisation) for p in application.partners.all()]
        row = {
            "record_number": application.record_number,
            "title": application.title,
            "coordinator": str(application.coordinator),
            "business_id": application.coordinator.business_id,
            "instrument": str(application.instrument),
            "theme": "",
            "zone": "",
            "municipality_count": "4",
            "municipalities": ", ".join(str(m) for m in municipalities),
            "region_count": "2",
            "regions": ", ".join(region_names),
            "partners": ", ".join(partners),
            "aid": "80000.00",
            "costs": "100000.00",
            "state": "submitted",
            "screening": "not screened",
            "received": application.first_submitted_at.astimezone(HELSINKI).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "late": "no",
        }
    row.update(changes)
    return list(row.values())


HEADINGS = [
    "Record number",
    "Title",
    "Coordinator",
    "Business ID",
    "Instrument",
    "Theme",
    "Zone",
    "Number of municipalities",
    "Municipalities",
    "Number of regions",
    "Regions",
    "Partners",
    "Aid requested",
    "Total costs",
    "State",
    "Eligibility screening",
    "Received (Finnish time)",
    "Submitted late with an admission",
]


def test_csv_of_two_applications_exactly(phase, officer):
    first = submitted(phase, minute=1, title="Vetytalouden verkosto")
    second = submitted(phase, minute=2, title='=HYPERLINK("http://x")')
    screen_application(second, Screening.ELIGIBLE, by=officer)
    export = queued(phase, officer)
    exports.write_export(export.pk)
    export.refresh_from_db()
    assert (export.state, export.total, export.done, export.error) == ("done", 2, 2, "")
    content = content_of(export)
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel looks for
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=","))
    assert rows == [
        HEADINGS,
        expected_row(first),
        expected_row(second, title='\'=HYPERLINK("http://x")', screening="eligible"),
    ]
    assert content.decode("utf-8-sig").count("\r\n") == 3


def test_an_export_has_what_was_received_not_the_draft_being_completed(phase, officer):
    application = submitted(phase, minute=1, title="Vetytalouden verkosto")
    received = expected_row(application, state="completion requested")
    request_completion(
        application,
        items=["basics", "partners", "municipalities", "budget", "financing"],
        closes_at=timezone.now() + timedelta(days=3),
        by=officer,
    )
    # The applicant's unsubmitted changes.
    Application.objects.filter(pk=application.pk).update(
        title="Aurinkoenergian verkosto", aid_requested=Decimal("1.00")
    )
    application.municipalities.set(other_municipalities()[0])
    application.partners.all().delete()
    BudgetRow.objects.filter(application=application).update(amount=Decimal("1.00"))
    export = queued(phase, officer)
    exports.write_export(export.pk)
    rows = list(csv.reader(io.StringIO(content_of(export).decode("utf-8-sig")), delimiter=","))
    assert rows == [HEADINGS, received]
    export = queued(phase, officer, format="xlsx")
    exports.write_export(export.pk)
    (values,) = load_workbook(io.BytesIO(content_of(export))).active.iter_rows(
        min_row=2, values_only=True
    )
    assert [values[i] for i in (1, 7, 8, 11, 12, 13)] == [
        "Vetytalouden verkosto",
        4,
        received[8],
        received[11],
        80000,
        100000,
    ]


def test_csv_follows_the_filters_and_the_language(phase, officer):
    kept = submitted(phase, minute=1)
    withdrawn = submitted(phase, minute=2)
    withdraw_application(withdrawn, by=withdrawn.created_by)
    export = queued(phase, officer, language="sv", state="withdrawn")
    exports.write_export(export.pk)
    rows = list(csv.reader(io.StringIO(content_of(export).decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [withdrawn.record_number]
    assert rows[1][8] == expected_row(withdrawn, language="sv")[8]
    assert kept.record_number not in str(rows)
    # Swedish names of the Finnish municipalities (e.g. "Helsingfors", not "Helsinki").
    with translation.override("sv"):
        names = {str(m) for m in withdrawn.municipalities.all()}
    with translation.override("fi"):
        assert names != {str(m) for m in withdrawn.municipalities.all()}


def test_xlsx_is_readable_with_numbers_and_times(phase, officer):
    application = submitted(phase, minute=1, title="=1+1")
    export = queued(phase, officer, format="xlsx")
    exports.write_export(export.pk)
    workbook = load_workbook(io.BytesIO(content_of(export)))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert rows[1][0] == application.record_number
    assert rows[1][1] == "=1+1"
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, not a formula
    assert rows[1][7] == 4 and rows[1][9] == 2
    assert (rows[1][12], rows[1][13]) == (80000, 100000)
    assert sheet.cell(row=2, column=13).number_format == "#,##0.00"
    received = application.first_submitted_at.astimezone(HELSINKI).replace(tzinfo=None)
    assert rows[1][16] == received
    assert sheet.cell(row=2, column=17).number_format == "yyyy-mm-dd hh:mm"


def test_progress_is_counted_every_step(phase, officer, monkeypatch):
    for minute in range(3):
        submitted(phase, minute=minute)
    monkeypatch.setattr(exports, "PROGRESS_STEP", 2)
    seen = []
    original = exports._progress

    def recording(export, **fields):
        seen.append({k: v for k, v in fields.items() if k in ("state", "total", "done")})
        original(export, **fields)

    monkeypatch.setattr(exports, "_progress", recording)
    exports.write_export(queued(phase, officer).pk)
    assert seen == [
        {"state": "running", "done": 0},
        {"total": 3},
        {"done": 2},
        {"state": "done", "done": 3},
    ]


def test_a_failure_is_kept_on_the_export(phase, officer, monkeypatch):
    submitted(phase, minute=1)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "row", broken)
    export = queued(phase, officer)
    exports.write_export(export.pk)
    export.refresh_from_db()
    assert (export.state, export.error, bool(export.file)) == ("failed", "disk full", False)
    assert export.finished_at is not None


def test_the_task_writes_a_queued_export_once(phase, officer, tmp_path):
    submitted(phase, minute=1)
    export = queued(phase, officer)
    export_applications.enqueue(str(export.pk))
    export.refresh_from_db()
    assert export.state == "done"
    name = export.file.name
    export_applications.enqueue(str(export.pk))  # a second run leaves it as it is
    export.refresh_from_db()
    assert export.file.name == name == f"exports/{export.pk}.csv"
    assert export.file.path.startswith(str(tmp_path))


# --- Through the pages -------------------------------------------------------------------


def test_export_button_keeps_the_filters_and_downloads(
    client, phase, officer, django_capture_on_commit_callbacks
):
    submitted(phase, minute=1)
    withdrawn = submitted(phase, minute=2)
    withdraw_application(withdrawn, by=withdrawn.created_by)
    client.force_login(officer)
    url = reverse("workspace:create_export", pk=phase.pk) + "?state=withdrawn&page=2&bogus=1"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "csv"})
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:export", pk=export.pk)
    assert (export.filters, export.language, export.format, export.state) == (
        {"state": "withdrawn"},
        "en",
        "csv",
        "done",
    )
    page = client.get(response["Location"]).content.decode()
    download = reverse("workspace:export_download", pk=export.pk)
    assert f'<a href="{download}">Download the CSV file</a>' in page
    assert "hx-trigger" not in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    stamp = export.created_at.astimezone(HELSINKI).strftime("%Y%m%d-%H%M")
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-{phase.pk}-{stamp}.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")), delimiter=","))
    assert [row[0] for row in rows[1:]] == [withdrawn.record_number]


def test_progress_page_polls_until_done(client, phase, officer):
    export = queued(phase, officer, format="xlsx")
    Export.objects.filter(pk=export.pk).update(state="running", total=400, done=120)
    colleague = officer_of(phase.call.programme.funder)
    client.force_login(colleague)  # any officer of the funder may follow it
    url = reverse("workspace:export", pk=export.pk)
    page = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert '<progress id="export-progress-bar" max="400" value="120">' in page
    assert "120 of 400 applications" in page
    assert f'<a href="{url}">Refresh the page</a>' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="export-progress" hx-get=')
    assert "<html" not in partial
    assert client.get(reverse("workspace:export_download", pk=export.pk)).status_code == 404


def test_a_failed_export_says_so(client, phase, officer):
    export = queued(phase, officer)
    Export.objects.filter(pk=export.pk).update(state="failed", error="disk full")
    client.force_login(officer)
    page = client.get(reverse("workspace:export", pk=export.pk)).content.decode()
    assert "<code>disk full</code>" in page
    assert "hx-trigger" not in page


@pytest.mark.parametrize(
    ("language", "separator", "amounts"),
    [
        ("fi", ";", ";79999,50;100000,00;"),
        ("sv", ";", ";79999,50;100000,00;"),
        ("en", ",", ",79999.50,100000.00,"),
    ],
)
def test_csv_writes_amounts_as_the_languages_spreadsheet_reads_them(
    phase, officer, language, separator, amounts
):
    """Excel and LibreOffice in Finnish and Swedish split at semicolons and read "79999,50"
    as a number; in English they split at commas and read "79999.50"."""
    application = submitted(phase, minute=1, aid="79999.50")
    export = queued(phase, officer, language=language)
    exports.write_export(export.pk)
    lines = content_of(export).decode("utf-8-sig").split("\r\n")
    with translation.override(language):
        headings = exports.headings("Europe/Helsinki")
        words = {
            "state": str(ApplicationState.SUBMITTED.label),
            "screening": str(Screening.UNSCREENED.label),
            "late": gettext("no"),
        }
    aid, costs = amounts.strip(separator).split(separator)
    cells = expected_row(application, language, aid=aid, costs=costs, **words)

    def quoted(cell: str) -> str:
        return f'"{cell}"' if separator in cell else cell

    assert lines == [
        separator.join(quoted(heading) for heading in headings),
        separator.join(quoted(cell) for cell in cells),
        "",
    ]
    assert amounts in lines[1]


def test_an_organisation_named_like_a_formula_stays_text(phase, officer):
    submitted(phase, minute=1, coordinator=OrganisationFactory(name_fi="@Kehitys Oy", name_en=""))
    export = queued(phase, officer, language="fi")
    exports.write_export(export.pk)
    rows = list(csv.reader(io.StringIO(content_of(export).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == "'@Kehitys Oy"


def test_the_officer_is_told_when_the_file_is_ready(
    phase, officer, django_capture_on_commit_callbacks
):
    submitted(phase, minute=1, title="Vetytalouden verkosto")
    export = queued(phase, officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        exports.write_export(export.pk)
    (message,) = mail.outbox
    assert message.to == [officer.email]
    with translation.override(officer.preferred_language):
        page = django_reverse("workspace:export", kwargs={"pk": export.pk})
    assert f"http://127.0.0.1:8000{page}" in message.body

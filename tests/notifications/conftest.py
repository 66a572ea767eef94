"""Fixtures of the notices tests: the instant of the 2021 submission, its receipt context, a
mail server that fails, and a way to run the on-commit callbacks."""

from datetime import UTC, datetime

import pytest

from regionet.notifications import attachments

# The Finnish full-application phase closed 2.6.2021 16:15 Finnish time (13:15 UTC).
SUBMITTED = datetime(2021, 6, 2, 13, 15, tzinfo=UTC)

RECEIPT_CONTEXT = {
    "application_title": "Vetovoimaiset seutukaupungit",
    "record_number": "VN/1234/2021",
    "call_name": {
        "fi": "Alueiden välinen verkostoyhteistyö 2021–2023",
        "sv": "Regionernas samarbetsnätverk 2021–2023",
        "en": "Networks between regions 2021–2023",
    },
    "url": "https://regionet.example/applications/7/",
    "received_at": "2021-06-02T13:14:59.250000+00:00",
    "time_zone": "Europe/Helsinki",
    "organisation_name": "Seutukaupunkien kehitysyhtiö Oy",
}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit(): ...` runs the on-commit callbacks (the sending tasks) on leaving."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FailingBackend"


@pytest.fixture
def receipt_pdf(monkeypatch):
    """A registered generator "test.receipt_pdf" that notes each call in ``.calls``."""

    def generate(notice, *, application):
        generate.calls.append((notice.pk, application))
        return f"receipt-{application}.pdf", b"%PDF-1.7 receipt", "application/pdf"

    generate.calls = []
    monkeypatch.setitem(attachments._GENERATORS, "test.receipt_pdf", generate)
    return generate

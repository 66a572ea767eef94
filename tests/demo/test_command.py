"""`regionet demo HOST:PORT`: e-mail sent while it serves links to where it runs (issue 11,
item 20)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from regionet.applications import services as applications
from regionet.demo import services
from regionet.demo.management.commands import demo as demo_command
from tests.factories import eligible_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def serving(settings, monkeypatch):
    """Runs the command without its data and server: at the server's start, a receipt notice
    is sent as the demo would send it; returns what was mailed and the site URL then."""
    # Set through the fixture, so that what the command sets is undone after the test.
    settings.REGIONET_SITE_URL = "http://127.0.0.1:8000"
    settings.DEBUG = True  # the demo runs in debug mode only
    monkeypatch.delenv("REGIONET_SITE_URL", raising=False)
    monkeypatch.setattr(services, "places_missing", lambda: False)
    monkeypatch.setattr(services, "load_demo", lambda: False)
    served = {}
    real_call_command = demo_command.call_command

    def fake_call_command(name, *args, **kwargs):
        if name != "runserver":
            return real_call_command(name, *args, **kwargs)
        served["site_url"] = settings.REGIONET_SITE_URL
        application = eligible_draft()
        applications.submit_application(application, by=application.created_by)
        served["application"] = application
        return None

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)
    return served


@pytest.mark.parametrize(
    ("addrport", "site_url"),
    [
        ("127.0.0.1:8200", "http://127.0.0.1:8200"),
        ("8300", "http://127.0.0.1:8300"),
        ("localhost:8400", "http://localhost:8400"),
        ("[::1]:8500", "http://[::1]:8500"),
    ],
)
def test_the_demo_sets_the_site_url_from_its_address(serving, addrport, site_url):
    call_command("demo", addrport, stdout=_Discard())
    assert serving["site_url"] == site_url


def test_a_notice_sent_while_the_demo_runs_on_8200_links_there(
    serving, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "127.0.0.1:8200", stdout=_Discard())
    (receipt,) = mail.outbox
    application = serving["application"]
    assert set(re.findall(r"https?://[^/\s]+/", receipt.body)) == {"http://127.0.0.1:8200/"}
    assert f"http://127.0.0.1:8200/fi/applications/{application.pk}/receipts/1/" in receipt.body


def test_an_explicit_site_url_wins(serving, monkeypatch, settings):
    monkeypatch.setenv("REGIONET_SITE_URL", "https://demo.regionet.example")
    settings.REGIONET_SITE_URL = "https://demo.regionet.example"
    call_command("demo", "127.0.0.1:8200", stdout=_Discard())
    assert serving["site_url"] == "https://demo.regionet.example"


class _Discard:
    def write(self, text):
        pass

    def flush(self):
        pass

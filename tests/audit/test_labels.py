"""The audit trail's one mapping of event codes to labels: every code the services write has a
label in Finnish, Swedish and English, and a code without one still reads as words."""

import ast
import importlib
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import translation

import regionet
from regionet.audit.labels import readable, registered_codes, verb_label
from regionet.audit.services import record
from tests.factories import OrganisationFactory, UserFactory

SOURCE = Path(regionet.__file__).parent


def _written_codes() -> set[str]:
    """The codes passed to ``record(actor, code, …)`` anywhere in the source: a literal, or a
    constant of a module's ``Verb`` class (both branches of a conditional expression)."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        module = None
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "record"
                and len(node.args) >= 2
            ):
                continue
            argument = node.args[1]
            candidates = (
                [argument.body, argument.orelse] if isinstance(argument, ast.IfExp) else [argument]
            )
            for candidate in candidates:
                if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str):
                    codes.add(candidate.value)
                elif isinstance(candidate, ast.Attribute) and isinstance(candidate.value, ast.Name):
                    if module is None:
                        dotted = path.relative_to(SOURCE.parent).with_suffix("")
                        module = importlib.import_module(".".join(dotted.parts))
                    owner = getattr(module, candidate.value.id)
                    codes.add(getattr(owner, candidate.attr))
    return codes


def test_every_code_the_services_write_has_a_label():
    written = _written_codes()
    # The scan finds the codes of every app that writes the trail.
    assert {
        "application.section_completed",
        "call.published",
        "event_registration.promoted",
        "funder_role.granted",
        "notice.retry_requested",
        "questionnaire.version_frozen",
    } <= written
    assert sorted(written - set(registered_codes())) == []


@pytest.mark.parametrize(
    ("language", "code", "label"),
    [
        (
            "fi",
            "application.section_completed",
            "Hakemuksen osa merkitty valmiiksi tai keskeneräiseksi",
        ),
        (
            "sv",
            "application.section_completed",
            "Del av ansökan markerad som klar eller ofullständig",
        ),
        (
            "en",
            "application.section_completed",
            "Part of the application marked complete or incomplete",
        ),
        ("fi", "application.completion_closed", "Täydennyspyyntö suljettu"),
        ("sv", "application.completion_closed", "Begäran om komplettering stängd"),
        ("fi", "call.published", "Haku julkaistu"),
        ("sv", "call.published", "Utlysning publicerad"),
        ("fi", "event_registration.waiting", "Ilmoittautuminen jonossa"),
        ("sv", "funder_role.revoked", "Roll hos finansiären återkallad"),
    ],
)
def test_labels_in_each_language(language, code, label):
    with translation.override(language):
        assert verb_label(code) == label


def test_every_label_is_translated_to_finnish_and_swedish():
    for code in registered_codes():
        with translation.override("en"):
            english = verb_label(code)
        for language in ("fi", "sv"):
            with translation.override(language):
                assert verb_label(code) != english, (language, code)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("application.something_new", "Application: something new"),
        ("grant_payment.claimed", "Grant payment: claimed"),
        ("plain", "Plain"),
        ("", ""),
        ("..", ".."),
    ],
)
def test_an_unknown_code_reads_as_words(code, text):
    assert readable(code) == text
    with translation.override("fi"):
        assert verb_label(code) == text


@pytest.mark.django_db
def test_the_admin_names_events_by_their_label(client):
    organisation = OrganisationFactory()
    record(None, "organisation.registered", organisation)
    record(None, "grant_payment.claimed", organisation)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)
    response = client.get("/sv/admin/audit/auditevent/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Organisation registrerad") == 2  # the row and the filter
    assert page.count("Grant payment: claimed") == 2
    assert "organisation.registered</td>" not in page

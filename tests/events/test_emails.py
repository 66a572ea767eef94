"""The e-mails to registrants, in their own language, and the calendar file they carry."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from regionet.events import services
from regionet.events.tasks import send_registration_email
from tests.factories import RegistrationFactory

from .conftest import BEFORE_WEBINAR

pytestmark = pytest.mark.django_db

CONFIRMATION = {
    "fi": {
        "subject": "[Regionet] Ilmoittautuminen vahvistettu: "
        "Hakuinfo: alueiden välinen verkostoyhteistyö",
        "lines": [
            "Hei Maija Meikäläinen,",
            "Ilmoittautumisesi tapahtumaan Hakuinfo: alueiden välinen verkostoyhteistyö on "
            "vahvistettu.",
            "Alkaa: 20.4.2021 klo 12.30 Suomen aikaa",
            "Päättyy: 20.4.2021 klo 16.00 Suomen aikaa",
            "Paikka: Verkossa (Teams)",
        ],
        "summary": "Hakuinfo: alueiden välinen verkostoyhteistyö",
    },
    "sv": {
        "subject": "[Regionet] Anmälan bekräftad: "
        "Informationswebbinarium: regionernas samarbetsnätverk",
        "lines": [
            "Hej Maija Meikäläinen,",
            "Din anmälan till evenemanget Informationswebbinarium: regionernas "
            "samarbetsnätverk är bekräftad.",
            "Börjar: 20.4.2021 kl. 12.30 finsk tid",
            "Slutar: 20.4.2021 kl. 16.00 finsk tid",
            "Plats: På nätet (Teams)",
        ],
        "summary": "Informationswebbinarium: regionernas samarbetsnätverk",
    },
    "en": {
        "subject": "[Regionet] Registration confirmed: "
        "Information webinar: networks between regions",
        "lines": [
            "Hello Maija Meikäläinen,",
            "Your registration for the event Information webinar: networks between regions "
            "is confirmed.",
            "Begins: 20 April 2021 at 12:30 Finnish time",
            "Ends: 20 April 2021 at 16:00 Finnish time",
            "Place: Online (Teams)",
        ],
        "summary": "Information webinar: networks between regions",
    },
}


def register(event, email, language="fi", now=BEFORE_WEBINAR):
    return services.register(
        event,
        name="Maija Meikäläinen",
        organisation="Kehitysyhtiö Oy",
        email=email,
        language=language,
        now=now,
        site_url="https://regionet.example/",
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_confirmation_in_the_registrants_language(webinar, on_commit, language):
    webinar.online_url = "https://teams.example/join/123"
    webinar.save()
    with on_commit():
        registration = register(webinar, "maija@example.fi", language)

    (message,) = mail.outbox
    expected = CONFIRMATION[language]
    assert message.to == ["maija@example.fi"]
    assert message.subject == expected["subject"]
    lines = message.body.splitlines()
    for line in expected["lines"]:
        assert line in lines
    event_url = f"https://regionet.example/{language}/events/{webinar.pk}/"
    cancel_lines = [line for line in lines if "/events/cancel/" in line]
    assert len(cancel_lines) == 1
    token = cancel_lines[0].rsplit("/", 2)[1]
    assert cancel_lines[0] == f"https://regionet.example/{language}/events/cancel/{token}/"
    assert services.find_registration(token) == registration

    (part,) = message.attachments
    assert part.get_filename() == f"event-{webinar.pk}.ics"
    assert part["Content-Type"] == 'text/calendar; charset="utf-8"; method="PUBLISH"'
    assert message.message().as_string().count('charset="utf-8"; method="PUBLISH"') == 1
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["method"]) == "PUBLISH"
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2021, 4, 20, 9, 30, tzinfo=UTC)
    assert vevent.decoded("dtend") == datetime(2021, 4, 20, 13, 0, tzinfo=UTC)
    assert str(vevent["uid"]) == f"event-{webinar.pk}@regionet.example"
    assert str(vevent["summary"]) == expected["summary"]
    assert str(vevent["url"]) == event_url
    assert str(vevent["location"]) == expected["lines"][4].split(": ", 1)[1]
    assert "https://teams.example/join/123" in str(vevent["description"])
    assert "dtstamp" in vevent


def test_waiting_list_notice_tells_the_place(webinar, on_commit):
    register(webinar, "a@example.fi")
    register(webinar, "b@example.fi")
    register(webinar, "c@example.fi", now=BEFORE_WEBINAR + timedelta(seconds=1))
    with on_commit():
        register(webinar, "d@example.fi", "sv", now=BEFORE_WEBINAR + timedelta(seconds=2))
    (message,) = mail.outbox
    assert message.subject == (
        "[Regionet] Du står på reservlistan: Informationswebbinarium: regionernas samarbetsnätverk"
    )
    assert (
        "Evenemanget Informationswebbinarium: regionernas samarbetsnätverk är fullbokat, så du "
        "står på reservlistan som nummer 2."
    ) in message.body.splitlines()
    assert message.attachments == []


def test_the_join_link_is_only_in_confirmations(webinar, on_commit):
    webinar.online_url = "https://teams.example/join/123"
    webinar.capacity = 1
    webinar.save()
    with on_commit():
        register(webinar, "a@example.fi")
        register(webinar, "b@example.fi")
    confirmation, notice = mail.outbox
    assert "Osallistumislinkki: https://teams.example/join/123" in confirmation.body.splitlines()
    assert "teams.example" not in notice.body


def test_a_stale_message_is_not_sent():
    registration = RegistrationFactory(token="vanha", state="waiting")
    services.cancel("vanha")
    send_registration_email.enqueue(registration.pk, "waiting", "vanha", "http://testserver")
    confirmed = RegistrationFactory(token="oikea")
    send_registration_email.enqueue(confirmed.pk, "confirmed", "väärä", "http://testserver")
    assert mail.outbox == []
    send_registration_email.enqueue(confirmed.pk, "confirmed", "oikea", "http://testserver")
    assert [m.to for m in mail.outbox] == [[confirmed.email]]

"""The doors of events: seats and the waiting list, cancellation, refusals, the export."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from regionet.audit.models import AuditEvent
from regionet.events import services
from regionet.events.models import Event, Registration, hash_cancellation_token
from tests.factories import EventFactory, FunderRoleFactory, RegistrationFactory

from .conftest import BEFORE_WEBINAR

pytestmark = pytest.mark.django_db


def register(event, email, *, name="Maija Meikäläinen", language="fi", now=BEFORE_WEBINAR):
    return services.register(
        event,
        name=name,
        organisation="Kehitysyhtiö Oy",
        email=email,
        language=language,
        now=now,
        site_url="http://testserver/",
    )


def cancellation_token(message) -> str:
    return message.body.split("/events/cancel/")[1].split("/")[0]


def test_third_registration_for_two_seats_goes_to_the_waiting_list(webinar, on_commit):
    with on_commit():
        first = register(webinar, "eka@example.fi", now=BEFORE_WEBINAR)
        second = register(webinar, "toka@example.fi", now=BEFORE_WEBINAR + timedelta(minutes=1))
        third = register(webinar, "kolmas@example.fi", now=BEFORE_WEBINAR + timedelta(minutes=2))

    assert [first.state, second.state, third.state] == ["confirmed", "confirmed", "waiting"]
    assert [r.confirmed_at for r in (first, second, third)] == [
        BEFORE_WEBINAR,
        BEFORE_WEBINAR + timedelta(minutes=1),
        None,
    ]
    assert [(m.to, m.subject.split(":")[0]) for m in mail.outbox] == [
        (["eka@example.fi"], "[Regionet] Ilmoittautuminen vahvistettu"),
        (["toka@example.fi"], "[Regionet] Ilmoittautuminen vahvistettu"),
        (["kolmas@example.fi"], "[Regionet] Olet varasijalla"),
    ]
    assert list(
        AuditEvent.objects.filter(target_id__in=[first.pk, second.pk, third.pk])
        .order_by("pk")
        .values_list("verb", "actor")
    ) == [
        ("event_registration.confirmed", None),
        ("event_registration.confirmed", None),
        ("event_registration.waiting", None),
    ]


def test_unlimited_event_confirms_everyone():
    event = EventFactory(capacity=None)
    states = [register(event, f"p{i}@example.fi", now=None).state for i in range(5)]
    assert states == ["confirmed"] * 5


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list(webinar, on_commit):
    with on_commit():
        first = register(webinar, "eka@example.fi", now=BEFORE_WEBINAR)
        register(webinar, "toka@example.fi", now=BEFORE_WEBINAR + timedelta(minutes=1))
        waiting = register(
            webinar, "kolmas@example.fi", name="Kalle Kolmas", now=BEFORE_WEBINAR + timedelta(2)
        )
        later = register(webinar, "neljas@example.fi", now=BEFORE_WEBINAR + timedelta(3))
    first_token = cancellation_token(mail.outbox[0])
    waiting_token = cancellation_token(mail.outbox[2])
    mail.outbox.clear()

    cancel_at = BEFORE_WEBINAR + timedelta(days=4)
    with on_commit():
        cancelled = services.cancel(first_token, now=cancel_at, site_url="http://testserver")

    assert (cancelled.pk, cancelled.state, cancelled.cancelled_at) == (
        first.pk,
        "cancelled",
        cancel_at,
    )
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert (waiting.state, waiting.confirmed_at) == ("confirmed", cancel_at)
    assert later.state == "waiting"
    (message,) = mail.outbox
    assert message.to == ["kolmas@example.fi"]
    assert message.subject == (
        "[Regionet] Sinulle vapautui paikka: Hakuinfo: alueiden välinen verkostoyhteistyö"
    )
    assert "Hei Kalle Kolmas," in message.body.splitlines()
    assert [part.get_filename() for part in message.attachments] == [f"event-{webinar.pk}.ics"]
    # The promotion mail carries a new link; the waiting-list mail's link no longer works.
    new_token = cancellation_token(message)
    assert new_token != waiting_token
    assert waiting.token_hash == hash_cancellation_token(new_token)
    assert services.find_registration(waiting_token) is None
    assert list(
        AuditEvent.objects.filter(verb__startswith="event_registration.")
        .filter(verb__in=["event_registration.cancelled", "event_registration.promoted"])
        .order_by("pk")
        .values_list("verb", "target_id", "data")
    ) == [
        (
            "event_registration.cancelled",
            str(first.pk),
            {"event": webinar.pk, "previous": "confirmed"},
        ),
        ("event_registration.promoted", str(waiting.pk), {"event": webinar.pk}),
    ]


def test_leaving_the_waiting_list_promotes_nobody(webinar, on_commit):
    register(webinar, "eka@example.fi")
    register(webinar, "toka@example.fi")
    with on_commit():
        register(webinar, "kolmas@example.fi")
        register(webinar, "neljas@example.fi", now=BEFORE_WEBINAR + timedelta(seconds=1))
    token = cancellation_token(mail.outbox[0])
    mail.outbox.clear()
    with on_commit():
        services.cancel(token, now=BEFORE_WEBINAR + timedelta(days=1))
    assert mail.outbox == []
    assert list(
        Registration.objects.filter(event=webinar).order_by("pk").values_list("email", "state")
    ) == [
        ("eka@example.fi", "confirmed"),
        ("toka@example.fi", "confirmed"),
        ("kolmas@example.fi", "cancelled"),
        ("neljas@example.fi", "waiting"),
    ]


def test_cancellation_link_works_once():
    registration = RegistrationFactory(token="linkki", event__capacity=3)
    services.cancel("linkki")
    with translation.override("fi"), pytest.raises(services.CancellationError) as error:
        services.cancel("linkki")
    assert error.value.code == "cancelled"
    with translation.override("fi"):
        assert error.value.messages == ["Tämä ilmoittautuminen on jo peruttu."]
    with translation.override("sv"):
        assert error.value.messages == ["Den här anmälan har redan avbokats."]
    registration.refresh_from_db()
    assert registration.state == "cancelled"


def test_unknown_link_and_started_event_are_refused(webinar):
    RegistrationFactory(event=webinar, token="alkanut")
    with pytest.raises(services.CancellationError) as unknown:
        services.cancel("ei-tällaista", now=BEFORE_WEBINAR)
    with pytest.raises(services.CancellationError) as started:
        services.cancel("alkanut", now=webinar.starts_at)
    assert (unknown.value.code, started.value.code) == ("invalid", "started")
    assert services.cancel("alkanut", now=webinar.starts_at - timedelta(microseconds=1)).state == (
        "cancelled"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "Ilmoittautuminen tähän tapahtumaan on päättynyt."),
        ("sv", "Anmälan till det här evenemanget har stängt."),
        ("en", "Registration for this event has closed."),
    ],
)
def test_registration_closed_message(webinar, language, expected):
    webinar.registration_closes_at = datetime(2021, 4, 15, 13, 15, tzinfo=UTC)
    webinar.save()
    register(webinar, "ajoissa@example.fi", now=webinar.registration_closes_at)
    with translation.override(language), pytest.raises(services.RegistrationError) as error:
        register(
            webinar,
            "myohassa@example.fi",
            now=webinar.registration_closes_at + timedelta(microseconds=1),
        )
    assert error.value.code == "closed"
    with translation.override(language):
        assert error.value.messages == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fi",
            "Sähköpostiosoitteella maija@example.fi on jo ilmoittauduttu tähän tapahtumaan.",
        ),
        ("sv", "E-postadressen maija@example.fi är redan anmäld till det här evenemanget."),
    ],
)
def test_duplicate_registration_message(webinar, language, expected):
    register(webinar, "maija@example.fi")
    with translation.override(language), pytest.raises(services.RegistrationError) as error:
        register(webinar, " Maija@Example.FI ")
    assert error.value.code == "duplicate"
    with translation.override(language):
        assert error.value.messages == [expected]
    assert Registration.objects.filter(event=webinar).count() == 1


def test_after_cancelling_the_same_address_may_register_again(webinar):
    RegistrationFactory(event=webinar, email="maija@example.fi", token="pois")
    services.cancel("pois", now=BEFORE_WEBINAR)
    again = register(webinar, "maija@example.fi")
    assert again.state == "confirmed"
    assert Registration.objects.filter(event=webinar, email="maija@example.fi").count() == 2


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "Ilmoittautuminen tähän tapahtumaan alkaa 15.4.2021 klo 9.00 Suomen aikaa."),
        ("sv", "Anmälan till det här evenemanget öppnar 15.4.2021 kl. 9.00 finsk tid."),
    ],
)
def test_registration_not_yet_open(webinar, language, expected):
    webinar.registration_opens_at = datetime(2021, 4, 15, 6, 0, tzinfo=UTC)
    webinar.save()
    with translation.override(language), pytest.raises(services.RegistrationError) as error:
        register(webinar, "aikaisin@example.fi", now=webinar.registration_opens_at - timedelta(1))
    assert error.value.code == "not_open"
    with translation.override(language):
        assert error.value.messages == [expected]
    assert register(webinar, "ajoissa@example.fi", now=webinar.registration_opens_at).state == (
        "confirmed"
    )


def test_registration_problem_at_the_edges(webinar):
    starts, ends = webinar.starts_at, webinar.ends_at
    tick = timedelta(microseconds=1)
    assert [
        services.registration_problem(webinar, now)
        for now in (starts, starts + tick, ends, ends + tick)
    ] == [None, "closed", "closed", "past"]
    draft = EventFactory(state="draft")
    assert services.registration_problem(draft) == "not_published"
    with translation.override("fi"), pytest.raises(services.RegistrationError) as error:
        register(webinar, "jalkeen@example.fi", now=ends + tick)
    with translation.override("fi"):
        assert error.value.messages == ["Tapahtuma on jo pidetty."]


def test_capacity_raised_later_gives_seats_to_the_waiting_list_first(webinar):
    register(webinar, "a@example.fi")
    register(webinar, "b@example.fi")
    waiting = register(webinar, "c@example.fi")
    Event.objects.filter(pk=webinar.pk).update(capacity=4)
    newcomer = register(webinar, "d@example.fi", now=BEFORE_WEBINAR + timedelta(1))
    waiting.refresh_from_db()
    assert (waiting.state, newcomer.state) == ("confirmed", "confirmed")


def test_participants_csv_exact(webinar):
    # Registered 10.4.2021 12:00 Finnish time (UTC+3 in summer time).
    at = datetime(2021, 4, 10, 9, 0, tzinfo=UTC)
    RegistrationFactory(
        event=webinar,
        name="Åsa Öberg",
        organisation="Region Örebro län",
        email="asa@example.se",
        language="sv",
        created_at=at,
    )
    RegistrationFactory(
        event=webinar,
        name="Peruttu",
        email="pois@example.fi",
        state="cancelled",
        created_at=at + timedelta(minutes=1),
    )
    RegistrationFactory(
        event=webinar,
        name="=HYPERLINK(1)",
        organisation="Oy; Ab",
        email="b@example.fi",
        state="waiting",
        created_at=at + timedelta(minutes=2),
    )
    RegistrationFactory(
        event=webinar,
        name="Matti Virtanen",
        organisation="Kunta",
        email="m@example.fi",
        language="en",
        created_at=at + timedelta(minutes=3),
    )
    RegistrationFactory(
        event=webinar,
        name="Toinen Jonossa",
        organisation="Liitto",
        email="c@example.fi",
        state="waiting",
        created_at=at + timedelta(minutes=4),
    )
    with translation.override("fi"):
        content = services.participants_csv(webinar)
    assert content[:3] == b"\xef\xbb\xbf"
    assert content.decode("utf-8-sig").split("\r\n") == [
        "Nimi;Organisaatio;Sähköpostiosoite;Kieli;Tila;Sija varasijalistalla;"
        "Ilmoittautunut (Suomen aikaa)",
        "Åsa Öberg;Region Örebro län;asa@example.se;ruotsi;vahvistettu;;2021-04-10 12:00",
        "Matti Virtanen;Kunta;m@example.fi;englanti;vahvistettu;;2021-04-10 12:03",
        '\'=HYPERLINK(1);"Oy; Ab";b@example.fi;suomi;varasijalla;1;2021-04-10 12:02',
        "Toinen Jonossa;Liitto;c@example.fi;suomi;varasijalla;2;2021-04-10 12:04",
        "",
    ]
    with translation.override("sv"):
        header = services.participants_csv(webinar).decode("utf-8-sig").split("\r\n")[0]
    assert header == (
        "Namn;Organisation;E-postadress;Språk;Status;Plats på reservlistan;Anmäld (finsk tid)"
    )


def test_export_needs_an_officer_of_the_organiser(webinar):
    officer = FunderRoleFactory(funder=webinar.organiser).user
    applicant = FunderRoleFactory(funder=webinar.organiser, role="applicant").user
    with pytest.raises(PermissionDenied):
        services.export_participants(webinar, by=applicant)
    assert services.export_participants(webinar, by=officer)[:3] == b"\xef\xbb\xbf"
    assert list(
        AuditEvent.objects.filter(verb="event.participants_exported").values_list(
            "actor", "target_id"
        )
    ) == [(officer.pk, str(webinar.pk))]


def test_publishing_needs_finnish_and_swedish_texts():
    event = EventFactory(state="draft", title_sv="", description_sv="", location_fi="Paikka")
    officer = FunderRoleFactory(funder=event.organiser).user
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.publish_event(event, by=officer)
    with translation.override("en"):
        assert sorted(error.value.messages) == [
            f"Event '{event.title_en}' has no Swedish description",
            f"Event '{event.title_en}' has no Swedish place",
            f"Event '{event.title_en}' has no Swedish title",
        ]
    event.refresh_from_db()
    assert event.state == "draft"
    event.title_sv, event.description_sv, event.location_sv = "Möte", "Om mötet.", "Plats"
    event.save()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    published = services.publish_event(event, by=officer, now=now)
    assert (published.state, published.published_at) == ("published", now)
    other_officer = FunderRoleFactory().user
    with pytest.raises(PermissionDenied):
        services.publish_event(EventFactory(state="draft"), by=other_officer)


# --- Typed text (regionet.texts) ----------------------------------------------------------


def test_a_name_over_the_limit_or_with_direction_controls_is_refused_by_the_door(webinar):
    with translation.override("en"):
        with pytest.raises(services.RegistrationError) as raised:
            register(webinar, "pitka@example.fi", name="n" * 201)
        assert raised.value.messages == [
            "Your name: Write at most 200 characters: now there are 201."
        ]
        with pytest.raises(services.RegistrationError) as raised:
            register(webinar, "suunta@example.fi", name="Maija\u202eM")
        assert raised.value.code == "text"

    register(webinar, "tasan@example.fi", name="n" * 200)
    assert list(Registration.objects.values_list("email", flat=True)) == ["tasan@example.fi"]

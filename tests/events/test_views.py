"""The event pages through the client: list, detail and registration, cancellation, export."""

import html
import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from regionet.audit.models import AuditEvent
from regionet.events.models import Event, Registration
from tests.factories import (
    EventFactory,
    FunderRoleFactory,
    OrganisationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]


def url(name, language="fi", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def assert_site_page(response, language):
    body = response.content.decode()
    assert response.status_code in (200, 404)
    assert f'<html lang="{language}">' in body
    assert 'class="site-footer"' in body
    assert len(re.findall(r"<h1[\s>]", body)) == 1


def form_data(**overrides):
    return {
        "name": "Maija Meikäläinen",
        "organisation": "Kehitysyhtiö Oy",
        "email": "maija@example.fi",
        "language": "fi",
        **overrides,
    }


@pytest.fixture
def meeting(db):
    return EventFactory(
        capacity=1,
        title_fi="Verkostotapaaminen",
        title_sv="Nätverksmöte",
        title_en="Network meeting",
        location_fi="Helsinki",
        location_sv="Helsingfors",
        location_en="Helsinki",
    )


@pytest.mark.parametrize(
    ("language", "title", "seats"),
    [
        ("fi", "Tapahtumat", "1 paikka jäljellä"),
        ("sv", "Evenemang", "1 plats kvar"),
        ("en", "Events", "1 seat left"),
    ],
)
def test_event_list_in_three_languages(client, meeting, language, title, seats):
    EventFactory(state="draft", title_fi="Luonnos", title_sv="Utkast", title_en="Draft")
    EventFactory(
        title_fi="Mennyt",
        title_sv="Förbi",
        title_en="Past",
        starts_at=timezone.now() - timezone.timedelta(days=2),
    )
    response = client.get(url("events:event_list", language))
    assert_site_page(response, language)
    assert h1(response) == title
    body = response.content.decode()
    assert re.findall(r"<h2><a href=\"([^\"]+)\">([^<]+)</a></h2>", body) == [
        (
            url("events:event_detail", language, pk=meeting.pk),
            meeting.title_en if language == "en" else getattr(meeting, f"title_{language}"),
        ),
    ]
    assert seats in body


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        ("fi", ["Alkaa", "Paikka", "Helsinki", "1 paikka jäljellä", "Ilmoittaudu"]),
        ("sv", ["Börjar", "Plats", "Helsingfors", "1 plats kvar", "Anmäl dig"]),
        ("en", ["Begins", "Place", "Helsinki", "1 seat left", "Register"]),
    ],
)
def test_event_page_in_three_languages(client, meeting, language, lines):
    response = client.get(url("events:event_detail", language, pk=meeting.pk))
    assert_site_page(response, language)
    assert h1(response) == getattr(meeting, f"title_{language}")
    body = response.content.decode()
    for text in lines:
        assert text in body
    assert 'name="email"' in body
    assert meeting.online_url == "" or meeting.online_url not in body


def test_the_join_link_is_not_on_the_public_page(client, meeting):
    meeting.online_url = "https://teams.example/join/secret"
    meeting.save()
    assert (
        "teams.example"
        not in client.get(url("events:event_detail", pk=meeting.pk)).content.decode()
    )


def test_draft_event_is_not_found(client):
    draft = EventFactory(state="draft")
    assert client.get(url("events:event_detail", pk=draft.pk)).status_code == 404


def test_register_through_the_form_then_the_waiting_list(
    client, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("events:event_detail", "sv", pk=meeting.pk), form_data(language="sv")
        )
    assert response.status_code == 302
    assert response["Location"] == url("events:registration_done", "sv", pk=meeting.pk)
    done = client.get(response["Location"])
    assert_site_page(done, "sv")
    assert h1(done) == "Du är anmäld"
    (registration,) = Registration.objects.filter(event=meeting)
    assert (registration.name, registration.email, registration.language, registration.state) == (
        "Maija Meikäläinen",
        "maija@example.fi",
        "sv",
        "confirmed",
    )
    assert [m.to for m in mail.outbox] == [["maija@example.fi"]]
    assert mail.outbox[0].body.count("http://testserver/sv/events/cancel/") == 1

    other = client.post(
        url("events:event_detail", "fi", pk=meeting.pk), form_data(email="toinen@example.fi")
    )
    done = client.get(other["Location"])
    assert h1(done) == "Olet varasijalla"
    assert "Olet varasijalistalla numero 1." in done.content.decode()
    page = client.get(url("events:event_detail", "fi", pk=meeting.pk)).content.decode()
    assert "Täynnä – uudet ilmoittautujat pääsevät varasijalle (1 varasijalla)" in page


def test_done_page_without_a_registration_goes_back_to_the_event(client, meeting):
    response = client.get(url("events:registration_done", pk=meeting.pk))
    assert response["Location"] == url("events:event_detail", pk=meeting.pk)


def test_errors_are_summarised_linked_and_nothing_typed_is_lost(client, meeting):
    response = client.post(
        url("events:event_detail", "fi", pk=meeting.pk),
        form_data(name="", email="ei-osoite", organisation="Oma Oy", language="sv"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', body, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["id_name", "id_email"]
    name_input = re.search(r"<input[^>]*name=\"name\"[^>]*>", body).group(0)
    assert 'aria-invalid="true"' in name_input
    # The help text states the limit; the error follows it.
    assert 'aria-describedby="id_name_helptext id_name_error"' in name_input
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", body).group(0)
    assert 'value="ei-osoite"' in email_input
    assert "id_email_error" in email_input
    assert 'value="Oma Oy"' in body
    assert re.search(r'<input[^>]*value="sv"[^>]*checked', body)
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Sähköpostiosoitteella maija@example.fi on jo ilmoittauduttu tähän tapahtumaan."),
        ("sv", "E-postadressen maija@example.fi är redan anmäld till det här evenemanget."),
    ],
)
def test_duplicate_is_shown_at_the_email_field(client, meeting, language, message):
    email_label = {"fi": "Sähköpostiosoite", "sv": "E-postadress"}
    RegistrationFactory(event=meeting, email="maija@example.fi")
    response = client.post(url("events:event_detail", language, pk=meeting.pk), form_data())
    body = html.unescape(response.content.decode())
    assert f'<a href="#id_email">{email_label[language]}: {message}</a>' in body
    assert re.search(
        r'<ul class="field__errors errorlist" id="id_email_error">\s*<li>' + message, body
    )


def test_closed_registration_shows_why_and_no_form(client):
    event = EventFactory(registration_closes_at=timezone.now() - timezone.timedelta(hours=1))
    body = client.get(url("events:event_detail", "sv", pk=event.pk)).content.decode()
    assert "Anmälan till det här evenemanget har stängt." in body
    assert 'name="email"' not in body
    response = client.post(url("events:event_detail", "sv", pk=event.pk), form_data())
    assert response.status_code == 200
    assert Registration.objects.count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancel_asks_on_get_and_cancels_on_post_once(client, meeting, language):
    registration = RegistrationFactory(event=meeting, token="peru-minut")
    link = url("events:cancel_registration", language, token="peru-minut")
    page = client.get(link)
    assert_site_page(page, language)
    assert (
        h1(page)
        == {
            "fi": "Peru ilmoittautuminen",
            "sv": "Avboka en anmälan",
            "en": "Cancel a registration",
        }[language]
    )
    registration.refresh_from_db()
    assert registration.state == "confirmed"

    response = client.post(link)
    assert response["Location"] == url("events:event_detail", language, pk=meeting.pk)
    registration.refresh_from_db()
    assert registration.state == "cancelled"
    follow = client.get(response["Location"]).content.decode()
    expected = {
        "fi": f"Ilmoittautumisesi tapahtumaan {meeting.title_fi} on peruttu.",
        "sv": f"Din anmälan till {meeting.title_sv} har avbokats.",
        "en": f"Your registration for {meeting.title_en} has been cancelled.",
    }[language]
    assert expected in html.unescape(follow)

    again = client.post(link)
    assert again.status_code == 200
    already = {
        "fi": "Tämä ilmoittautuminen on jo peruttu.",
        "sv": "Den här anmälan har redan avbokats.",
        "en": "This registration has already been cancelled.",
    }[language]
    assert already in again.content.decode()
    assert already in client.get(link).content.decode()


def test_unknown_cancellation_link_is_not_found(client):
    response = client.get(url("events:cancel_registration", "en", token="nothing"))
    assert response.status_code == 404
    assert_site_page(response, "en")
    assert "This cancellation link is not valid." in response.content.decode()
    assert client.post(url("events:cancel_registration", "en", token="nothing")).status_code == 404


def test_officer_downloads_the_participant_list(client, meeting, staff_of):
    RegistrationFactory(
        event=meeting, name="Åsa", organisation="Region", email="asa@example.se", language="sv"
    )
    officer = staff_of(meeting.organiser)
    client.force_login(officer)
    page = client.get(url("events:event_detail", "fi", pk=meeting.pk)).content.decode()
    export = url("events:participants_export", "fi", pk=meeting.pk)
    assert f'href="{export}"' in page
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="osallistujat-{meeting.pk}.csv"'
    )
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Nimi;Organisaatio;")
    assert rows[1].startswith("Åsa;Region;asa@example.se;ruotsi;vahvistettu;;")


def test_administrator_of_the_organiser_may_export(client, meeting, staff_of):
    client.force_login(staff_of(meeting.organiser, "administrator"))
    assert client.get(url("events:participants_export", pk=meeting.pk)).status_code == 200


def test_export_is_refused_to_others(client, meeting, staff_of):
    export = url("events:participants_export", "fi", pk=meeting.pk)
    anonymous = client.get(export)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(url("account_login", "fi"))

    applicant = FunderRoleFactory(funder=meeting.organiser, role="applicant").user
    client.force_login(applicant)
    assert client.get(export).status_code == 403
    assert (
        "participants.csv"
        not in client.get(url("events:event_detail", pk=meeting.pk)).content.decode()
    )

    other_funder = OrganisationFactory(is_funder=True, type="state_authority")
    client.force_login(staff_of(other_funder))
    assert client.get(export).status_code == 403
    reviewer = staff_of(meeting.organiser, "reviewer")
    client.force_login(reviewer)
    assert client.get(export).status_code == 403


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_event_list_queries_do_not_grow_with_rows(client, django_assert_num_queries):
    EventFactory(capacity=3)
    few = count_queries(client, url("events:event_list"))
    for _ in range(4):
        event = EventFactory(capacity=2, organiser=OrganisationFactory(is_funder=True))
        RegistrationFactory.create_batch(3, event=event)
    with django_assert_num_queries(few):
        client.get(url("events:event_list"))


def test_export_queries_do_not_grow_with_rows(client, meeting, staff_of, django_assert_num_queries):
    client.force_login(staff_of(meeting.organiser))
    export = url("events:participants_export", pk=meeting.pk)
    RegistrationFactory(event=meeting)
    few = count_queries(client, export)
    RegistrationFactory.create_batch(8, event=meeting)
    RegistrationFactory.create_batch(3, event=meeting, state="waiting")
    with django_assert_num_queries(few):
        response = client.get(export)
    assert len(response.content.decode("utf-8-sig").splitlines()) == 13


def test_admin_shows_officers_only_their_funders_events(client, meeting, staff_of, admin_client):
    RegistrationFactory(event=meeting, name="Näkyvä Nimi")
    assert admin_client.get("/en/admin/events/event/").status_code == 200
    change = admin_client.get(f"/en/admin/events/event/{meeting.pk}/change/")
    assert change.status_code == 200
    body = change.content.decode()
    for field in ("title_fi", "title_sv", "title_en"):
        assert f'name="{field}"' in body
    assert "Näkyvä Nimi" in body
    assert 'name="registrations-0-name"' not in body  # shown, never editable

    # A programme officer enters by the role alone (no is_staff, no model permissions).
    client.force_login(staff_of(meeting.organiser))
    other = EventFactory(title_en="Someone else's meeting")
    listing = client.get("/en/admin/events/event/").content.decode()
    assert meeting.title_en in listing
    assert other.title_en not in listing
    assert client.get(f"/en/admin/events/event/{meeting.pk}/change/").status_code == 200
    assert client.get(f"/en/admin/events/event/{other.pk}/change/").status_code == 404
    assert client.get("/en/admin/events/event/add/").status_code == 200

    client.force_login(FunderRoleFactory(funder=meeting.organiser, role="reviewer").user)
    assert client.get("/en/admin/events/event/").status_code == 302


def test_times_are_entered_in_the_events_time_zone(client, staff_of):
    funder = EventFactory().organiser
    client.force_login(staff_of(funder))
    response = client.post(
        "/en/admin/events/event/add/",
        {
            "organiser": funder.pk,
            "kind": "forum_meeting",
            "title_fi": "Foorumi",
            "title_sv": "Forum",
            "title_en": "Forum",
            "starts_at_0": "2021-04-20",
            "starts_at_1": "12:30",
            "ends_at_0": "2021-04-20",
            "ends_at_1": "16:00",
            "time_zone": "Europe/Stockholm",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title_fi="Foorumi")
    assert (event.starts_at, event.ends_at, event.state) == (
        datetime(2021, 4, 20, 10, 30, tzinfo=UTC),
        datetime(2021, 4, 20, 14, 0, tzinfo=UTC),
        "draft",
    )
    assert AuditEvent.objects.filter(verb="event.published").count() == 0


def test_only_an_untouched_draft_can_be_deleted(client, staff_of):
    draft = EventFactory(state="draft", published_at=None)
    registered = EventFactory(state="draft", published_at=None, organiser=draft.organiser)
    RegistrationFactory(event=registered)
    client.force_login(staff_of(draft.organiser))
    assert client.get(f"/en/admin/events/event/{registered.pk}/delete/").status_code == 403
    assert client.get(f"/en/admin/events/event/{draft.pk}/delete/").status_code == 200


def test_admin_actions_publish_and_withdraw_through_the_doors(admin_client):
    ready = EventFactory(state="draft")
    half = EventFactory(state="draft", title_sv="")
    response = admin_client.post(
        "/en/admin/events/event/",
        {"action": "publish", "_selected_action": [ready.pk, half.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    half.refresh_from_db()
    assert (ready.state, half.state) == ("published", "draft")
    body = html.unescape(response.content.decode())
    assert f"Event '{half.title_en}' has no Swedish title" in body
    assert f"Published: '{ready.title_en}'." in body

    admin_client.post(
        "/en/admin/events/event/", {"action": "withdraw", "_selected_action": [ready.pk]}
    )
    ready.refresh_from_db()
    assert ready.state == "draft"
    assert list(
        AuditEvent.objects.filter(target_id=str(ready.pk), verb__startswith="event.")
        .order_by("pk")
        .values_list("verb", flat=True)
    ) == ["event.published", "event.withdrawn"]

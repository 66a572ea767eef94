"""The staff interface: each funder's officers see and change only their own programmes."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regionet.accounts.models import FunderRole
from regionet.programmes import services
from regionet.programmes.models import Phase, Programme, PublicationState
from tests.factories import (
    CallContactFactory,
    CallFactory,
    EarmarkFactory,
    PhaseFactory,
    ProgrammeFactory,
    country,
    network_programme,
)

from .conftest import attach_forms, staff

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/programmes"
PROGRAMME = "Inter-regional network cooperation 2021–2023"


@pytest.fixture
def officer_client(client, tem_officer):
    client.force_login(tem_officer)
    return client


@pytest.fixture
def finland(db):
    return country("FI")


@pytest.fixture
def programme(tem):
    return network_programme(funder=tem)


@pytest.fixture
def swedish_programme(tillvaxtverket):
    return ProgrammeFactory(
        funder=tillvaxtverket,
        name_sv="Uppföljning av det regionala utvecklingsarbetet 2022",
        name_en="Follow-up of regional development work 2022",
        currency="SEK",
        total_budget=Decimal("2100000.00"),
        time_zone="Europe/Stockholm",
        first_year=2022,
        last_year=2022,
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def inline_formset(response, prefix):
    (inline,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return inline.formset


# --- Scope ----------------------------------------------------------------------------------


def test_an_officer_sees_only_the_own_funders_programmes(
    officer_client, programme, swedish_programme, tem
):
    second = ProgrammeFactory(funder=tem, name_en="Second TEM programme")
    response = officer_client.get(f"{ADMIN}/programme/")
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {programme, second}
    assert swedish_programme.name_en.encode() not in response.content


def test_the_other_funders_pages_are_not_there(officer_client, swedish_programme):
    call = CallFactory(programme=swedish_programme)
    phase = PhaseFactory(call=call)
    for url in [
        f"{ADMIN}/programme/{swedish_programme.pk}/change/",
        f"{ADMIN}/programme/{swedish_programme.pk}/delete/",
        f"{ADMIN}/programme/{swedish_programme.pk}/history/",
        f"{ADMIN}/call/{call.pk}/change/",
        f"{ADMIN}/phase/{phase.pk}/change/",
    ]:
        assert officer_client.get(url).status_code == 404, url
    assert (
        officer_client.post(
            f"{ADMIN}/programme/{swedish_programme.pk}/change/", {"name_fi": "Kaapattu"}
        ).status_code
        == 404
    )
    assert officer_client.post(
        f"{ADMIN}/programme/{swedish_programme.pk}/publish/"
    ).status_code == (404)
    swedish_programme.refresh_from_db()
    assert swedish_programme.state == PublicationState.DRAFT


def test_the_other_funders_calls_and_phases_are_not_listed(
    officer_client, programme, swedish_programme
):
    CallFactory(programme=swedish_programme)
    call = programme.calls.get()
    response = officer_client.get(f"{ADMIN}/call/")
    assert list(response.context["cl"].result_list) == [call]
    response = officer_client.get(f"{ADMIN}/phase/")
    assert set(response.context["cl"].result_list) == set(call.phases.all())


@pytest.mark.parametrize("value", ["²", "١٢٣", "9" * 30, "-1", "1e3"])
def test_an_id_in_the_address_that_is_no_id_is_no_server_error(officer_client, value):
    for path in (f"{ADMIN}/call/add/?programme={value}", f"{ADMIN}/phase/add/?call={value}"):
        assert officer_client.get(path).status_code == 200, path


def test_a_superuser_sees_every_funders_programmes(admin_client, programme, swedish_programme):
    response = admin_client.get(f"{ADMIN}/programme/")
    assert set(response.context["cl"].result_list) == {programme, swedish_programme}


def test_staff_without_a_configuring_role_see_nothing(client, tem, programme):
    client.force_login(staff(tem, FunderRole.Role.REVIEWER))
    assert client.get(f"{ADMIN}/programme/").status_code == 403
    assert client.get(f"{ADMIN}/programme/{programme.pk}/change/").status_code == 403
    assert b"/admin/programmes/" not in client.get("/en/admin/").content


def test_the_funder_can_only_be_the_officers_own(officer_client, tem, tillvaxtverket):
    response = officer_client.get(f"{ADMIN}/programme/add/")
    funder = response.context["adminform"].form.fields["funder"]
    assert list(funder.queryset) == [tem]
    assert funder.initial == tem.pk
    data = {
        "funder": tillvaxtverket.pk,
        "slug": "hijack",
        "name_fi": "Kaapattu ohjelma",
        "currency": "EUR",
        "total_budget": "1000",
        "max_aid_percent": "80",
        "min_own_financing_percent": "20",
        "first_year": "2024",
        "last_year": "2024",
        "time_zone": "Europe/Helsinki",
        **management_forms("yearly_budgets", "earmarks", "themes", "zones"),
    }
    response = officer_client.post(f"{ADMIN}/programme/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["funder"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Programme.objects.filter(slug="hijack").exists()
    response = officer_client.post(f"{ADMIN}/programme/add/", {**data, "funder": tem.pk})
    assert response.status_code == 302
    created = Programme.objects.get(slug="hijack")
    assert (created.funder, created.name_fi, created.state) == (tem, "Kaapattu ohjelma", "draft")


def test_a_call_can_only_be_added_to_own_programmes(officer_client, programme, swedish_programme):
    response = officer_client.get(f"{ADMIN}/call/add/")
    assert list(response.context["adminform"].form.fields["programme"].queryset) == [programme]


def test_instruments_choose_from_their_own_programmes_earmarks(officer_client, programme):
    EarmarkFactory()  # another programme's
    call = programme.calls.get()
    response = officer_client.get(f"{ADMIN}/call/{call.pk}/change/")
    formset = inline_formset(response, "instruments")
    assert list(formset.forms[0].fields["earmarks"].queryset) == list(programme.earmarks.all())


def test_criteria_choose_from_their_own_calls_instruments(officer_client, programme):
    CallFactory(programme=programme)  # another call, and
    phase = programme.calls.get(slug="2021").phases.get(order=1)
    response = officer_client.get(f"{ADMIN}/phase/{phase.pk}/change/")
    formset = inline_formset(response, "criteria")
    assert list(formset.empty_form.fields["instrument"].queryset) == list(
        phase.call.instruments.all()
    )


# --- Publishing -----------------------------------------------------------------------------


def test_the_publish_action_shows_every_refusal(officer_client, programme):
    programme.yearly_budgets.filter(year=2023).update(amount=Decimal("2233333.34"))
    programme.themes.filter(code="hydrogen").update(name_sv="")
    response = officer_client.post(
        f"{ADMIN}/programme/", {"action": "publish", "_selected_action": [programme.pk]}
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        f"'{PROGRAMME}' was not published: "
        "The yearly budgets sum to €6,900,000.00, not the total €7,000,000.00.",
        f"'{PROGRAMME}' was not published: Theme 'Hydrogen economy' has no Swedish name.",
    ]
    programme.refresh_from_db()
    assert programme.state == PublicationState.DRAFT


def test_the_publish_action_publishes(officer_client, programme):
    response = officer_client.post(
        f"{ADMIN}/programme/", {"action": "publish", "_selected_action": [programme.pk]}
    )
    assert messages_of(response) == [f"Published: '{PROGRAMME}'."]
    programme.refresh_from_db()
    assert programme.state == PublicationState.PUBLISHED


def test_the_publish_button_on_the_change_page(officer_client, programme):
    page = officer_client.get(f"{ADMIN}/programme/{programme.pk}/change/")
    publish_url = f"{ADMIN}/programme/{programme.pk}/publish/"
    assert f'action="{publish_url}"'.encode() in page.content
    assert b"Yes: nothing stands in the way." in page.content
    assert officer_client.get(publish_url).status_code == 405
    response = officer_client.post(publish_url)
    assert response.status_code == 302
    assert response["Location"] == f"{ADMIN}/programme/{programme.pk}/change/"
    assert messages_of(response) == [f"Published: '{PROGRAMME}'."]
    page = officer_client.get(f"{ADMIN}/programme/{programme.pk}/change/")
    # Published: read-only, and the button withdraws the publication.
    assert page.context["has_change_permission"] is False
    assert f'action="{ADMIN}/programme/{programme.pk}/unpublish/"'.encode() in page.content
    # The funder as text: staff may not open the organisation's admin page it would link to.
    funder = f'<div class="readonly">{programme.funder}</div>'
    assert (funder in page.content.decode(), b"/organisation/" in page.content) == (True, False)


def test_the_change_page_lists_what_stands_in_the_way(officer_client, programme):
    programme.themes.filter(code="hydrogen").update(name_sv="")
    page = officer_client.get(f"{ADMIN}/programme/{programme.pk}/change/")
    assert b"<li>Theme &#x27;Hydrogen economy&#x27; has no Swedish name</li>" in page.content


def test_the_call_publish_button_refuses_with_reasons(officer_client, programme):
    call = programme.calls.get()
    attach_forms(call, programme.funder)
    response = officer_client.post(f"{ADMIN}/call/{call.pk}/publish/")
    assert messages_of(response) == [
        f"'Network call 2021' was not published: The programme '{PROGRAMME}' is not published."
    ]
    services.publish_programme(programme, by=response.wsgi_request.user)
    officer_client.get(response["Location"])  # shows, and so clears, the messages
    response = officer_client.post(f"{ADMIN}/call/{call.pk}/publish/")
    assert messages_of(response) == ["Published: 'Network call 2021'."]


def test_state_is_not_a_field_of_the_form(officer_client, programme):
    data_page = officer_client.get(f"{ADMIN}/programme/{programme.pk}/change/")
    form = data_page.context["adminform"].form
    assert "state" not in form.fields
    assert "published_at" not in form.fields


def test_bulk_delete_is_not_offered(officer_client, programme):
    response = officer_client.get(f"{ADMIN}/programme/")
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "publish", "unpublish"]


# --- Time zones -----------------------------------------------------------------------------


def phase_data(phase, opens, closes, time=("08:00", "16:15")):
    return {
        "call": phase.call.pk,
        "order": phase.order,
        "kind": phase.kind,
        "name_fi": phase.name_fi,
        "name_sv": phase.name_sv,
        "opens_at_0": opens,
        "opens_at_1": time[0],
        "closes_at_0": closes,
        "closes_at_1": time[1],
        **management_forms("criteria", "thresholds"),
    }


def management_forms(*prefixes):
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_times_are_entered_in_the_programmes_zone(
    client, tillvaxtverket_officer, swedish_programme
):
    client.force_login(tillvaxtverket_officer)
    phase = PhaseFactory(call=CallFactory(programme=swedish_programme))
    response = client.post(
        f"{ADMIN}/phase/{phase.pk}/change/", phase_data(phase, "2021-09-01", "2021-10-31")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    phase.refresh_from_db()
    # 16.15 Swedish standard time on the Sunday the clocks went back.
    assert phase.closes_at == datetime(2021, 10, 31, 15, 15, tzinfo=UTC)
    assert phase.opens_at == datetime(2021, 9, 1, 6, 0, tzinfo=UTC)
    page = client.get(f"{ADMIN}/phase/{phase.pk}/change/")
    assert page.context["adminform"].form["closes_at"].value() == datetime(
        2021, 10, 31, 15, 15, tzinfo=UTC
    )
    assert b'value="16:15:00"' in page.content


def test_a_time_in_the_repeated_hour_is_refused(officer_client, programme):
    phase = programme.calls.get().phases.get(order=1)
    response = officer_client.post(
        f"{ADMIN}/phase/{phase.pk}/change/",
        phase_data(phase, "2021-09-01", "2021-10-31", time=("08:00", "03:30")),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["closes_at"] == [
        "2021-10-31 03:30:00 couldn’t be interpreted in time zone Europe/Helsinki; it may be "
        "ambiguous or it may not exist."
    ]


def test_a_phase_must_close_after_it_opens(officer_client, programme):
    phase = programme.calls.get().phases.get(order=1)
    response = officer_client.post(
        f"{ADMIN}/phase/{phase.pk}/change/",
        phase_data(phase, "2021-04-15", "2021-04-15", time=("16:15", "16:15")),
    )
    assert response.context["adminform"].form.errors["closes_at"] == [
        "A phase must close after it opens."
    ]
    assert Phase.objects.get(pk=phase.pk).closes_at == datetime(2021, 4, 15, 13, 15, tzinfo=UTC)


def test_the_phase_list_shows_deadlines_in_the_programmes_zone(officer_client, programme):
    response = officer_client.get(f"{ADMIN}/phase/")
    assert b"15 April 2021 at 16:15 Finnish time" in response.content
    assert b"2 June 2021 at 16:15 Finnish time" in response.content


# --- Languages and query counts -------------------------------------------------------------


def test_the_admin_speaks_finnish_and_swedish(client, tem_officer, programme):
    client.force_login(tem_officer)
    finnish = client.get("/fi/admin/programmes/programme/").content.decode()
    assert "Julkaise" in finnish
    assert "Peru julkaisu" in finnish
    swedish = client.get("/sv/admin/programmes/programme/").content.decode()
    assert "Publicera" in swedish
    assert "Återkalla publiceringen" in swedish
    call = programme.calls.get()
    finnish = client.get(f"/fi/admin/programmes/call/{call.pk}/change/").content.decode()
    assert '<label class="required" for="id_programme">Ohjelma:</label>' in finnish
    assert "Sallitut hakijatyypit" in finnish
    swedish = client.get(f"/sv/admin/programmes/call/{call.pk}/change/").content.decode()
    assert '<label class="required" for="id_programme">Program:</label>' in swedish
    assert "Ansökningsobjekt" in swedish


@pytest.mark.parametrize("model", ["programme", "call", "phase"])
def test_changelist_queries_do_not_grow_with_rows(
    officer_client, tem, model, django_assert_num_queries
):
    network_programme(funder=tem)
    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(f"{ADMIN}/{model}/").status_code == 200
    for _ in range(4):
        network_programme(funder=tem)
    with django_assert_num_queries(len(one.captured_queries)):
        response = officer_client.get(f"{ADMIN}/{model}/")
    assert (
        len(response.context["cl"].result_list) == {"programme": 5, "call": 5, "phase": 10}[model]
    )


# --- The forms validate -------------------------------------------------------------------


def call_data(call, instrument=None, phase=None):
    data = {
        "programme": call.programme.pk,
        "slug": call.slug,
        "name_fi": call.name_fi,
        "name_sv": call.name_sv,
        **management_forms("instruments", "phases", "contacts"),
    }
    if instrument:
        data["instruments-TOTAL_FORMS"] = "1"
        data |= {f"instruments-0-{key}": value for key, value in instrument.items()}
    if phase:
        data["phases-TOTAL_FORMS"] = "1"
        data |= {f"phases-0-{key}": value for key, value in phase.items()}
    return data


INSTRUMENT = {
    "order": "1",
    "code": "network",
    "kind": "thematic_network",
    "name_fi": "Teemaverkosto",
    "name_sv": "Temanätverk",
    "allowed_applicant_types": ["municipality", "leader_group"],
    "min_municipalities": "4",
    "min_regions": "2",
    "min_partners": "0",
}
PHASE = {
    "order": "1",
    "kind": "idea",
    "name_fi": "Ideahaku",
    "name_sv": "Idéefterlysning",
    "opens_at_0": "2021-03-01",
    "opens_at_1": "10:00",
    "closes_at_0": "2021-04-15",
    "closes_at_1": "16:15",
}


def test_instruments_and_phases_are_added_to_a_call(officer_client, tem, finland):
    call = CallFactory(programme=ProgrammeFactory(funder=tem))
    earmark = EarmarkFactory(programme=call.programme)
    instrument = INSTRUMENT | {"countries": [finland.pk], "earmarks": [earmark.pk]}
    response = officer_client.post(
        f"{ADMIN}/call/{call.pk}/change/", call_data(call, instrument, PHASE)
    )
    assert response.status_code == 302
    (saved,) = call.instruments.all()
    assert saved.allowed_applicant_types == ["municipality", "leader_group"]
    assert list(saved.countries.all()) == [finland]
    assert list(saved.earmarks.all()) == [earmark]
    (phase,) = call.phases.all()
    assert phase.closes_at == datetime(2021, 4, 15, 13, 15, tzinfo=UTC)


def test_an_instrument_with_anothers_earmark_or_unknown_types_is_refused(
    officer_client, tem, finland
):
    call = CallFactory(programme=ProgrammeFactory(funder=tem))
    foreign = EarmarkFactory()
    instrument = INSTRUMENT | {
        "countries": [finland.pk],
        "earmarks": [foreign.pk],
        "allowed_applicant_types": ["municipality", "pirate_ship"],
    }
    response = officer_client.post(f"{ADMIN}/call/{call.pk}/change/", call_data(call, instrument))
    assert response.status_code == 200
    errors = inline_formset(response, "instruments").errors[0]
    assert errors == {
        "allowed_applicant_types": [
            "Select a valid choice. pirate_ship is not one of the available choices."
        ],
        "earmarks": [f"Select a valid choice. {foreign.pk} is not one of the available choices."],
    }
    assert call.instruments.count() == 0


def test_criteria_are_scored_in_half_points(officer_client, programme):
    phase = programme.calls.get().phases.get(order=1)
    instrument = phase.call.instruments.get(code="thematic-network")
    data = phase_data(phase, "2021-03-01", "2021-04-15", time=("10:00", "16:15"))
    data |= {
        "criteria-TOTAL_FORMS": "2",
        "criteria-0-instrument": instrument.pk,
        "criteria-0-order": "1",
        "criteria-0-kind": "scored",
        "criteria-0-name_fi": "Vaikuttavuus",
        "criteria-0-weight": "2",
        "criteria-0-threshold": "2.3",
        "criteria-1-instrument": instrument.pk,
        "criteria-1-order": "2",
        "criteria-1-kind": "gate",
        "criteria-1-name_fi": "Valtionavustuslain 7 §:n edellytykset",
        "criteria-1-weight": "0",
        "criteria-1-threshold": "3",
    }
    response = officer_client.post(f"{ADMIN}/phase/{phase.pk}/change/", data)
    assert response.status_code == 200
    assert inline_formset(response, "criteria").errors == [
        {"threshold": ["Use half points: 2.3 is not a multiple of 0.5."]},
        {"threshold": ["A yes/no condition has no threshold."]},
    ]
    data |= {"criteria-0-threshold": "2.5", "criteria-1-threshold": ""}
    response = officer_client.post(f"{ADMIN}/phase/{phase.pk}/change/", data)
    assert response.status_code == 302
    assert list(phase.criteria.values_list("kind", "threshold")) == [
        ("scored", Decimal("2.5")),
        ("gate", None),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "programme/add/",
        "programme/{programme}/change/",
        "call/add/",
        "call/{call}/change/",
        "phase/add/",
        "phase/{phase}/change/",
        "programme/{programme}/history/",
    ],
)
def test_every_page_opens_for_an_officer_and_a_superuser(
    officer_client, admin_client, programme, url
):
    call = programme.calls.get()
    url = url.format(programme=programme.pk, call=call.pk, phase=call.phases.first().pk)
    for client in (officer_client, admin_client):
        for language in ("fi", "sv", "en"):
            response = client.get(f"/{language}/admin/programmes/{url}")
            assert response.status_code == 200, (url, language)


def test_a_phases_date_and_time_inputs_each_have_a_label_naming_the_field(
    officer_client, programme
):
    """Django's split date-time field labels neither input (axe: label)."""
    response = officer_client.get(f"{ADMIN}/phase/add/")
    page = response.content.decode()
    for name, field in (("opens_at", "Opens at"), ("closes_at", "Closes at")):
        for index, part in ((0, "Date:"), (1, "Time:")):
            assert (
                f'<label class="datetime-part" for="id_{name}_{index}">'
                f'<span class="visually-hidden">{field}: </span>{part}</label>'
            ) in page
            assert f'id="id_{name}_{index}"' in page


def test_a_choice_of_call_offers_no_deletion(officer_client, programme):
    """Whether the chosen call may be deleted (a published one may not) is known only on the
    popup, which would answer 403: the choice offers add, change and view only."""
    call = programme.calls.get()
    response = officer_client.get(f"{ADMIN}/phase/{call.phases.first().pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="change_id_call"' in page
    assert 'id="delete_id_call"' not in page
    assert "/delete/?_to_field=id&amp;_popup=1" not in page


# --- Contact persons ------------------------------------------------------------------------

CONTACT = {
    "order": "1",
    "name": "Anna Virtanen",
    "role_fi": "Ohjelmapäällikkö",
    "role_sv": "Programchef",
    "email": "anna.virtanen@tem.example",
    "phone": "+358 29 504 0101",
    "languages": ["sv", "fi"],
}


def contact_data(contacts):
    """The contacts inline of a call's change form, ``contacts`` as (pk or None, fields)."""
    data = {
        "contacts-TOTAL_FORMS": str(len(contacts)),
        "contacts-INITIAL_FORMS": str(sum(1 for pk, _fields in contacts if pk)),
    }
    for index, (pk, fields) in enumerate(contacts):
        data |= {f"contacts-{index}-{key}": value for key, value in fields.items()}
        if pk:
            data[f"contacts-{index}-id"] = str(pk)
    return data


def test_an_officer_names_the_calls_contact_persons(officer_client, tem):
    call = CallFactory(programme=ProgrammeFactory(funder=tem))
    response = officer_client.post(
        f"{ADMIN}/call/{call.pk}/change/", call_data(call) | contact_data([(None, CONTACT)])
    )
    assert response.status_code == 302
    (contact,) = call.contacts.all()
    assert (contact.name, contact.role_fi, contact.role_sv, contact.email, contact.phone) == (
        "Anna Virtanen",
        "Ohjelmapäällikkö",
        "Programchef",
        "anna.virtanen@tem.example",
        "+358 29 504 0101",
    )
    assert contact.languages == ["fi", "sv"]


@pytest.fixture
def published_call(programme, tem_officer):
    call = programme.calls.get()
    attach_forms(call, programme.funder)
    services.publish_programme(programme, by=tem_officer)
    return services.publish_call(call, by=tem_officer)


def test_the_contacts_of_a_published_call_stay_editable(officer_client, published_call):
    contact = CallContactFactory(call=published_call, name="Anna Virtanen")
    url = f"{ADMIN}/call/{published_call.pk}/change/"
    page = officer_client.get(url)
    assert page.context["has_change_permission"] is True
    # The call's own texts, instruments and phases stay as published.
    assert list(page.context["adminform"].form.fields) == []
    assert inline_formset(page, "instruments").forms[0].fields.get("name_fi") is not None
    editable = {
        inline.formset.prefix: inline.has_change_permission
        for inline in page.context["inline_admin_formsets"]
    }
    assert editable == {"instruments": False, "phases": False, "contacts": True}

    data = {
        "name_fi": "Uusi nimi",
        **management_forms("instruments", "phases"),
        **contact_data([(contact.pk, CONTACT | {"name": "Johan Lindqvist"}), (None, CONTACT)]),
    }
    data["instruments-INITIAL_FORMS"] = str(published_call.instruments.count())
    data["phases-INITIAL_FORMS"] = str(published_call.phases.count())
    response = officer_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert list(published_call.contacts.values_list("name", flat=True)) == [
        "Johan Lindqvist",
        "Anna Virtanen",
    ]
    published_call.refresh_from_db()
    assert published_call.name_fi == "Verkostohaku 2021"
    assert published_call.state == PublicationState.PUBLISHED


def test_a_published_calls_contact_keeps_its_swedish_role(officer_client, published_call):
    url = f"{ADMIN}/call/{published_call.pk}/change/"
    data = {
        **management_forms("instruments", "phases"),
        **contact_data([(None, CONTACT | {"role_sv": ""})]),
    }
    data["instruments-INITIAL_FORMS"] = str(published_call.instruments.count())
    data["phases-INITIAL_FORMS"] = str(published_call.phases.count())
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert inline_formset(response, "contacts").errors == [
        {"__all__": ["Contact person 'Anna Virtanen' has no Swedish role"]}
    ]
    assert published_call.contacts.count() == 0


def test_another_funders_officer_cannot_change_the_contacts(
    client, tillvaxtverket_officer, published_call
):
    contact = CallContactFactory(call=published_call)
    client.force_login(tillvaxtverket_officer)
    url = f"{ADMIN}/call/{published_call.pk}/change/"
    assert client.get(url).status_code == 404
    response = client.post(url, contact_data([(contact.pk, CONTACT)]))
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.name != "Anna Virtanen"

"""The demo programmes: the Finnish network programme of 2021 as DESIGN.md §3 describes it,
an identical round open today, and the Swedish yearly follow-up, all published."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from regionet.audit.models import AuditEvent
from regionet.demo import programmes as demo_programmes
from regionet.demo import services
from regionet.events.models import Event
from regionet.programmes import deadlines
from regionet.programmes.models import Criterion, Phase, Programme, PublicationState

pytestmark = pytest.mark.django_db

NETWORK = "network-cooperation-2021-2023"
NEW_ROUND = "network-cooperation-new-round"
FOLLOW_UP = "regional-development-follow-up"


@pytest.fixture
def demo():
    assert services.load_demo() is True


@pytest.fixture
def network(demo):
    return Programme.objects.get(slug=NETWORK)


@pytest.fixture
def new_round(demo):
    return Programme.objects.get(slug=NEW_ROUND)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_the_2021_programme_has_its_money_and_funder(network):
    assert network.funder.name_fi == "Työ- ja elinkeinoministeriö"
    assert network.appropriation_code == "AKKE"
    assert network.appropriation_name_fi == "Alueiden kestävän kasvun ja elinvoiman tukeminen"
    assert network.legal_basis_fi == "Valtionavustuslaki (688/2001)"
    assert network.total_budget == Decimal("7000000.00")
    assert (network.first_year, network.last_year, network.currency) == (2021, 2023, "EUR")
    budgets = list(network.yearly_budgets.values_list("year", "amount"))
    assert [year for year, _amount in budgets] == [2021, 2022, 2023]
    assert sum(amount for _year, amount in budgets) == Decimal("7000000.00")


def test_the_2021_programme_has_ten_themes_and_three_zones_with_real_regions(network):
    assert network.themes.count() == 10
    assert network.themes.first().name_fi == "Etätyökeskittymät"
    zones = {
        zone.name_fi: sorted(zone.regions.values_list("code", flat=True))
        for zone in network.zones.all()
    }
    assert zones == {
        "Perämerenkaaren kehittämisvyöhyke": ["17", "19"],
        "Suomen kasvukäytävä": ["01", "05", "06"],
        "Viitoskäytävä": ["10", "11", "18"],
    }
    assert sorted(network.zones.values_list("name_sv", flat=True)) == [
        "Bottenviksbågens utvecklingsområde",
        "Finlands tillväxtkorridor",
        "Viitoskorridoren",
    ]


def test_the_2021_call_has_two_instruments_with_their_rules(network):
    call = network.calls.get()
    thematic, zone = call.instruments.order_by("order")
    assert (thematic.kind, thematic.min_municipalities, thematic.min_regions) == (
        "thematic_network",
        4,
        2,
    )
    assert thematic.allowed_applicant_types == [
        "municipality",
        "joint_municipal_authority",
        "development_organisation",
        "educational_institution",
        "ngo",
        "leader_group",
    ]
    assert [e.code for e in thematic.earmarks.all()] == ["regional-towns"]
    assert list(thematic.countries.values_list("code", flat=True)) == ["FI"]
    assert zone.kind == "development_zone"
    assert list(zone.earmarks.all()) == []


def test_the_2021_phases_close_at_16_15_finnish_time(network):
    idea, full = network.calls.get().phases.order_by("order")
    assert (idea.kind, idea.closes_at, idea.requires_invitation) == (
        Phase.Kind.IDEA,
        utc(2021, 4, 15, 13, 15),
        False,
    )
    assert (full.kind, full.closes_at, full.requires_invitation) == (
        Phase.Kind.FULL,
        utc(2021, 6, 2, 13, 15),
        True,
    )
    assert deadlines.format_deadline(idea.closes_at, network.time_zone, "fi") == (
        "15.4.2021 klo 16.15 Suomen aikaa"
    )


def test_the_2021_webinar_is_an_event_of_the_call(network):
    webinar = Event.objects.get(call__programme=network)
    assert (webinar.kind, webinar.starts_at, webinar.ends_at) == (
        Event.Kind.WEBINAR,
        utc(2021, 4, 20, 9, 30),
        utc(2021, 4, 20, 13, 0),
    )
    assert (webinar.organiser, webinar.capacity, webinar.state) == (
        network.funder,
        200,
        PublicationState.PUBLISHED,
    )


def test_every_phase_and_instrument_has_the_four_gate_conditions(network):
    call = network.calls.get()
    gates = Criterion.objects.filter(phase__call=call, kind=Criterion.Kind.GATE)
    assert gates.count() == 16
    idea = call.phases.get(kind=Phase.Kind.IDEA)
    thematic = call.instruments.get(code="thematic-network")
    assert list(
        gates.filter(phase=idea, instrument=thematic).order_by("order").values_list("name_fi")
    ) == [
        ("Käyttötarkoitus on hyväksyttävä",),
        ("Avustus on perusteltu ohjelman tavoitteiden kannalta",),
        ("Avustus on tarpeellinen muut julkiset tuet huomioon ottaen",),
        ("Avustus vääristää kilpailua enintään vähäisesti",),
    ]
    scored = Criterion.objects.filter(phase=idea, instrument=thematic, kind="scored")
    assert scored.count() == 3
    assert idea.thresholds.get(instrument=thematic).overall_threshold == Decimal("3.00")


def test_the_2021_decisions_are_told(network):
    assert network.calls.get().decision_info_fi == (
        "Valtioneuvosto teki avustuspäätökset 29.6.2021. Hakemuksia saapui 37, ja niistä 18 "
        "sai rahoitusta. Verkostojen ja vyöhykkeiden toiminta käynnistyi syksyllä 2021."
    )


def test_the_2021_call_names_its_contacts_and_expects_decisions_in_june(network):
    call = network.calls.get()
    assert [
        (contact.order, contact.name, contact.email, contact.languages)
        for contact in call.contacts.order_by("order")
    ] == [
        (1, "Anna Virtanen", "anna.virtanen@tem.example", ["fi", "en"]),
        (2, "Johan Lindqvist", "johan.lindqvist@tem.example", ["fi", "sv", "en"]),
        (3, "Mikko Korhonen", "mikko.korhonen@tem.example", ["fi", "sv"]),
    ]
    assert all(contact.role_fi and contact.role_sv for contact in call.contacts.all())
    assert (call.decisions_expected_fi, call.decisions_expected_sv) == (
        "Avustuspäätösten odotetaan valmistuvan kesäkuussa 2021.",
        "Besluten om statsunderstöd väntas i juni 2021.",
    )
    idea, full = call.phases.order_by("order")
    assert idea.next_steps_fi.startswith("Hakuajan päätyttyä ministeriön valmistelijat")
    assert "valtioneuvosto tekee avustuspäätökset" in full.next_steps_fi


def test_the_new_round_expects_decisions_a_month_after_it_closes(new_round):
    call = new_round.calls.get()
    assert call.decisions_expected_en == (
        "The grant decisions are expected about a month after the full application phase closes."
    )
    assert call.contacts.count() == 3


def test_the_new_round_is_open_today(new_round):
    now = timezone.now()
    call = new_round.calls.get()
    idea, full = call.phases.order_by("order")
    assert deadlines.is_open(idea.opens_at, idea.closes_at, now) is True
    assert deadlines.is_open(full.opens_at, full.closes_at, now) is False
    assert timedelta(days=59) < idea.closes_at - now < timedelta(days=61)
    assert timedelta(days=109) < full.closes_at - now < timedelta(days=111)
    local_close = deadlines.local(idea.closes_at, new_round.time_zone)
    assert (local_close.hour, local_close.minute) == (16, 15)
    webinar = Event.objects.get(call=call)
    assert timedelta(days=19) < webinar.starts_at - now < timedelta(days=21)
    assert new_round.first_year == deadlines.local(full.closes_at, new_round.time_zone).year


def test_the_new_round_copies_the_2021_call(network, new_round):
    assert new_round.total_budget == network.total_budget
    assert new_round.themes.count() == 10
    assert new_round.zones.count() == 3
    assert sum(new_round.yearly_budgets.values_list("amount", flat=True)) == Decimal("7000000.00")
    old_call, new_call = network.calls.get(), new_round.calls.get()
    assert (
        Criterion.objects.filter(phase__call=new_call).count()
        == Criterion.objects.filter(phase__call=old_call).count()
    )
    assert new_call.name_fi == (
        "Teemaverkostojen ja kehittämisvyöhykkeiden haku – uusi hakukierros"
    )


def test_the_swedish_follow_up_programme(demo):
    follow_up = Programme.objects.get(slug=FOLLOW_UP)
    assert (follow_up.funder.name_fi, follow_up.currency, follow_up.time_zone) == (
        "Tillväxtverket",
        "SEK",
        "Europe/Stockholm",
    )
    assert (follow_up.first_year, follow_up.last_year) == (2021, 2030)
    assert follow_up.name_sv == "Uppföljning av det regionala utvecklingsarbetet"
    assert list(follow_up.themes.values_list("name_sv", flat=True)) == [
        "Likvärdiga möjligheter till boende, arbete och välfärd i hela landet",
        "Kompetensförsörjning och kompetensutveckling i hela landet",
        "Innovation och förnyelse samt entreprenörskap och företagande i hela landet",
        "Tillgänglighet genom digital kommunikation och transporter i hela landet",
    ]


def test_programmes_and_calls_are_published_through_the_doors(demo):
    programmes = Programme.objects.order_by("slug")
    assert [(p.slug, p.state) for p in programmes] == [
        (NETWORK, "published"),
        (NEW_ROUND, "published"),
        (FOLLOW_UP, "published"),
    ]
    calls = sorted(
        (call.programme.slug, call.slug, call.state)
        for programme in programmes
        for call in programme.calls.all()
    )
    assert calls == [(NETWORK, "2021", "published"), (NEW_ROUND, "new-round", "published")]
    verbs = sorted(
        AuditEvent.objects.values_list("verb", flat=True).filter(
            verb__in=["programme.published", "call.published"]
        )
    )
    assert verbs == ["call.published"] * 2 + ["programme.published"] * 3


def test_loading_twice_changes_nothing(demo):
    counts = (Programme.objects.count(), Criterion.objects.count(), Event.objects.count())
    assert services.load_demo() is False
    assert demo_programmes.load_programmes() is False
    assert (Programme.objects.count(), Criterion.objects.count(), Event.objects.count()) == counts

"""The public programme and call pages, read with the demo programmes in three languages."""

import itertools
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from regionet.demo import services
from regionet.places.models import Region
from regionet.portal import programme_views
from regionet.programmes import deadlines
from regionet.programmes.eligibility import describe_rules
from regionet.programmes.models import Call, Criterion, Phase, Programme, PublicationState
from tests.factories import (
    CallContactFactory,
    CallFactory,
    CriterionFactory,
    EarmarkFactory,
    PhaseFactory,
    ThemeFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

NETWORK = "network-cooperation-2021-2023"
NEW_ROUND = "network-cooperation-new-round"
FOLLOW_UP = "regional-development-follow-up"


@pytest.fixture
def demo():
    assert services.load_demo() is True


@pytest.fixture
def call_2021(demo):
    return Call.objects.select_related("programme").get(programme__slug=NETWORK)


@pytest.fixture
def new_round(demo):
    return Call.objects.select_related("programme").get(programme__slug=NEW_ROUND)


def url(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def call_url(language, call):
    return url(language, "calls:call_detail", programme=call.programme.slug, call=call.slug)


def page(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def texts(html, tag) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", inner).strip()
        for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)
    ]


# --- Deadlines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "idea_closes", "full_closes"),
    [
        ("fi", "15.4.2021 klo 16.15 Suomen aikaa", "2.6.2021 klo 16.15 Suomen aikaa"),
        ("sv", "15.4.2021 kl. 16.15 finsk tid", "2.6.2021 kl. 16.15 finsk tid"),
        ("en", "15 April 2021 at 16:15 Finnish time", "2 June 2021 at 16:15 Finnish time"),
    ],
)
def test_the_call_page_shows_deadlines_in_finnish_time(
    client, call_2021, language, idea_closes, full_closes
):
    html = page(client, call_url(language, call_2021))
    assert f'<html lang="{language}">' in html
    assert texts(html, "h1") == [getattr(call_2021, f"name_{language}")]
    assert html.count(f"<dd>{idea_closes}</dd>") == 1
    assert html.count(f"<dd>{full_closes}</dd>") == 1
    # …and on top of the page: the last phase closed then.
    assert html.count(full_closes) == 2


def test_an_open_phase_shows_the_time_left(client, new_round):
    idea = new_round.phases.get(kind=Phase.Kind.IDEA)
    html = page(client, call_url("en", new_round))
    left = deadlines.time_left(idea.closes_at, timezone.now(), "en")
    closes = deadlines.format_deadline(idea.closes_at, "Europe/Helsinki", "en")
    assert f"<strong>Open now</strong>: Idea phase. Closes {closes} ({left} left)." in html
    assert f"<dd><strong>Open now</strong> ({left} left)</dd>" in html
    full = new_round.phases.get(kind=Phase.Kind.FULL)
    opens = deadlines.format_deadline(full.opens_at, "Europe/Helsinki", "en")
    assert f"<dd>Opens on {opens}</dd>" in html


def test_a_closed_call_says_so_and_tells_the_decisions(client, call_2021):
    html = page(client, call_url("fi", call_2021))
    assert html.count("<dd>Päättynyt</dd>") == 2
    assert call_2021.decision_info_fi in html
    assert "aikaa jäljellä" not in html


@pytest.mark.parametrize(
    ("at", "state"),
    [
        (datetime(2021, 3, 1, 7, 59, 59, 999999, tzinfo=UTC), "upcoming"),
        (datetime(2021, 3, 1, 8, 0, tzinfo=UTC), "open"),
        (datetime(2021, 4, 15, 13, 15, tzinfo=UTC), "open"),
        (datetime(2021, 4, 15, 13, 15, 0, 1, tzinfo=UTC), "closed"),
    ],
)
def test_a_phase_is_open_from_its_first_instant_to_its_last(at, state):
    """16.15.00,000 is in time, 16.15.00,001 is not (the phase opens 10.00 Finnish time)."""
    phase = Phase(
        opens_at=datetime(2021, 3, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2021, 4, 15, 13, 15, tzinfo=UTC),
    )
    assert programme_views.phase_status(phase, at).state == state


def test_a_call_stands_where_its_open_or_next_phase_is():
    idea = Phase(
        order=1,
        opens_at=datetime(2021, 3, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2021, 4, 15, 13, 15, tzinfo=UTC),
    )
    full = Phase(
        order=2,
        opens_at=datetime(2021, 4, 26, 6, 0, tzinfo=UTC),
        closes_at=datetime(2021, 6, 2, 13, 15, tzinfo=UTC),
    )
    status = programme_views.call_status
    during = status([idea, full], datetime(2021, 4, 1, tzinfo=UTC))
    assert (during.phase, during.state) == (idea, "open")
    between = status([idea, full], datetime(2021, 4, 20, tzinfo=UTC))
    assert (between.phase, between.state) == (full, "upcoming")
    after = status([idea, full], datetime(2021, 7, 1, tzinfo=UTC))
    assert (after.phase, after.state) == (full, "closed")
    assert status([], datetime(2021, 7, 1, tzinfo=UTC)) is None


# --- What can be applied for, and how it is judged -------------------------------------------


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_rules_are_stated_in_plain_language(client, call_2021, language):
    html = page(client, call_url(language, call_2021))
    for instrument in call_2021.instruments.all():
        rules = describe_rules(instrument, language)
        assert len(rules) >= 2
        for rule in rules:
            assert f"<li>{escape(rule)}</li>" in html


def test_the_english_rules_read_as_the_call_said(client, call_2021):
    items = texts(page(client, call_url("en", call_2021)), "li")
    assert "At least 4 municipalities in at least 2 regions" in items
    assert (
        "Applicants: municipalities, joint municipal authorities, development organisations, "
        "educational institutions, organisations (NGOs), and LEADER groups"
    ) in items


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_criteria_are_published_per_phase_and_instrument(client, call_2021, language):
    html = page(client, call_url(language, call_2021))
    captions = texts(html, "caption")
    assert len(captions) == 4  # 2 phases × 2 instruments
    scored = Criterion.objects.filter(phase__call=call_2021, kind=Criterion.Kind.SCORED)
    row_headers = re.findall(r'<th scope="row">([^<]*)</th>', html)
    assert row_headers == [
        escape(getattr(c, f"name_{language}"))
        for c in scored.order_by("phase__order", "instrument__order", "order")
    ]
    gates = Criterion.objects.filter(phase__call=call_2021, kind=Criterion.Kind.GATE)
    for gate in gates.filter(phase__order=1, instrument__order=1):
        name = escape(getattr(gate, f"name_{language}"))
        assert html.count(f"<li>{name} – ") == 4


def test_weights_and_thresholds_are_in_the_table(client, call_2021):
    html = page(client, call_url("fi", call_2021))
    assert re.search(
        r'<th scope="row">Teeman merkitys alueiden kehittämiselle</th>\s*<td>[^<]*</td>\s*'
        r'<td class="number">2</td>\s*<td class="number">3</td>',
        html,
    )
    assert re.search(
        r'<th scope="row">Verkoston kokoonpano ja alueellinen laajuus</th>\s*<td>[^<]*</td>\s*'
        r'<td class="number">1</td>\s*<td class="number">2,5</td>',
        html,
    )
    assert html.count("Kokonaiskynnys (painotettu keskiarvo): 3,5") == 2


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_themes_are_listed(client, call_2021, language):
    html = page(client, call_url(language, call_2021))
    items = texts(html, "li")
    themes = [getattr(t, f"name_{language}") for t in call_2021.programme.themes.all()]
    assert len(themes) == 10
    assert [item for item in items if item in themes] == themes


# --- Zones and their maps --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fi", "Kartta: Suomen kasvukäytävä kattaa maakunnat Uusimaa, Kanta-Häme ja Pirkanmaa"),
        (
            "sv",
            "Karta: Finlands tillväxtkorridor omfattar landskapen Nyland, Egentliga "
            "Tavastland och Birkaland",
        ),
        ("en", "Map: Finnish Growth Corridor covers the regions Uusimaa, Kanta-Häme and Pirkanmaa"),
    ],
)
def test_each_zone_has_a_map_with_an_accessible_name(client, call_2021, language, label):
    html = page(client, call_url(language, call_2021))
    maps = re.findall(r"<svg\b[^>]*>.*?</svg>", html, re.S)
    assert len(maps) == 3
    growth_corridor = next(m for m in maps if f'aria-label="{escape(label)}"' in m)
    assert 'role="img"' in growth_corridor
    regions = Region.objects.filter(country__code="FI", boundary__isnull=False).count()
    assert growth_corridor.count("<path ") == regions == 19
    assert growth_corridor.count('fill="url(#zone-') == 3


def test_the_zone_regions_are_listed_as_text_next_to_the_map(client, call_2021):
    html = page(client, call_url("en", call_2021))
    zone = call_2021.programme.zones.get(code="perameri")
    section = re.search(rf'<section aria-labelledby="zone-{zone.pk}">(.*?)</section>', html, re.S)
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', section.group(1))
    assert links == [
        (url("en", "places:region_detail", country="FI", code="17"), "North Ostrobothnia"),
        (url("en", "places:region_detail", country="FI", code="19"), "Lapland"),
    ]
    assert "hatched on the map" in section.group(1)


# --- The webinar ---------------------------------------------------------------------------


def test_the_webinar_of_the_open_round_links_to_its_registration(client, new_round):
    webinar = new_round.events.get()
    html = page(client, call_url("en", new_round))
    assert (
        f'<a class="button" href="{url("en", "events:event_detail", pk=webinar.pk)}">Register'
        in html
    )
    starts = deadlines.format_deadline(webinar.starts_at, "Europe/Helsinki", "en")
    assert f"<dd>{starts}</dd>" in html
    assert starts.endswith("at 12:30 Finnish time")


def test_the_2021_webinar_has_taken_place(client, call_2021):
    html = page(client, call_url("en", call_2021))
    assert "<dd>20 April 2021 at 12:30 Finnish time</dd>" in html
    assert "<dd>20 April 2021 at 16:00 Finnish time</dd>" in html
    assert "This event has already taken place." in html
    assert 'class="button"' not in html


# --- Programmes ----------------------------------------------------------------------------


def test_the_programme_page_shows_the_money(client, call_2021):
    html = page(client, url("fi", "calls:programme_detail", slug=NETWORK))
    cells = re.findall(r'<td class="number">([^<]*)</td>', html)
    # Babel writes no-break spaces, so that an amount never breaks across two lines.
    assert [cell.replace("\xa0", " ") for cell in cells] == [
        "2 000 000,00 €",
        "2 500 000,00 €",
        "2 500 000,00 €",
        "7 000 000,00 €",
        "1 000 000,00 €",
    ]
    assert "AKKE – Alueiden kestävän kasvun ja elinvoiman tukeminen" in html
    assert "Valtionavustuslaki (688/2001)" in html
    assert f'href="{call_url("fi", call_2021)}"' in html
    assert texts(html, "h1") == ["Alueiden välinen verkostoyhteistyö 2021–2023"]


def test_the_follow_up_programme_shows_its_strategic_areas(client, demo):
    html = page(client, url("sv", "calls:programme_detail", slug=FOLLOW_UP))
    assert texts(html, "h1") == ["Uppföljning av det regionala utvecklingsarbetet"]
    assert "Kompetensförsörjning och kompetensutveckling i hela landet" in html
    assert "<table" not in html  # it distributes no money of its own


def test_the_list_shows_open_calls_first(client, demo, new_round, call_2021):
    html = page(client, url("en", "calls:programme_list"))
    open_section = re.search(r'<section aria-labelledby="open-calls">(.*?)</section>', html, re.S)
    assert re.findall(r'<a href="([^"]+)"', open_section.group(1)) == [call_url("en", new_round)]
    assert f'href="{call_url("en", call_2021)}"' in html
    assert html.count("<strong>Closed</strong>") == 1


def test_the_front_page_leads_to_the_open_calls(client, new_round):
    home = page(client, url("fi", "portal:home"))
    assert f'href="{url("fi", "calls:programme_list")}#open-calls"' in home
    listing = page(client, url("fi", "calls:programme_list"))
    assert f'href="{call_url("fi", new_round)}"' in listing


def test_the_front_page_lists_the_open_calls(client, new_round, call_2021):
    html = page(client, url("fi", "portal:home"))
    assert f'<a href="{call_url("fi", new_round)}">{new_round.name_fi}</a>' in html
    assert call_url("fi", call_2021) not in html


def test_the_front_page_says_when_no_call_is_open(client, db):
    html = page(client, url("sv", "portal:home"))
    assert "Ingen utlysning är öppen just nu." in html


# --- Only what is published ----------------------------------------------------------------


def test_a_draft_call_is_not_public(client, call_2021):
    draft = CallFactory(programme=call_2021.programme, slug="draft")
    assert client.get(call_url("fi", draft)).status_code == 404


def test_a_call_of_a_withdrawn_programme_is_not_public(client, call_2021):
    Programme.objects.filter(pk=call_2021.programme_id).update(state=PublicationState.DRAFT)
    assert client.get(call_url("fi", call_2021)).status_code == 404
    address = url("fi", "calls:programme_detail", slug=NETWORK)
    assert client.get(address).status_code == 404
    assert NETWORK not in page(client, url("fi", "calls:programme_list"))


def test_an_unknown_programme_is_not_found(client, demo):
    address = url("en", "calls:programme_detail", slug="no-such-programme")
    assert client.get(address).status_code == 404


# --- Queries -------------------------------------------------------------------------------


def _grow(call):
    """More of everything the call page lists: themes, zones, a phase, criteria, contacts."""
    programme = call.programme
    for _ in range(3):
        ThemeFactory(programme=programme)
        CallContactFactory(call=call)
    ZoneFactory(programme=programme, regions=list(Region.objects.filter(country__code="FI")[:4]))
    phase = PhaseFactory(
        call=call,
        order=3,
        kind=Phase.Kind.FULL,
        opens_at=datetime(2021, 8, 1, 6, 0, tzinfo=UTC),
        closes_at=datetime(2021, 9, 1, 13, 15, tzinfo=UTC),
        requires_invitation=True,
    )
    for instrument in call.instruments.all():
        for kind in (Criterion.Kind.SCORED, Criterion.Kind.GATE):
            CriterionFactory(
                phase=phase,
                instrument=instrument,
                kind=kind,
                threshold=Decimal("2.5") if kind == Criterion.Kind.SCORED else None,
            )
    EarmarkFactory(programme=programme)


CALL_PAGE_QUERIES = 14


def test_the_call_page_asks_a_fixed_number_of_queries(client, call_2021, django_assert_num_queries):
    address = call_url("fi", call_2021)
    with django_assert_num_queries(CALL_PAGE_QUERIES):
        client.get(address)
    _grow(call_2021)
    with django_assert_num_queries(CALL_PAGE_QUERIES):
        html = client.get(address).content.decode()
    assert len(texts(html, "caption")) == 6


def test_the_programme_pages_ask_a_fixed_number_of_queries(
    client, call_2021, django_assert_num_queries
):
    detail = url("fi", "calls:programme_detail", slug=NETWORK)
    listing = url("fi", "calls:programme_list")
    with django_assert_num_queries(8):
        client.get(detail)
    with django_assert_num_queries(3):
        client.get(listing)
    _grow(call_2021)
    CallFactory(programme=call_2021.programme, state=PublicationState.PUBLISHED)
    with django_assert_num_queries(8):
        client.get(detail)
    with django_assert_num_queries(3):
        client.get(listing)


# --- Page structure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        lambda: url("en", "calls:programme_list"),
        lambda: url("en", "calls:programme_detail", slug=NETWORK),
        lambda: url("en", "calls:call_detail", programme=NETWORK, call="2021"),
    ],
)
def test_one_h1_headings_in_order_and_tables_with_captions(client, demo, address):
    html = page(client, address())
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    assert html.count("<table") == html.count("<caption>")
    assert re.findall(r"<th\b(?![^>]*scope=)[^>]*>", html) == []


# --- Who to ask and what happens next -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "role", "languages", "expected"),
    [
        (
            "fi",
            "Keneltä kysyä",
            "Erityisasiantuntija: talousarvio ja rahoitussuunnitelma",
            "suomi, ruotsi, englanti",
            "Avustuspäätösten odotetaan valmistuvan kesäkuussa 2021.",
        ),
        (
            "sv",
            "Vem kan du fråga",
            "Specialsakkunnig: budget och finansieringsplan",
            "finska, svenska, engelska",
            "Besluten om statsunderstöd väntas i juni 2021.",
        ),
    ],
)
def test_the_2021_call_names_its_contacts_and_when_decisions_are_expected(
    client, call_2021, language, heading, role, languages, expected
):
    html = page(client, call_url(language, call_2021))
    section = html[html.index('aria-labelledby="call-contacts-heading"') :]
    assert texts(section, "h2")[0] == heading
    names = texts(section, "strong")[:3]
    assert names == ["Anna Virtanen", "Johan Lindqvist", "Mikko Korhonen"]
    johan = section[section.index("Johan Lindqvist") : section.index("Mikko Korhonen")]
    assert role in johan
    assert '<a href="mailto:johan.lindqvist@tem.example">johan.lindqvist@tem.example</a>' in johan
    assert '<a href="tel:+358295040102">+358 29 504 0102</a>' in johan
    assert f"<dd>{languages}</dd>" in johan
    decisions = html[html.index('id="decisions-heading"') :]
    assert f"<p><strong>{expected}</strong></p>" in decisions


def test_the_call_page_gives_the_contacts_include_its_contacts_only(client, call_2021):
    """What programmes/includes/contacts.html reads, in the call's order; the page writes the
    decisions and each phase's next steps from the call itself."""
    response = client.get(call_url("en", call_2021))
    assert response.context["guidance"] == {
        "contacts": list(call_2021.contacts.order_by("order", "pk"))
    }


def test_each_phase_says_what_happens_after_its_deadline(client, call_2021):
    html = page(client, call_url("en", call_2021))
    assert texts(html, "h4")[:2] == ["After the deadline", "After the deadline"]
    assert (
        "The applicants with the best ideas are invited to the full application phase by e-mail"
        in html
    )
    assert "and the Government makes the grant decisions." in html


def test_the_new_round_expects_its_decisions_a_month_after_it_closes(client, new_round):
    html = page(client, call_url("en", new_round))
    assert (
        "<p><strong>The grant decisions are expected about a month after the full application "
        "phase closes.</strong></p>"
    ) in html
    assert "Anna Virtanen" in html

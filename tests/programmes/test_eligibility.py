"""Eligibility rules as data, checked on generated consortia against a plain reference."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from regionet.accounts.models import Organisation
from regionet.places.models import Municipality
from regionet.programmes.eligibility import (
    ConsortiumFacts,
    EarmarkRule,
    EligibilityRules,
    RuleResult,
    check_eligibility,
    describe_rules,
    is_eligible,
    municipality_regions_in,
    usable_earmarks,
)
from tests.factories import EarmarkFactory, InstrumentFactory, country, network_programme

TYPES = Organisation.Type.values
NETWORK_TYPES = [
    "municipality",
    "joint_municipal_authority",
    "development_organisation",
    "educational_institution",
    "ngo",
    "leader_group",
]
NETWORK_RULES = EligibilityRules(
    allowed_applicant_types=tuple(NETWORK_TYPES),
    countries=("FI",),
    min_municipalities=4,
    min_regions=2,
)


def reference(rules: EligibilityRules, facts: ConsortiumFacts) -> dict[str, bool]:
    """What the rules say, written as plainly as possible."""
    results = {}
    if len(rules.allowed_applicant_types) > 0:
        results["coordinator_type"] = facts.coordinator_type in rules.allowed_applicant_types
        every_partner_allowed = True
        for partner_type in facts.partner_types:
            if partner_type not in rules.allowed_applicant_types:
                every_partner_allowed = False
        results["partner_types"] = every_partner_allowed
    if len(rules.countries) > 0:
        every_country_allowed = True
        for code in facts.countries:
            if code not in rules.countries:
                every_country_allowed = False
        results["countries"] = every_country_allowed
    if rules.min_municipalities > 0:
        results["min_municipalities"] = len(facts.municipality_regions) >= rules.min_municipalities
    if rules.min_regions > 0:
        regions = []
        for region in facts.municipality_regions.values():
            if region is not None and region not in regions:
                regions.append(region)
        results["min_regions"] = len(regions) >= rules.min_regions
    if rules.min_partners > 0:
        results["min_partners"] = facts.confirmed_partners >= rules.min_partners
    return results


rules_strategy = st.builds(
    EligibilityRules,
    allowed_applicant_types=st.lists(st.sampled_from(TYPES), unique=True).map(tuple),
    countries=st.lists(st.sampled_from(["FI", "SE", "NO", "EE"]), unique=True).map(tuple),
    min_municipalities=st.integers(0, 8),
    min_regions=st.integers(0, 4),
    min_partners=st.integers(0, 5),
)
facts_strategy = st.builds(
    ConsortiumFacts,
    coordinator_type=st.sampled_from(TYPES),
    partner_types=st.lists(st.sampled_from(TYPES), max_size=8).map(tuple),
    municipality_regions=st.dictionaries(
        st.integers(1, 400), st.one_of(st.none(), st.integers(1, 6)), max_size=12
    ),
    countries=st.frozensets(st.sampled_from(["FI", "SE", "NO", "EE"])),
    confirmed_partners=st.integers(0, 8),
)


@settings(max_examples=500, deadline=None)
@given(rules=rules_strategy, facts=facts_strategy, language=st.sampled_from(["fi", "sv", "en"]))
def test_generated_consortia_agree_with_the_reference(rules, facts, language):
    results = check_eligibility(rules, facts, language)
    expected = reference(rules, facts)
    assert {result.code: result.passed for result in results} == expected
    assert [result.code for result in results] == list(expected)
    assert is_eligible(results) == all(expected.values())
    assert all(result.message for result in results)


def facts(**overrides):
    values = {
        "coordinator_type": "municipality",
        "partner_types": ("development_organisation", "ngo"),
        "municipality_regions": {1: 10, 2: 10, 3: 11},
        "countries": frozenset({"FI"}),
        "confirmed_partners": 2,
    }
    return ConsortiumFacts(**{**values, **overrides})


def test_messages_say_the_rule_and_the_fact_in_english():
    consortium = facts(partner_types=("company", "ngo"), countries=frozenset({"FI", "SE"}))
    rules = EligibilityRules(**{**NETWORK_RULES.__dict__, "min_partners": 3})
    assert check_eligibility(rules, consortium, "en") == [
        RuleResult("coordinator_type", True, "Coordinator of an allowed type: municipality"),
        RuleResult("partner_types", False, "Partners of allowed types: not allowed: company"),
        RuleResult(
            "countries", False, "Organisations in allowed countries (Finland): not allowed: Sweden"
        ),
        RuleResult(
            "min_municipalities", False, "At least 4 participating municipalities: 3 listed"
        ),
        RuleResult("min_regions", True, "Municipalities in at least 2 regions: 2 regions"),
        RuleResult("min_partners", False, "At least 3 confirmed partners: 2 confirmed"),
    ]


def test_messages_in_finnish():
    consortium = facts(coordinator_type="company", municipality_regions={1: 10})
    assert [r.message for r in check_eligibility(NETWORK_RULES, consortium, "fi")] == [
        "Koordinaattori on sallittua tyyppiä: yritys",
        "Kumppanit ovat sallittua tyyppiä: kaikki sallittuja",
        "Organisaatiot sallituista maista (Suomi): kaikki",
        "Vähintään 4 osallistuvaa kuntaa: 1 ilmoitettu",
        "Kunnat vähintään 2 maakunnasta: 1 maakunta",
    ]


def test_messages_in_swedish():
    consortium = facts(partner_types=(), municipality_regions={1: 10, 2: 11, 3: 12, 4: 12})
    assert [r.message for r in check_eligibility(NETWORK_RULES, consortium, "sv")] == [
        "Koordinatorn är av tillåten typ: kommun",
        "Partnerna är av tillåten typ: inga partner",
        "Organisationer från tillåtna länder (Finland): alla",
        "Minst 4 deltagande kommuner: 4 angivna",
        "Kommuner i minst 2 regioner: 3 regioner",
    ]


def test_the_active_language_is_the_default():
    with translation.override("en"):
        first = check_eligibility(NETWORK_RULES, facts())[0]
    assert first.message == "Coordinator of an allowed type: municipality"


def test_rules_left_empty_are_not_applied():
    assert check_eligibility(EligibilityRules(), facts(coordinator_type="company")) == []


def test_municipalities_without_a_region_in_the_year_count_as_municipalities_only():
    consortium = facts(municipality_regions={1: None, 2: None, 3: 10, 4: 10})
    results = {r.code: r.passed for r in check_eligibility(NETWORK_RULES, consortium)}
    assert results["min_municipalities"] is True
    assert results["min_regions"] is False


def test_usable_earmarks():
    rules = EligibilityRules(
        earmarks=(
            EarmarkRule("regional-towns", True, frozenset({1, 2, 3})),
            EarmarkRule("general"),
        )
    )
    assert usable_earmarks(rules, facts(municipality_regions={1: 10, 2: 11})) == [
        "regional-towns",
        "general",
    ]
    assert usable_earmarks(rules, facts(municipality_regions={1: 10, 4: 11})) == ["general"]
    assert usable_earmarks(rules, facts(municipality_regions={})) == ["general"]


@pytest.mark.django_db
def test_rules_of_an_instrument(tem):
    programme = network_programme(funder=tem)
    towns = list(Municipality.objects.filter(country__code="FI", code__in=["005", "009"]))
    programme.regional_towns.set(towns)
    network = programme.calls.get().instruments.get(code="thematic-network")
    rules = EligibilityRules.of(network)
    assert rules == EligibilityRules(
        allowed_applicant_types=tuple(NETWORK_TYPES),
        countries=("FI",),
        min_municipalities=4,
        min_regions=2,
        min_partners=0,
        earmarks=(EarmarkRule("regional-towns", True, frozenset(town.pk for town in towns)),),
    )


@pytest.mark.django_db
def test_municipality_regions_in_a_year_from_the_reference_data(django_assert_num_queries):
    helsinki = Municipality.objects.get(country__code="FI", code="091")
    oulu = Municipality.objects.get(country__code="FI", code="564")
    with django_assert_num_queries(1):
        regions = municipality_regions_in([helsinki.pk, oulu.pk, 999_999], 2021)
    assert regions == {
        helsinki.pk: helsinki.region_in(2021).pk,
        oulu.pk: oulu.region_in(2021).pk,
        999_999: None,
    }
    assert helsinki.region_in(2021).name_fi == "Uusimaa"
    assert oulu.region_in(2021).name_fi == "Pohjois-Pohjanmaa"


# --- The rules in plain language for the call page -----------------------------------------


@pytest.fixture
def network(tem):
    return network_programme(funder=tem).calls.get().instruments.get(code="thematic-network")


@pytest.mark.django_db
def test_describe_rules_in_english(network):
    assert describe_rules(network, "en") == [
        "Applicants: municipalities, joint municipal authorities, development organisations, "
        "educational institutions, organisations (NGOs), and LEADER groups",
        "Organisations' country: Finland",
        "At least 4 municipalities in at least 2 regions",
        "Earmarked funding: Networks of regional towns",
    ]


@pytest.mark.django_db
def test_describe_rules_in_finnish(network):
    assert describe_rules(network, "fi") == [
        "Hakijat: kunnat, kuntayhtymät, kehittämisorganisaatiot, oppilaitokset, järjestöt ja "
        "LEADER-ryhmät",
        "Organisaatioiden maa: Suomi",
        "Vähintään 4 kuntaa vähintään 2 maakunnasta",
        "Korvamerkitty rahoitus: Seutukaupunkien verkostot",
    ]


@pytest.mark.django_db
def test_describe_rules_in_swedish(network):
    assert describe_rules(network, "sv") == [
        "Sökande: kommuner, samkommuner, utvecklingsorganisationer, läroanstalter, "
        "organisationer och LEADER-grupper",
        "Organisationernas land: Finland",
        "Minst 4 kommuner i minst 2 regioner",
        "Öronmärkt finansiering: Regionstädernas nätverk",
    ]


@pytest.mark.django_db
def test_describe_rules_singular_and_alone(tem):
    instrument = InstrumentFactory(
        allowed_applicant_types=["municipality"],
        min_municipalities=1,
        min_regions=0,
        min_partners=1,
        countries=[country("FI"), country("SE")],
    )
    instrument.earmarks.add(
        EarmarkFactory(
            programme=instrument.call.programme,
            name_en="Towns",
            rule_description_en="Only networks of regional towns",
        )
    )
    assert describe_rules(instrument, "en") == [
        "Applicants: municipalities",
        "Organisations' country: Finland or Sweden",
        "At least 1 municipality",
        "At least 1 confirmed partner",
        "Earmarked funding: Towns: Only networks of regional towns",
    ]
    assert describe_rules(instrument, "fi")[:4] == [
        "Hakijat: kunnat",
        "Organisaatioiden maa: Suomi tai Ruotsi",
        "Vähintään 1 kunta",
        "Vähintään 1 vahvistettu kumppani",
    ]
    instrument.min_municipalities, instrument.min_regions = 0, 3
    assert describe_rules(instrument, "sv")[2] == "Kommuner i minst 3 regioner"

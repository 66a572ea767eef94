"""Answers are checked against their questionnaire version, kind by kind, in the user's language."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regionet.programmes import money
from regionet.questionnaires import answers as answers_module
from regionet.questionnaires.answers import public_answers, validate_answers

pytestmark = pytest.mark.django_db


def errors(version, answers, language="en"):
    with translation.override(language):
        return validate_answers(version, answers)


def test_complete_answers_are_valid(version, answers):
    assert errors(version, answers) == {}


def test_missing_required_answers_are_named_by_their_labels(version):
    assert errors(version, {}) == {
        "contact_person": ["contact_person en: this answer is required."],
        "cooperation_goals": ["cooperation_goals en: this answer is required."],
        "own_financing": ["own_financing en: this answer is required."],
        "focus": ["focus en: this answer is required."],
        "vat_liable": ["vat_liable en: this answer is required."],
    }


@pytest.mark.parametrize("empty", [None, "", []])
def test_empty_values_are_no_answer(version, answers, empty):
    answers["contact_person"] = empty
    answers["staff_years"] = empty
    assert errors(version, answers) == {
        "contact_person": ["contact_person en: this answer is required."]
    }


def test_messages_are_in_the_users_language(version, answers):
    del answers["focus"]
    answers["starts_on"] = "1.9.2021"
    assert errors(version, answers, "fi") == {
        "focus": ["focus fi: vastaus puuttuu."],
        "starts_on": ["starts_on fi: anna päivämäärä muodossa VVVV-KK-PP, esim. 2021-04-15."],
    }
    assert errors(version, answers, "sv") == {
        "focus": ["focus sv: svaret saknas."],
        "starts_on": ["starts_on sv: ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2021-04-15."],
    }


def test_a_long_text_may_have_exactly_its_maximum_length(version, answers):
    answers["cooperation_goals"] = "x" * 100
    assert errors(version, answers) == {}
    answers["cooperation_goals"] = "x" * 101
    assert errors(version, answers) == {
        "cooperation_goals": ["cooperation_goals en: write at most 100 characters (now 101)."]
    }


def test_a_short_text_has_its_own_maximum_length(version, answers):
    answers["contact_person"] = "x" * 50
    assert errors(version, answers) == {}
    answers["contact_person"] = "x" * 51
    assert errors(version, answers) == {
        "contact_person": ["contact_person en: write at most 50 characters (now 51)."]
    }


@pytest.mark.parametrize("value", [3, 3.0, {"text": "x"}, True])
def test_texts_must_be_strings(version, answers, value):
    answers["contact_person"] = value
    assert errors(version, answers) == {"contact_person": ["contact_person en: enter text."]}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cents=st.integers(min_value=0, max_value=100_000_000))
def test_any_amount_in_cents_within_bounds_is_valid(version, answers, cents):
    amount = Decimal(cents) / 100
    for form in (amount, str(amount), f"{amount:.2f}"):
        answers["own_financing"] = form
        assert errors(version, answers) == {}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cents=st.integers(min_value=100_000_001, max_value=10**13))
def test_any_amount_above_the_maximum_is_refused(version, answers, cents):
    answers["own_financing"] = str(Decimal(cents) / 100)
    assert errors(version, answers) == {
        "own_financing": ["own_financing en: enter at most 1,000,000.00."]
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_any_number_within_bounds_with_two_decimals_is_valid(version, answers, number):
    answers["staff_years"] = str(number)
    assert errors(version, answers) == {}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    number=st.decimals(
        max_value=Decimal("-0.01"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
        min_value=-(10**9),
    )
)
def test_any_negative_number_is_below_the_minimum(version, answers, number):
    answers["staff_years"] = str(number)
    assert errors(version, answers) == {"staff_years": ["staff_years en: enter at least 0.00."]}


def test_bounds_are_inclusive_and_shown_in_the_users_language(version, answers):
    for value in ("0", "100", "100.00", 0, 100, Decimal("99.99")):
        answers["staff_years"] = value
        assert errors(version, answers) == {}
    answers["own_financing"] = "1000000.01"
    assert errors(version, answers, "fi") == {
        "own_financing": ["own_financing fi: anna enintään 1\xa0000\xa0000,00."]
    }


@pytest.mark.parametrize(
    "value, message",
    [
        ("1.005", "use at most two decimals."),
        ("12,50", "enter a number."),
        ("NaN", "enter a number."),
        ("Infinity", "enter a number."),
        (12.5, "enter a number."),
        (True, "enter a number."),
        ("1e15", "enter at most 999,999,999,999.99."),
    ],
)
def test_amounts_are_decimals_with_at_most_two_places(version, answers, value, message):
    answers["own_financing"] = value
    assert errors(version, answers) == {"own_financing": [f"own_financing en: {message}"]}


def test_numbers_are_bounded_by_the_one_largest_amount_and_cent():
    """The answers' bounds are money's own, not copies that could drift apart."""
    bounds = (answers_module.LARGEST_AMOUNT, answers_module.CENT)
    assert bounds == (Decimal("999999999999.99"), Decimal("0.01"))
    assert answers_module.LARGEST_AMOUNT is money.LARGEST_AMOUNT
    assert answers_module.CENT is money.CENT


@pytest.mark.parametrize("value", ["2021-02-29", "2021-9-1", "1.9.2021", "20210901", 20210901])
def test_dates_are_iso_dates(version, answers, value):
    answers["starts_on"] = value
    assert errors(version, answers) == {
        "starts_on": ["starts_on en: enter a date as YYYY-MM-DD, e.g. 2021-04-15."]
    }


def test_a_date_object_is_a_date_but_a_datetime_is_not(version, answers):
    answers["starts_on"] = datetime.date(2021, 9, 1)
    assert errors(version, answers) == {}
    answers["starts_on"] = datetime.datetime(2021, 9, 1, tzinfo=datetime.UTC)
    assert list(errors(version, answers)) == ["starts_on"]


@pytest.mark.parametrize("value", ["Hydrogen economy", "HYDROGEN", ["hydrogen"], 1])
def test_a_single_choice_is_one_of_its_codes(version, answers, value):
    answers["focus"] = value
    assert errors(version, answers) == {"focus": ["focus en: choose one of the options."]}


@pytest.mark.parametrize("value", ["skills", ["skills", "skills"], ["skills", "transport"], [1]])
def test_a_multiple_choice_is_a_list_of_distinct_codes(version, answers, value):
    answers["areas"] = value
    assert errors(version, answers) == {
        "areas": ["areas en: choose options from the list, each at most once."]
    }


@pytest.mark.parametrize("value", [True, False])
def test_yes_and_no_are_both_answers(version, answers, value):
    answers["vat_liable"] = value
    assert errors(version, answers) == {}


@pytest.mark.parametrize("value", ["yes", 1, 0, "false"])
def test_yes_no_answers_are_booleans(version, answers, value):
    answers["vat_liable"] = value
    assert errors(version, answers) == {"vat_liable": ["vat_liable en: answer yes or no."]}


def test_a_file_answer_is_a_reference(version, answers):
    answers["cv"] = 17
    assert errors(version, answers) == {}
    answers["cv"] = {"size": 3}
    assert errors(version, answers) == {"cv": ["cv en: attach a file."]}


def test_table_rows_are_checked_cell_by_cell_with_their_column_kinds(version, answers):
    answers["members"] = [
        {"organisation": "Oulun kaupunki", "share": "-1"},
        {"share": "10.001", "phone": "040"},
    ]
    assert errors(version, answers) == {
        "members": [
            "members en, row 1, share en: enter at least 0.00.",
            "members en, row 2: there is no column phone.",
            "members en, row 2, organisation en: this answer is required.",
            "members en, row 2, share en: use at most two decimals.",
        ]
    }


@pytest.mark.parametrize("value", ["rows", [["Oulu"]], {"organisation": "Oulu"}])
def test_a_table_is_a_list_of_rows(version, answers, value):
    answers["members"] = value
    assert errors(version, answers) == {"members": ["members en: the rows could not be read."]}


def test_unknown_questions_are_refused(version, answers):
    answers["title"] = "Vetyverkosto"
    assert errors(version, answers) == {"title": ["This question is not in the questionnaire."]}


def test_validating_reads_the_version_in_two_queries(version, answers, django_assert_num_queries):
    with django_assert_num_queries(2):
        validate_answers(version, answers)


def test_public_answers_drop_exactly_the_confidential_and_personal_ones(version, answers):
    answers["not_a_question"] = "x"
    assert public_answers(version, answers) == {
        "cooperation_goals": "Vetytalouden verkosto neljässä maakunnassa.",
        "staff_years": "2.5",
        "starts_on": "2021-09-01",
        "focus": "hydrogen",
        "areas": ["skills", "innovation"],
        "members": [
            {"organisation": "Oulun kaupunki", "share": "1500.50"},
            {"organisation": "Kemin kaupunki"},
        ],
    }


def test_public_answers_of_a_table_that_is_not_public_are_dropped(version, answers):
    version.questions.filter(key="members").update(visibility="confidential")
    assert "members" not in public_answers(version, answers)
    assert len(public_answers(version, answers)) == 5

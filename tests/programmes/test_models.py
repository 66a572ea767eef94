"""Small invariants the models validate themselves, so that every form validates them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from regionet.programmes.models import Criterion, validate_half_points
from tests.factories import (
    AssessmentThresholdFactory,
    CallContactFactory,
    CallFactory,
    CriterionFactory,
    InstrumentFactory,
    PhaseFactory,
    ProgrammeFactory,
    YearlyBudgetFactory,
)

pytestmark = pytest.mark.django_db


def errors(obj, **clean):
    """The validation errors of ``obj`` in English (messages are translated when read)."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as invalid:
            obj.full_clean(**clean)
        return invalid.value.message_dict


@pytest.mark.parametrize("value", ["0", "0.5", "2.5", "5", "4.0"])
def test_half_points_are_accepted(value):
    validate_half_points(Decimal(value))


@pytest.mark.parametrize("value", ["0.1", "2.3", "4.75"])
def test_other_points_are_refused(value):
    with translation.override("en"):
        with pytest.raises(ValidationError) as invalid:
            validate_half_points(Decimal(value))
        assert invalid.value.messages == [f"Use half points: {value} is not a multiple of 0.5."]


def test_a_threshold_must_be_on_the_scale_in_half_points():
    phase = PhaseFactory()
    criterion = CriterionFactory.build(
        phase=phase, instrument=InstrumentFactory(call=phase.call), threshold=Decimal("5.5")
    )
    assert errors(criterion) == {"threshold": ["Ensure this value is less than or equal to 5."]}
    criterion.threshold = Decimal("2.3")
    assert errors(criterion) == {"threshold": ["Use half points: 2.3 is not a multiple of 0.5."]}
    criterion.threshold = Decimal("2.5")
    criterion.full_clean()


def test_a_gate_has_no_threshold():
    phase = PhaseFactory()
    instrument = InstrumentFactory(call=phase.call)
    gate = CriterionFactory.build(
        phase=phase, instrument=instrument, kind=Criterion.Kind.GATE, threshold=Decimal(3)
    )
    assert errors(gate) == {"threshold": ["A yes/no condition has no threshold."]}
    gate.threshold = None
    gate.full_clean()
    assert gate.is_gate is True


def test_a_criterion_and_a_threshold_need_an_instrument_of_the_phases_call():
    phase = PhaseFactory()
    foreign = InstrumentFactory()
    criterion = CriterionFactory.build(phase=phase, instrument=foreign)
    assert errors(criterion) == {"instrument": ["Choose an instrument of the phase's call."]}
    threshold = AssessmentThresholdFactory.build(phase=phase, instrument=foreign)
    assert errors(threshold) == {"instrument": ["Choose an instrument of the phase's call."]}
    criterion.instrument = InstrumentFactory(call=phase.call)
    criterion.full_clean()


def test_a_phase_closes_after_it_opens():
    phase = PhaseFactory.build(call=PhaseFactory().call, order=9)
    phase.closes_at = phase.opens_at
    assert errors(phase) == {"closes_at": ["A phase must close after it opens."]}
    phase.closes_at = phase.opens_at + timedelta(microseconds=1)
    phase.full_clean()


def test_the_phase_check_waits_for_valid_instants():
    phase = PhaseFactory.build(call=PhaseFactory().call, order=9, closes_at=None)
    assert errors(phase) == {"closes_at": ["This field cannot be null."]}


def test_the_phase_asks_the_one_deadline_helper():
    phase = PhaseFactory.build()
    closes = datetime(2021, 4, 15, 13, 15, tzinfo=UTC)
    assert phase.is_in_time(closes) is True
    assert phase.is_in_time(closes + timedelta(milliseconds=1)) is False
    assert phase.is_open(phase.opens_at) is True
    assert phase.is_open(phase.opens_at - timedelta(microseconds=1)) is False


def test_programme_years_in_order():
    programme = ProgrammeFactory.build(funder=ProgrammeFactory().funder, last_year=2020)
    assert errors(programme, exclude=["slug"]) == {
        "last_year": ["The last year cannot be before the first year."]
    }
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProgrammeFactory(first_year=2023, last_year=2021)


def test_instrument_applicant_types_come_from_the_list():
    instrument = InstrumentFactory()
    instrument.allowed_applicant_types = ["municipality", "pirate_ship"]
    assert errors(instrument) == {
        "allowed_applicant_types": ["Choose applicant types from the list."]
    }


def test_one_budget_per_year_and_no_negative_amounts():
    budget = YearlyBudgetFactory(year=2021)
    with transaction.atomic(), pytest.raises(IntegrityError):
        YearlyBudgetFactory(programme=budget.programme, year=2021)
    with transaction.atomic(), pytest.raises(IntegrityError):
        YearlyBudgetFactory(programme=budget.programme, year=2022, amount=Decimal("-0.01"))


def test_a_programme_spans_its_years():
    assert list(ProgrammeFactory.build(first_year=2021, last_year=2023).years) == [
        2021,
        2022,
        2023,
    ]


# --- Contact persons of a call ----------------------------------------------------------------


def test_a_contact_serves_in_languages_of_the_site_stored_in_their_order():
    contact = CallContactFactory.build(call=CallFactory(), languages=["en", "sv", "en"])
    contact.full_clean()
    assert contact.languages == ["sv", "en"]
    with translation.override("fi"):
        assert contact.language_names == ["ruotsi", "englanti"]
    for languages in ([], ["de"], "fi"):
        contact.languages = languages
        assert errors(contact) == {"languages": ["Choose the languages the person serves in."]}


def test_a_contacts_phone_number_is_a_tel_link():
    assert CallContactFactory.build(phone="+358 29 504 0101").phone_uri == "tel:+358295040101"
    assert CallContactFactory.build(phone="029 504 0101").phone_uri == "tel:0295040101"

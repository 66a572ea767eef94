"""The checklist before submitting: each rule's result and its message in plain language, and
the same checks in the registry's snapshot."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from regionet.applications.eligibility import (
    application_checks,
    budget_totals,
    can_submit,
    financing_check,
)
from regionet.applications.models import Application, ApplicationState, IncomeRow, RecordSequence
from regionet.applications.services import NotEligible, submit_application
from regionet.programmes.deadlines import instant_at
from tests.applications.conftest import draft_in, phase_closing_at, questionnaire_for
from tests.factories import municipalities_in_regions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
BEFORE = DEADLINE - timedelta(days=1)


def results(application):
    return [(check.code, check.passed, check.message) for check in application_checks(application)]


@pytest.fixture
def flawed():
    """3 municipalities in 1 region, an unconfirmed partner, financing one cent short of the
    100 000,00 € of costs, aid 80,01 % of them and own financing 19,99 %."""
    application = draft_in(phase_closing_at(DEADLINE), confirmed_partner=False)
    application.municipalities.set(municipalities_in_regions(3, 1, year=2021))
    application.aid_requested = Decimal("80010.00")
    application.own_financing = Decimal("19989.99")
    application.save()
    return Application.objects.get(pk=application.pk)


def test_the_checklist_of_a_flawed_draft(flawed):
    partner = flawed.partners.get().organisation

    assert results(flawed) == [
        ("title", True, "The project has a title"),
        ("summary", True, "The project has a summary"),
        ("coordinator_type", True, "Coordinator of an allowed type: development organisation"),
        ("partner_types", True, "Partners of allowed types: all allowed"),
        ("countries", True, "Organisations in allowed countries (Finland): all"),
        ("min_municipalities", False, "At least 4 participating municipalities: 3 listed"),
        ("min_regions", False, "Municipalities in at least 2 regions: 1 region"),
        ("partners_confirmed", False, f"Partners yet to confirm: {partner}"),
        ("budget", True, "The budget has costs: €100,000.00"),
        (
            "financing_balanced",
            False,
            "The financing plan covers the costs less income: €99,999.99 of €100,000.00",
        ),
        ("aid_share", False, "Aid at most 80 % of the costs: 80.01 %"),
        ("own_financing", False, "Own financing at least 20 % of the costs: 19.99 %"),
    ]
    assert all(check.blocking for check in application_checks(flawed))
    assert can_submit(application_checks(flawed)) is False


def test_a_flawed_draft_is_refused_with_the_failed_checks(flawed):
    with pytest.raises(NotEligible) as refusal:
        submit_application(flawed, by=flawed.created_by, now=BEFORE)

    assert refusal.value.messages == [
        message for _, passed, message in results(flawed) if not passed
    ]
    flawed.refresh_from_db()
    assert (flawed.state, flawed.record_number) == (ApplicationState.DRAFT, "")
    assert RecordSequence.objects.count() == 0


def test_one_cent_either_way_unbalances_the_financing():
    application = draft_in(phase_closing_at(DEADLINE))
    for own, balanced in [("19999.99", False), ("20000.00", True), ("20000.01", False)]:
        application.own_financing = Decimal(own)
        check = financing_check(application)
        assert (check.total_financing, check.balanced) == (
            Decimal("80000.00") + Decimal(own),
            balanced,
        )


def test_project_income_reduces_what_the_financing_must_cover():
    application = draft_in(phase_closing_at(DEADLINE))
    IncomeRow.objects.create(
        application=application, year=2021, description="Maksut", amount=Decimal("1000.00")
    )
    application.own_financing = Decimal("19000.00")
    application.save()

    totals = budget_totals(application)
    check = financing_check(application, totals)

    assert (totals.total_costs, totals.total_income, totals.net_costs) == (
        Decimal("100000.00"),
        Decimal("1000.00"),
        Decimal("99000.00"),
    )
    assert check.balanced is True
    # 80 000 of 99 000 is 80,81 %: over the cap once income is counted.
    assert (check.aid_percent, check.aid_within_cap) == (Decimal("80.81"), False)


def test_a_draft_without_costs_fails_the_budget_check():
    application = draft_in(phase_closing_at(DEADLINE))
    application.budget_rows.all().delete()
    application.aid_requested = application.own_financing = Decimal("0.00")
    application.save()

    checks = {code: (passed, message) for code, passed, message in results(application)}

    assert checks["budget"] == (False, "The budget has costs: €0.00")
    # An empty plan does not "cover the costs exactly", and shares of nothing are not shown.
    assert checks["financing_balanced"] == (
        False,
        "The financing plan is checked against the costs less income, and there are none "
        "yet: enter the costs in the budget first",
    )
    assert "aid_share" not in checks
    assert "own_financing" not in checks


def test_required_questions_are_checked():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    version = questionnaire_for(
        phase, application.instrument, ["goals", "risks", "notes"], required=["goals", "risks"]
    )
    application.questionnaire_version = version
    application.answers = {"goals": "Verkosto"}
    application.save()

    assert results(application)[2] == ("answers", False, "Questions to answer or correct: 1")
    # The check names the question and links to it on its section's page.
    (answers,) = [check for check in application_checks(application) if check.code == "answers"]
    risks = version.questions.get(key="risks")
    page = reverse(
        "applications:answers", kwargs={"pk": application.pk, "section": risks.section_id}
    )
    assert answers.details == ((f"{risks.label}: this answer is required.", f"{page}#id_risks"),)

    application.answers = {"goals": "Verkosto", "risks": "Vähäiset"}
    assert results(application)[2] == ("answers", True, "Every required question is answered")


def test_the_snapshot_keeps_the_checks_the_door_made():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    version = questionnaire_for(phase, application.instrument, ["goals"], required=["goals"])
    application.questionnaire_version = version
    application.answers = {"goals": "Verkosto"}
    application.save()

    submission = submit_application(application, by=application.created_by, now=BEFORE)

    assert submission.content["checks"] == [
        {"code": code, "passed": True}
        for code in [
            "title",
            "summary",
            "answers",
            "coordinator_type",
            "partner_types",
            "countries",
            "min_municipalities",
            "min_regions",
            "partners_confirmed",
            "budget",
            "financing_balanced",
            "aid_share",
            "own_financing",
        ]
    ]
    assert submission.content["questionnaire"] == {
        "id": version.pk,
        "code": version.questionnaire.code,
        "version": 1,
    }
    assert submission.content["answers"] == {"goals": "Verkosto"}

"""The demo applications: Oulu's submitted idea in the open round, and a draft that waits for
Kemi's confirmation; both made through the applications' doors."""

from decimal import Decimal

import pytest
from django.core import mail

from regionet.applications.models import Application, ApplicationState, Submission
from regionet.audit.models import AuditEvent
from regionet.demo import services
from regionet.questionnaires.models import QuestionnaireUse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.load_demo() is True


def test_every_phase_and_instrument_of_tem_has_a_frozen_application_form(demo):
    uses = QuestionnaireUse.objects.select_related("phase", "questionnaire")
    # Two TEM calls (2021 and the new round) × two phases × two instruments.
    assert uses.count() == 8
    assert {(use.phase.kind, use.questionnaire.code) for use in uses} == {
        ("idea", "network-idea"),
        ("full", "network-full"),
    }
    for use in uses:
        assert use.questionnaire.versions.get().is_frozen


def test_oulu_has_submitted_an_idea_with_a_record_number_and_a_receipt(demo):
    application = Application.objects.get(title="Perämeren kaaren vetytalousverkosto")
    assert application.state == ApplicationState.SUBMITTED
    year = application.first_submitted_at.year
    assert application.record_number == f"TEM/1/{year}"
    submission = Submission.objects.get(application=application)
    assert submission.content["budget"]["total_costs"] == "169000.00"
    assert submission.content["financing"]["aid_percent"] == "80.00"
    # By municipality code: Kemi 240, Oulu 564, Raahe 678, Tornio 851.
    assert [m["name"]["fi"] for m in submission.content["municipalities"]] == [
        "Kemi",
        "Oulu",
        "Raahe",
        "Tornio",
    ]
    assert {m["region"]["code"] for m in submission.content["municipalities"]} == {"17", "19"}
    assert {check["passed"] for check in submission.content["checks"]} == {True}
    assert application.aid_requested == Decimal("135200.00")
    # The receipt, with its PDF; and the notice that Kemi confirmed its participation.
    to_oulu = [m for m in mail.outbox if m.to == ["hakija@oulu.example"]]
    assert sorted(len(m.attachments) for m in to_oulu) == [0, 1]
    assert [m.subject for m in to_oulu if not m.attachments] == [
        "[Regionet] Kemin kaupunki vahvisti osallistumisensa: Perämeren kaaren vetytalousverkosto"
    ]
    assert (
        AuditEvent.objects.for_target(application).filter(verb="application.submitted").count() == 1
    )


def test_the_zone_draft_waits_for_kemi(demo):
    draft = Application.objects.get(title="Perämerenkaaren kehittämisvyöhyke 2.0")
    assert draft.state == ApplicationState.DRAFT
    assert draft.record_number == ""
    partner = draft.partners.get()
    assert partner.organisation.name_fi == "Kemin kaupunki"
    assert partner.is_confirmed is False

"""The doors of a draft's life besides submitting: saving sections (and refusing stale saves),
the consortium, completion requests, withdrawal, and the two-phase call."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regionet.accounts.models import Organisation
from regionet.applications import services
from regionet.applications.eligibility import application_checks
from regionet.applications.models import (
    Application,
    ApplicationState,
    BudgetRow,
    CompletionRequest,
    FullPhaseInvitation,
    Partner,
    PartnerInvitation,
    RefusedSave,
)
from regionet.applications.services import (
    ApplicationError,
    LateSubmission,
    NotAllowed,
    StaleSave,
    save_section,
    submit_application,
)
from regionet.audit.models import AuditEvent
from regionet.notifications.models import Notice
from regionet.programmes.deadlines import instant_at
from regionet.programmes.models import Phase
from regionet.questionnaires.services import version_for
from tests.applications.conftest import (
    draft_in,
    member_of,
    officer_of,
    phase_closing_at,
    questionnaire_for,
)
from tests.factories import (
    InstrumentFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    UserFactory,
    country,
    current_municipality,
    unique_y_tunnus,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
BEFORE = DEADLINE - timedelta(days=3)
NOT_NOW = "You cannot edit this part of the application now."


def verbs(application):
    return list(
        AuditEvent.objects.for_target(application).order_by("pk").values_list("verb", flat=True)
    )


def notice_recipients(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("recipient", flat=True))


def submitted(application, now=BEFORE):
    submit_application(application, by=application.created_by, now=now)
    return Application.objects.get(pk=application.pk)


# --- Saving sections ---------------------------------------------------------------------


def test_a_saved_section_gets_the_next_version_and_an_audit_event():
    application = draft_in(phase_closing_at(DEADLINE))
    by = application.created_by

    saved = save_section(
        application,
        "basics",
        {"title": "  Vetytalouden verkosto ", "summary": "Yhteistyötä."},
        base_version=0,
        by=by,
        now=BEFORE,
    )

    assert (saved.section, saved.version, saved.saved_at) == ("basics", 1, BEFORE)
    application.refresh_from_db()
    assert application.title == "Vetytalouden verkosto"
    assert application.section_versions == {"basics": 1}
    assert application.updated_at == BEFORE
    event = AuditEvent.objects.for_target(application).get(verb="application.section_saved")
    assert event.data == {"section": "basics", "version": 1}


def test_a_stale_save_is_refused_and_its_text_kept():
    application = draft_in(phase_closing_at(DEADLINE))
    colleague = member_of(application.coordinator)
    first = {"title": "Ensimmäinen otsikko", "summary": "Ensimmäinen tiivistelmä."}
    second = {"title": "Toinen otsikko", "summary": "Toinen tiivistelmä."}
    save_section(application, "basics", first, base_version=0, by=application.created_by)

    with pytest.raises(StaleSave) as refusal:
        save_section(application, "basics", second, base_version=0, by=colleague)

    assert refusal.value.current_version == 1
    assert refusal.value.messages == [
        "Someone else saved this part of the application after you opened it. Your text was "
        "not saved over theirs: it is kept below so you can copy what you need."
    ]
    refused = RefusedSave.objects.get()
    assert refusal.value.refused == refused
    assert (refused.section, refused.user, refused.based_on_version) == ("basics", colleague, 0)
    assert refused.data == second
    assert refused.resolved_at is None
    application.refresh_from_db()
    assert (application.title, application.summary) == (first["title"], first["summary"])
    assert application.section_versions == {"basics": 1}
    assert verbs(application) == ["application.section_saved"]


def test_a_stale_budget_save_is_kept_as_json():
    application = draft_in(phase_closing_at(DEADLINE))
    by = application.created_by
    costs = {"costs": {(2021, "personnel"): Decimal("1000.00")}, "income": []}
    save_section(application, "budget", costs, base_version=0, by=by)

    with pytest.raises(StaleSave):
        save_section(application, "budget", costs, base_version=0, by=by)

    assert RefusedSave.objects.get().data == {"costs": {"2021/personnel": "1000.00"}, "income": []}


def test_saves_of_different_sections_do_not_conflict():
    application = draft_in(phase_closing_at(DEADLINE))
    by = application.created_by

    save_section(
        application, "basics", {"title": "Otsikko", "summary": "S."}, base_version=0, by=by
    )
    save_section(
        application,
        "financing",
        {"aid_requested": "80 000,00", "own_financing": "20000", "other_public_funding": "0"},
        base_version=0,
        by=by,
    )

    application.refresh_from_db()
    assert application.section_versions == {"basics": 1, "financing": 1}
    assert application.aid_requested == Decimal("80000.00")
    assert application.other_public_funding == Decimal("0.00")
    assert RefusedSave.objects.count() == 0


def test_the_budget_is_saved_with_computed_indirect_costs():
    application = draft_in(phase_closing_at(DEADLINE))

    save_section(
        application,
        "budget",
        {
            "costs": {
                (2021, "personnel"): "0,10",
                (2022, "personnel"): "1000",
                (2022, "travel"): "250,50",
                (2023, "other"): "0",
            },
            "income": [{"year": 2022, "description": " Osallistumismaksut ", "amount": "99,99"}],
        },
        base_version=0,
        by=application.created_by,
    )

    rows = list(application.budget_rows.values_list("year", "category", "amount"))
    assert rows == [
        (2021, "indirect", Decimal("0.02")),  # 15 % of 0,10 = 0,015, rounded half up
        (2021, "personnel", Decimal("0.10")),
        (2022, "indirect", Decimal("150.00")),
        (2022, "personnel", Decimal("1000.00")),
        (2022, "travel", Decimal("250.50")),
    ]
    income = list(application.income_rows.values_list("year", "description", "amount"))
    assert income == [(2022, "Osallistumismaksut", Decimal("99.99"))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"costs": {(2024, "personnel"): "10"}},
            "The budget can cover only the years 2021–2023.",
        ),
        ({"costs": {(2021, "indirect"): "10"}}, "Unknown cost category."),
        (
            {"costs": {(2021, "travel"): "10,005"}},
            "travel costs: enter a positive amount with at most two decimals.",
        ),
        (
            {"costs": {(2021, "travel"): "-1"}},
            "travel costs: enter a positive amount with at most two decimals.",
        ),
        (
            {"costs": {(2021, "travel"): "kymmenen"}},
            "travel costs: enter an amount in euros, e.g. 1250,50.",
        ),
        (
            {"costs": {}, "income": [{"year": 2021, "description": " ", "amount": "1"}]},
            "Describe each income row.",
        ),
    ],
)
def test_a_budget_with_bad_input_is_refused_and_the_old_one_kept(data, message):
    application = draft_in(phase_closing_at(DEADLINE))
    before = list(application.budget_rows.values_list("year", "category", "amount"))

    with pytest.raises(ApplicationError) as refusal:
        save_section(application, "budget", data, base_version=0, by=application.created_by)

    assert refusal.value.messages == [message]
    assert list(application.budget_rows.values_list("year", "category", "amount")) == before
    assert Application.objects.get(pk=application.pk).section_versions == {}


@pytest.mark.parametrize("amount", ["NaN", "Infinity"])
def test_an_amount_that_is_not_a_number_is_refused_with_a_message(amount):
    application = draft_in(phase_closing_at(DEADLINE))

    with pytest.raises(ApplicationError):
        save_section(
            application,
            "financing",
            {"aid_requested": amount},
            base_version=0,
            by=application.created_by,
        )


def test_an_amount_too_large_for_the_register_is_refused_with_a_message():
    application = draft_in(phase_closing_at(DEADLINE))

    with pytest.raises(ApplicationError):
        save_section(
            application,
            "financing",
            {"aid_requested": "1000000000000"},
            base_version=0,
            by=application.created_by,
        )


def test_municipalities_must_exist_in_the_year_the_phase_closes():
    application = draft_in(phase_closing_at(DEADLINE))

    with pytest.raises(ApplicationError) as refusal:
        save_section(
            application,
            "municipalities",
            {"municipalities": [999_999]},
            base_version=0,
            by=application.created_by,
        )

    assert refusal.value.messages == [
        "Some municipalities did not exist in 2021 or are outside the call's countries."
    ]
    assert application.municipalities.count() == 4


def test_answers_are_saved_per_questionnaire_section():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    version = questionnaire_for(phase, application.instrument, ["goals", "partners_count"])
    Application.objects.filter(pk=application.pk).update(
        questionnaire_version=version, answers={"goals": "Vanha", "other": "pysyy"}
    )
    section = f"answers:{version.sections.get().pk}"

    save_section(
        application,
        section,
        {"goals": "", "partners_count": "4"},
        base_version=0,
        by=application.created_by,
    )

    application.refresh_from_db()
    # An emptied answer is removed; answers of other sections stay.
    assert application.answers == {"other": "pysyy", "partners_count": "4"}
    assert application.section_versions == {section: 1}
    with pytest.raises(ApplicationError) as refusal:
        save_section(
            application, section, {"unknown": "x"}, base_version=1, by=application.created_by
        )
    assert refusal.value.messages == ["This question is not in the questionnaire."]


# --- Who edits what ------------------------------------------------------------------------


def test_a_confirmed_partner_edits_only_the_sections_opened_to_it():
    application = draft_in(phase_closing_at(DEADLINE))
    partner = application.partners.get()
    partner.editable_sections = ["financing"]
    partner.save()
    partner_member = member_of(partner.organisation)
    outsider = member_of(OrganisationFactory())

    assert services.editable_sections(application, application.created_by) is None
    assert services.editable_sections(application, partner_member) == {"financing"}
    assert services.editable_sections(application, outsider) == set()
    save_section(
        application, "financing", {"aid_requested": "1"}, base_version=0, by=partner_member
    )
    with pytest.raises(NotAllowed) as refusal:
        save_section(application, "basics", {"title": "X"}, base_version=0, by=partner_member)
    assert refusal.value.messages == [NOT_NOW]


def test_an_unconfirmed_partner_edits_nothing():
    application = draft_in(phase_closing_at(DEADLINE), confirmed_partner=False)
    partner = application.partners.get()
    partner.editable_sections = ["financing"]
    partner.save()
    partner_member = member_of(partner.organisation)

    assert services.editable_sections(application, partner_member) == set()
    with pytest.raises(NotAllowed):
        save_section(
            application, "financing", {"aid_requested": "1"}, base_version=0, by=partner_member
        )


def test_a_submitted_application_cannot_be_edited():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))

    assert services.editable_sections(application, application.created_by) == set()
    with pytest.raises(NotAllowed):
        save_section(
            application, "basics", {"title": "X"}, base_version=0, by=application.created_by
        )


# --- The consortium ------------------------------------------------------------------------


def test_the_coordinator_adds_a_partner_who_is_told():
    application = draft_in(phase_closing_at(DEADLINE))
    organisation = OrganisationFactory(type=Organisation.Type.NGO)
    members = [member_of(organisation), member_of(organisation)]

    partner = services.add_partner(
        application,
        organisation,
        role=Partner.Role.CO_FINANCIER,
        tasks="Rahoittaa.",
        editable=["financing", "basics"],
        by=application.created_by,
    )

    assert partner.editable_sections == ["basics", "financing"]
    assert partner.is_confirmed is False
    assert notice_recipients("application.partner_invited") == sorted(m.pk for m in members)
    assert Application.objects.get(pk=application.pk).section_versions == {"partners": 1}
    event = AuditEvent.objects.for_target(application).get(verb="application.partner_added")
    assert event.data == {"organisation": organisation.pk}


def test_a_partner_edits_only_sections_the_application_has():
    application = draft_in(phase_closing_at(DEADLINE))
    organisation = OrganisationFactory()
    with pytest.raises(ApplicationError) as refusal:
        services.add_partner(application, organisation, role="boss", by=application.created_by)
    assert refusal.value.messages == ["Choose the role of the partner."]
    partner = services.add_partner(
        application,
        organisation,
        role=Partner.Role.PARTNER,
        editable=["financing", "no-such-section"],
        by=application.created_by,
    )
    assert partner.editable_sections == ["financing"]


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("coordinator", "The coordinator is not its own partner."),
        ("funder", "A funder cannot be a partner."),
        ("existing", "This organisation is already a partner."),
    ],
)
def test_partners_the_consortium_cannot_have(which, message):
    application = draft_in(phase_closing_at(DEADLINE))
    organisation = {
        "coordinator": application.coordinator,
        "funder": application.phase.call.programme.funder,
        "existing": application.partners.get().organisation,
    }[which]

    with pytest.raises(ApplicationError) as refusal:
        services.add_partner(
            application, organisation, role=Partner.Role.PARTNER, by=application.created_by
        )

    assert refusal.value.messages == [message]
    assert application.partners.count() == 1


def test_only_the_coordinators_members_manage_the_consortium():
    application = draft_in(phase_closing_at(DEADLINE))
    partner = application.partners.get()
    partner_member = member_of(partner.organisation)

    with pytest.raises(NotAllowed):
        services.add_partner(
            application, OrganisationFactory(), role=Partner.Role.PARTNER, by=partner_member
        )
    with pytest.raises(NotAllowed):
        services.remove_partner(partner, by=partner_member)
    with pytest.raises(NotAllowed):
        services.set_partner_sections(partner, ["basics"], by=partner_member)
    assert application.partners.count() == 1


def test_a_partner_confirms_with_a_letter_of_commitment():
    application = draft_in(phase_closing_at(DEADLINE), confirmed_partner=False)
    partner = application.partners.get()
    partner_member = member_of(partner.organisation)

    with pytest.raises(NotAllowed):
        services.confirm_partnership(partner, commitment="Sitoudumme.", by=application.created_by)
    with pytest.raises(ApplicationError) as refusal:
        services.confirm_partnership(partner, commitment="  ", by=partner_member)
    assert refusal.value.messages == ["Write the letter of commitment."]

    confirmed = services.confirm_partnership(
        partner, commitment=" Sitoudumme. ", by=partner_member, now=BEFORE
    )

    assert (confirmed.confirmed_at, confirmed.confirmed_by) == (BEFORE, partner_member)
    assert confirmed.commitment == "Sitoudumme."
    again = services.confirm_partnership(partner, commitment="Toisen kerran.", by=partner_member)
    assert again.commitment == "Sitoudumme."
    assert Application.objects.get(pk=application.pk).section_versions == {"partners": 1}
    assert verbs(application) == ["application.partner_confirmed"]


def test_partner_sections_cannot_change_once_submitted():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    partner = application.partners.get()

    with pytest.raises(NotAllowed):
        services.set_partner_sections(partner, ["basics"], by=application.created_by)

    partner.refresh_from_db()
    assert partner.editable_sections == []
    assert Application.objects.get(pk=application.pk).section_versions == {}


# --- Completion requests -----------------------------------------------------------------


def requested(application, items=("budget", "financing"), closes_at=None):
    officer = officer_of(application)
    request = services.request_completion(
        application,
        items=list(items),
        closes_at=closes_at or DEADLINE + timedelta(days=14),
        message=" Täydentäkää talousarvio. ",
        by=officer,
        now=DEADLINE + timedelta(days=1),
    )
    return request, Application.objects.get(pk=application.pk)


def test_an_officer_requests_completion_of_named_parts():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    coordinator = application.created_by

    request, application = requested(application, items=["financing", "budget", "budget"])

    assert application.state == ApplicationState.COMPLETION_REQUESTED
    assert request.items == ["budget", "financing"]
    assert request.message == "Täydentäkää talousarvio."
    assert request.is_open
    assert notice_recipients("application.completion_requested") == [coordinator.pk]
    event = AuditEvent.objects.for_target(application).get(verb="application.completion_requested")
    assert event.data == {"request": request.pk, "items": ["budget", "financing"]}


def test_only_the_requested_items_can_be_edited():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    partner = application.partners.get()
    partner.editable_sections = ["basics", "financing"]
    partner.save()
    partner_member = member_of(partner.organisation)
    _, application = requested(application)
    coordinator = application.created_by

    now = DEADLINE + timedelta(days=2)
    assert services.editable_sections(application, coordinator, now) == {"budget", "financing"}
    assert services.editable_sections(application, partner_member, now) == {"financing"}
    assert services.may_edit(application, coordinator, "budget", now) is True
    assert services.may_edit(application, coordinator, "basics", now) is False
    with pytest.raises(NotAllowed) as refusal:
        save_section(
            application, "basics", {"title": "Uusi"}, base_version=0, by=coordinator, now=now
        )
    assert refusal.value.messages == [NOT_NOW]
    with pytest.raises(NotAllowed):
        services.add_partner(
            application, OrganisationFactory(), role=Partner.Role.PARTNER, by=coordinator, now=now
        )
    saved = save_section(
        application,
        "financing",
        {"aid_requested": "80000", "own_financing": "20000"},
        base_version=0,
        by=partner_member,
        now=now,
    )
    assert saved.version == 1


def test_the_completion_requests_deadline_is_enforced():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    closes_at = DEADLINE + timedelta(days=14)
    request, application = requested(application, closes_at=closes_at)
    by = application.created_by

    with pytest.raises(LateSubmission) as refusal:
        submit_application(application, by=by, now=closes_at + timedelta(milliseconds=1))
    assert refusal.value.messages == ["The deadline of the completion request has passed."]
    assert Application.objects.get(pk=application.pk).state == "completion_requested"
    assert CompletionRequest.objects.get().answered_at is None

    submission = submit_application(application, by=by, now=closes_at)

    assert (submission.number, submission.completion_request) == (2, request)
    request.refresh_from_db()
    assert request.answered_at == closes_at
    assert services.open_completion_request(application) is None
    assert Application.objects.get(pk=application.pk).state == ApplicationState.SUBMITTED


def test_the_open_completion_request_counts_until_its_deadline():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    closes_at = DEADLINE + timedelta(days=14)
    request, application = requested(application, closes_at=closes_at)
    late = closes_at + timedelta(milliseconds=1)

    assert services.completion_request_in_time(application, closes_at) == request
    assert services.completion_request_in_time(application, late) is None
    # Every door that asks it answers the same: editing, the consortium, submitting.
    assert services.editable_sections(application, application.created_by, late) == set()
    assert services._consortium_closed_to_additions(application, late) == (
        "The time for the requested additions has ended."
    )
    CompletionRequest.objects.filter(pk=request.pk).update(answered_at=closes_at)
    assert services.completion_request_in_time(application, closes_at) is None


@pytest.mark.parametrize(
    ("items", "closes_in", "message"),
    [
        ([], timedelta(days=1), "Name at least one part to complete."),
        (["budget"], timedelta(0), "The deadline must be in the future."),
    ],
)
def test_a_completion_request_needs_items_and_a_future_deadline(items, closes_in, message):
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    now = DEADLINE + timedelta(days=1)

    with pytest.raises(ApplicationError) as refusal:
        services.request_completion(
            application,
            items=items,
            closes_at=now + closes_in,
            by=officer_of(application),
            now=now,
        )

    assert refusal.value.messages == [message]
    assert CompletionRequest.objects.count() == 0


def test_completion_is_requested_of_submitted_applications_by_officers_only():
    draft = draft_in(phase_closing_at(DEADLINE))
    closes_at = DEADLINE + timedelta(days=14)

    with pytest.raises(ApplicationError) as refusal:
        services.request_completion(
            draft, items=["budget"], closes_at=closes_at, by=officer_of(draft), now=DEADLINE
        )
    assert refusal.value.messages == [
        "An application that is draft cannot become completion requested."
    ]
    application = submitted(draft)
    with pytest.raises(NotAllowed):
        services.request_completion(
            application, items=["budget"], closes_at=closes_at, by=application.created_by
        )
    assert CompletionRequest.objects.count() == 0


# --- Withdrawal ----------------------------------------------------------------------------


def test_a_draft_is_withdrawn_with_the_reason_recorded():
    application = draft_in(phase_closing_at(DEADLINE))

    services.withdraw_application(
        application, reason=" Hanke ei toteudu. ", by=application.created_by, now=BEFORE
    )

    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert (application.withdrawn_at, application.withdrawal_reason) == (
        BEFORE,
        "Hanke ei toteudu.",
    )
    event = AuditEvent.objects.for_target(application).get(verb="application.withdrawn")
    assert (event.actor, event.data) == (application.created_by, {"reason": "Hanke ei toteudu."})
    # Nobody outside the consortium ever saw the draft: no notice.
    assert notice_recipients("application.withdrawn") == []


def test_a_submitted_application_is_withdrawn_and_the_coordinator_told():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    colleague = member_of(application.coordinator)

    services.withdraw_application(application, reason="Peruttu.", by=colleague)

    assert Application.objects.get(pk=application.pk).state == ApplicationState.WITHDRAWN
    assert notice_recipients("application.withdrawn") == sorted(
        [application.created_by.pk, colleague.pk]
    )


def test_a_withdrawn_application_cannot_be_submitted_or_withdrawn_again():
    application = draft_in(phase_closing_at(DEADLINE))
    services.withdraw_application(application, reason="", by=application.created_by)

    with pytest.raises(ApplicationError) as refusal:
        submit_application(application, by=application.created_by, now=BEFORE)
    assert refusal.value.messages == ["An application that is withdrawn cannot become submitted."]
    with pytest.raises(ApplicationError) as refusal:
        services.withdraw_application(application, reason="", by=application.created_by)
    assert refusal.value.messages == ["An application that is withdrawn cannot become withdrawn."]
    with pytest.raises(NotAllowed):
        save_section(
            application, "basics", {"title": "X"}, base_version=0, by=application.created_by
        )
    assert application.submissions.count() == 0
    assert application.record_number == ""


def test_only_the_coordinators_members_withdraw():
    application = draft_in(phase_closing_at(DEADLINE))
    partner_member = member_of(application.partners.get().organisation)

    for user in (partner_member, officer_of(application)):
        with pytest.raises(NotAllowed) as refusal:
            services.withdraw_application(application, reason="", by=user)
        assert refusal.value.messages == ["Only the coordinator's members can do this."]
    assert Application.objects.get(pk=application.pk).state == ApplicationState.DRAFT


# --- The two-phase call --------------------------------------------------------------------

FULL_OPENS = instant_at(datetime(2021, 4, 26, 9, 0), "Europe/Helsinki")
FULL_CLOSES = instant_at(datetime(2021, 6, 2, 16, 15), "Europe/Helsinki")
IN_FULL_PHASE = FULL_OPENS + timedelta(days=1)


def full_phase_of(idea_phase):
    return PhaseFactory(
        call=idea_phase.call,
        kind=Phase.Kind.FULL,
        order=idea_phase.order + 100,
        opens_at=FULL_OPENS,
        closes_at=FULL_CLOSES,
        requires_invitation=True,
    )


@pytest.fixture
def two_phases():
    """A submitted idea application with questionnaire answers, and the full phase."""
    idea_phase = phase_closing_at(DEADLINE)
    full_phase = full_phase_of(idea_phase)
    instrument = idea_phase.call.instruments.get()
    idea_version = questionnaire_for(idea_phase, instrument, ["goals", "idea_only"])
    questionnaire_for(full_phase, instrument, ["goals", "full_only", "budget_plan"])
    idea = draft_in(idea_phase)
    idea.questionnaire_version = idea_version
    idea.answers = {"goals": "Vetytalouden verkosto", "idea_only": "Vain ideassa"}
    idea.save()
    return submitted(idea), full_phase


def start_full(idea, full_phase, instrument=None):
    return services.start_application(
        phase=full_phase,
        instrument=instrument or idea.instrument,
        coordinator=idea.coordinator,
        by=idea.created_by,
        language="sv",
        now=IN_FULL_PHASE,
    )


def test_the_full_phase_is_only_for_invited_consortia(two_phases):
    idea, full_phase = two_phases

    assert services.start_problems(
        full_phase, idea.instrument, idea.coordinator, idea.created_by, now=IN_FULL_PHASE
    ) == ["Only consortia invited after the idea phase can apply in this phase."]
    with pytest.raises(NotAllowed) as refusal:
        start_full(idea, full_phase)
    assert refusal.value.messages == [
        "Only consortia invited after the idea phase can apply in this phase."
    ]
    assert Application.objects.filter(phase=full_phase).count() == 0


def test_an_invitation_is_made_once_and_the_coordinator_told(two_phases):
    idea, full_phase = two_phases
    officer = officer_of(idea)

    invitation = services.invite_to_full_phase(idea, by=officer, now=FULL_OPENS)
    again = services.invite_to_full_phase(idea, by=officer, now=IN_FULL_PHASE)

    assert again.pk == invitation.pk
    assert (invitation.phase, invitation.invited_at) == (full_phase, FULL_OPENS)
    assert verbs(idea).count("application.invited_to_full_phase") == 1
    assert notice_recipients("application.invited_to_full_phase") == [idea.created_by.pk]


def test_the_invitation_to_the_full_phase_links_in_the_recipients_language(two_phases):
    idea, full_phase = two_phases
    swede = member_of(idea.coordinator)
    swede.preferred_language = "sv"
    swede.save(update_fields=["preferred_language"])

    services.invite_to_full_phase(idea, by=officer_of(idea), now=FULL_OPENS)

    notice = Notice.objects.get(kind="application.invited_to_full_phase", recipient=swede)
    with translation.override("sv"):
        start = reverse("applications:start", kwargs={"call": full_phase.call_id})
    assert notice.context["url"].endswith(start)


def test_only_officers_invite_and_only_submitted_ideas(two_phases):
    idea, _ = two_phases
    draft = draft_in(idea.phase)

    with pytest.raises(NotAllowed):
        services.invite_to_full_phase(idea, by=idea.created_by)
    with pytest.raises(ApplicationError) as refusal:
        services.invite_to_full_phase(draft, by=officer_of(draft))
    assert refusal.value.messages == ["Only submitted idea applications can be invited."]
    assert FullPhaseInvitation.objects.count() == 0


def test_an_invited_consortium_starts_from_its_idea(two_phases):
    idea, full_phase = two_phases
    services.invite_to_full_phase(idea, by=officer_of(idea), now=FULL_OPENS)
    idea_partner = idea.partners.get()

    application = start_full(idea, full_phase)

    application.refresh_from_db()
    assert application.idea == idea
    assert application.state == ApplicationState.DRAFT
    assert application.questionnaire_version == version_for(full_phase, idea.instrument)
    assert (application.title, application.summary) == (idea.title, idea.summary)
    assert application.language == "sv"
    assert set(application.municipalities.all()) == set(idea.municipalities.all())
    assert (application.aid_requested, application.own_financing) == (
        Decimal("80000.00"),
        Decimal("20000.00"),
    )
    assert list(application.budget_rows.values_list("year", "category", "amount")) == list(
        idea.budget_rows.values_list("year", "category", "amount")
    )
    # Only answers to questions the full questionnaire still asks.
    assert application.answers == {"goals": "Vetytalouden verkosto"}
    # A partner confirms the full application anew: the idea's letter does not carry over.
    partner = application.partners.get()
    assert (partner.organisation, partner.role) == (idea_partner.organisation, idea_partner.role)
    assert (partner.confirmed_at, partner.confirmed_by, partner.commitment) == (None, None, "")
    assert idea_partner.is_confirmed
    assert application.record_number == ""
    assert application.section_versions == {}
    event = AuditEvent.objects.for_target(application).get(verb="application.started")
    assert event.data == {"phase": full_phase.pk, "idea": idea.pk}
    checks = {check.code: check for check in application_checks(application)}
    assert checks["partners_confirmed"].passed is False
    assert checks["partners_confirmed"].message == (
        f"Partners yet to confirm: {idea_partner.organisation}"
    )


def test_an_invitation_is_for_the_ideas_instrument(two_phases):
    idea, full_phase = two_phases
    services.invite_to_full_phase(idea, by=officer_of(idea), now=FULL_OPENS)
    zones = InstrumentFactory(call=full_phase.call, code="development-zone")
    questionnaire_for(full_phase, zones, ["zone_plan"])

    with pytest.raises(NotAllowed):
        start_full(idea, full_phase, instrument=zones)


def test_a_coordinator_invited_with_two_ideas_starts_each(two_phases):
    idea, full_phase = two_phases
    zones = InstrumentFactory(call=full_phase.call, code="development-zone")
    zone_version = questionnaire_for(full_phase, zones, ["zone_plan"])
    zone_idea = submitted(
        draft_in(
            idea.phase,
            instrument=zones,
            coordinator=idea.coordinator,
            created_by=idea.created_by,
        )
    )
    for invited in (idea, zone_idea):
        services.invite_to_full_phase(invited, by=officer_of(idea), now=FULL_OPENS)

    application = start_full(zone_idea, full_phase, instrument=zones)

    assert (application.idea, application.instrument) == (zone_idea, zones)
    assert application.questionnaire_version == zone_version


def test_a_phase_that_is_not_open_cannot_be_started():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)

    problems = services.start_problems(
        phase,
        application.instrument,
        application.coordinator,
        application.created_by,
        now=DEADLINE + timedelta(milliseconds=1),
    )

    assert problems == ["The phase is not open for applications."]
    outsider = member_of(OrganisationFactory())
    assert services.start_problems(
        phase, application.instrument, application.coordinator, outsider, now=BEFORE
    ) == ["You are not a member of this organisation."]


def test_the_full_applications_budget_is_a_copy(two_phases):
    """Prefilling copies rows: editing the full application's budget leaves the idea's."""
    idea, full_phase = two_phases
    services.invite_to_full_phase(idea, by=officer_of(idea), now=FULL_OPENS)
    application = start_full(idea, full_phase)

    save_section(
        application,
        "budget",
        {"costs": {(2021, "travel"): "10"}},
        base_version=0,
        by=idea.created_by,
        now=IN_FULL_PHASE,
    )

    assert BudgetRow.objects.filter(application=idea).count() == 3
    assert list(application.budget_rows.values_list("category", "amount")) == [
        ("travel", Decimal("10.00"))
    ]


# --- Inviting a partner by e-mail --------------------------------------------------------


def invite(application, email="yhteys@kumppani.example", **fields):
    return services.invite_partner_by_email(
        application,
        organisation_name=fields.pop("organisation_name", "Kumppani ry"),
        email=email,
        country=fields.pop("country", country("FI")),
        role=fields.pop("role", Partner.Role.EXPERT),
        tasks=fields.pop("tasks", "Asiantuntija-apu"),
        editable=fields.pop("editable", ["financing", "no-such-section"]),
        by=fields.pop("by", application.created_by),
        now=fields.pop("now", BEFORE),
        **fields,
    )


def test_the_coordinator_invites_an_organisation_by_e_mail():
    application = draft_in(phase_closing_at(DEADLINE))

    invitation = invite(application, email=" Yhteys@Kumppani.example ", business_id="")

    assert (invitation.organisation_name, invitation.email, invitation.role) == (
        "Kumppani ry",
        "yhteys@kumppani.example",
        Partner.Role.EXPERT,
    )
    assert invitation.editable_sections == ["financing"]
    assert invitation.expires_at == BEFORE + timedelta(days=30)
    assert invitation.state == PartnerInvitation.State.PENDING
    (notice,) = Notice.objects.filter(kind="application.partner_invitation")
    assert (notice.recipient, notice.email, notice.language) == (
        None,
        "yhteys@kumppani.example",
        application.language,
    )
    assert notice.context["url"].endswith(f"/partner-invitations/{invitation.key}/")
    assert notice.context["partner_name"] == "Kumppani ry"
    assert notice.context["organisation_name"] == application.coordinator.name
    event = AuditEvent.objects.for_target(application).get()
    assert (event.verb, event.actor, event.data) == (
        "application.partner_invited_by_email",
        application.created_by,
        {
            "invitation": invitation.pk,
            "organisation_name": "Kumppani ry",
            "business_id": "",
            "email": "yhteys@kumppani.example",
        },
    )
    # The consortium itself has not changed: nobody's saved text is made stale.
    assert Application.objects.get(pk=application.pk).section_versions == {}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"organisation_name": "  "}, "Give the name of the organisation."),
        (
            {"email": "ei osoite"},
            "Give the e-mail address of the organisation's contact person.",
        ),
        ({"role": "boss"}, "Choose the role of the partner."),
    ],
)
def test_an_invitation_needs_a_name_an_address_and_a_role(fields, message):
    application = draft_in(phase_closing_at(DEADLINE))
    with pytest.raises(ApplicationError) as refusal:
        invite(application, **fields)
    assert refusal.value.messages == [message]
    assert application.partner_invitations.count() == 0
    assert Notice.objects.count() == 0


def test_a_registered_organisation_is_added_by_its_business_id_instead():
    application = draft_in(phase_closing_at(DEADLINE))
    registered = OrganisationFactory()
    with pytest.raises(ApplicationError) as refusal:
        invite(application, business_id=registered.business_id)
    assert refusal.value.messages == [
        f"{registered.name} is already registered in Regionet with the business ID "
        f"{registered.business_id}: add it as a partner by its business ID."
    ]


def test_one_waiting_invitation_per_address():
    application = draft_in(phase_closing_at(DEADLINE))
    first = invite(application)
    with pytest.raises(ApplicationError) as refusal:
        invite(application, email="YHTEYS@kumppani.example")
    assert refusal.value.messages == [
        "yhteys@kumppani.example has already been invited to this application. Withdraw that "
        "invitation first if you want to send a new one."
    ]
    services.withdraw_partner_invitation(first, by=application.created_by, now=BEFORE)
    assert invite(application).pk != first.pk
    # An expired one does not stand in the way either.
    invite(application, email="toinen@kumppani.example", now=BEFORE - timedelta(days=31))
    invite(application, email="toinen@kumppani.example")


def test_only_the_coordinators_members_invite_and_withdraw():
    application = draft_in(phase_closing_at(DEADLINE))
    partner_member = member_of(application.partners.get().organisation)
    with pytest.raises(NotAllowed):
        invite(application, by=partner_member)
    invitation = invite(application)
    with pytest.raises(NotAllowed):
        services.withdraw_partner_invitation(invitation, by=partner_member)
    invitation.refresh_from_db()
    assert invitation.state == PartnerInvitation.State.PENDING


def test_a_submitted_application_invites_nobody():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    with pytest.raises(NotAllowed):
        invite(application)


def invited_contact(invitation, *, verified=True):
    return UserFactory(email=invitation.email, email_verified=verified)


def test_the_invited_contact_registers_the_organisation_and_joins():
    application = draft_in(phase_closing_at(DEADLINE))
    invitation = invite(application)
    contact = invited_contact(invitation)
    home = current_municipality("FI", 3)

    partner = services.join_with_new_organisation(
        invitation,
        by=contact,
        now=BEFORE,
        country=country("FI"),
        type=Organisation.Type.NGO,
        business_id=unique_y_tunnus(901),
        home_municipality=home,
        name_fi="Kumppani ry",
    )

    organisation = partner.organisation
    assert (organisation.name_fi, organisation.business_id) == (
        "Kumppani ry",
        unique_y_tunnus(901),
    )
    assert list(organisation.memberships.values_list("user", "role")) == [(contact.pk, "admin")]
    assert (partner.role, partner.tasks, partner.editable_sections) == (
        Partner.Role.EXPERT,
        "Asiantuntija-apu",
        ["financing"],
    )
    assert partner.is_confirmed is False
    invitation.refresh_from_db()
    assert (invitation.state, invitation.answered_by, invitation.partner) == (
        PartnerInvitation.State.ACCEPTED,
        contact,
        partner,
    )
    assert Application.objects.get(pk=application.pk).section_versions == {"partners": 1}
    assert verbs(application) == [
        "application.partner_invited_by_email",
        "application.partner_invitation_accepted",
    ]
    assert AuditEvent.objects.for_target(organisation).get().verb == "organisation.registered"
    # Then the contact confirms as any partner does, and the coordinator is told.
    services.confirm_partnership(partner, commitment="Sitoudumme.", by=contact, now=BEFORE)
    assert notice_recipients("application.partner_confirmed") == [application.created_by.pk]


def test_a_refused_join_registers_nothing():
    application = draft_in(phase_closing_at(DEADLINE))
    invitation = invite(application)
    services.withdraw_partner_invitation(invitation, by=application.created_by, now=BEFORE)
    contact = invited_contact(invitation)
    with pytest.raises(NotAllowed) as refusal:
        services.join_with_new_organisation(
            invitation,
            by=contact,
            country=country("FI"),
            type=Organisation.Type.NGO,
            business_id=unique_y_tunnus(902),
            home_municipality=current_municipality("FI", 3),
            name_fi="Kumppani ry",
        )
    assert refusal.value.messages == ["The coordinator has withdrawn this invitation."]
    assert not Organisation.objects.filter(business_id=unique_y_tunnus(902)).exists()


def first_reads(queries) -> list[str]:
    """The order in which a door first reads the application's and the invitation's rows: on
    PostgreSQL only its locking reads (FOR UPDATE), so the order its row locks are taken in."""
    tables = []
    for query in queries:
        sql = query["sql"]
        if connection.vendor == "postgresql" and "FOR UPDATE" not in sql:
            continue
        for table in ("applications_application", "applications_partnerinvitation"):
            if f'FROM "{table}"' in sql and table not in tables:
                tables.append(table)
    return tables


def test_every_door_of_an_invitation_locks_the_application_first():
    # One order for all of them, or two of them at once could each wait for the other.
    application = draft_in(phase_closing_at(DEADLINE))
    order = ["applications_application", "applications_partnerinvitation"]
    registering, joining, withdrawn = (
        invite(application, email=f"{name}@kumppani.example")
        for name in ("registering", "joining", "withdrawn")
    )
    with CaptureQueriesContext(connection) as join:
        services.join_with_new_organisation(
            registering,
            by=invited_contact(registering),
            now=BEFORE,
            country=country("FI"),
            type=Organisation.Type.NGO,
            business_id=unique_y_tunnus(904),
            home_municipality=current_municipality("FI", 3),
            name_fi="Kumppani ry",
        )
    contact = invited_contact(joining)
    MembershipFactory(user=contact, organisation=(organisation := OrganisationFactory()))
    with CaptureQueriesContext(connection) as accept:
        services.accept_partner_invitation(joining, organisation, by=contact, now=BEFORE)
    with CaptureQueriesContext(connection) as withdraw:
        services.withdraw_partner_invitation(withdrawn, by=application.created_by, now=BEFORE)
    assert first_reads(join.captured_queries) == order
    assert first_reads(accept.captured_queries) == order
    assert first_reads(withdraw.captured_queries) == order


def test_a_registration_checks_the_invitation_once(monkeypatch):
    application = draft_in(phase_closing_at(DEADLINE))
    invitation = invite(application)
    checks = []
    problems = services.partner_invitation_problems

    def counted(*args, **kwargs):
        checks.append(args)
        return problems(*args, **kwargs)

    monkeypatch.setattr(services, "partner_invitation_problems", counted)
    services.join_with_new_organisation(
        invitation,
        by=invited_contact(invitation),
        now=BEFORE,
        country=country("FI"),
        type=Organisation.Type.NGO,
        business_id=unique_y_tunnus(905),
        home_municipality=current_municipality("FI", 3),
        name_fi="Kumppani ry",
    )
    assert len(checks) == 1


def test_a_registered_organisation_is_matched_by_its_business_id():
    application = draft_in(phase_closing_at(DEADLINE))
    business_id = unique_y_tunnus(903)
    invitation = invite(application, business_id=business_id)
    # Registered after the invitation went out, by the contact; another of theirs is no match.
    contact = invited_contact(invitation)
    matching = OrganisationFactory(business_id=business_id)
    other = OrganisationFactory()
    for organisation in (matching, other):
        MembershipFactory(user=contact, organisation=organisation)

    assert services.invited_organisation(invitation) == matching
    assert services.organisations_to_join_with(invitation, contact) == [matching]
    with pytest.raises(ApplicationError) as refusal:
        services.accept_partner_invitation(invitation, other, by=contact, now=BEFORE)
    assert refusal.value.messages == [
        f"The coordinator invited the organisation with the business ID {business_id}."
    ]
    partner = services.accept_partner_invitation(invitation, matching, by=contact, now=BEFORE)
    assert partner.organisation == matching


@pytest.mark.parametrize("who", ["someone else", "unverified"])
def test_only_the_verified_invited_address_answers(who):
    application = draft_in(phase_closing_at(DEADLINE))
    invitation = invite(application)
    user = UserFactory() if who == "someone else" else invited_contact(invitation, verified=False)
    message = (
        "This invitation was sent to yhteys@kumppani.example. Sign in with that address, "
        "verified, to answer it."
    )
    organisation = OrganisationFactory()
    MembershipFactory(user=user, organisation=organisation)
    assert services.partner_invitation_problems(invitation, user, BEFORE) == [message]
    with pytest.raises(NotAllowed) as refusal:
        services.accept_partner_invitation(invitation, organisation, by=user, now=BEFORE)
    assert refusal.value.messages == [message]
    assert application.partners.count() == 1


def test_an_invitation_is_answered_once_and_not_after_it_expires():
    application = draft_in(phase_closing_at(DEADLINE))
    existing = application.partners.get().organisation_id
    invitation = invite(application)
    contact = invited_contact(invitation)
    first, second = OrganisationFactory(), OrganisationFactory()
    for organisation in (first, second):
        MembershipFactory(user=contact, organisation=organisation)
    # The deadline helper's rule: the instant it expires is still in time, a millisecond on not.
    assert services.partner_invitation_problems(invitation, contact, invitation.expires_at) == []
    late = invitation.expires_at + timedelta(milliseconds=1)
    assert services.partner_invitation_problems(invitation, contact, late) == [
        "This invitation has expired. Ask the coordinator for a new one."
    ]
    services.accept_partner_invitation(invitation, first, by=contact, now=BEFORE)
    with pytest.raises(NotAllowed) as refusal:
        services.accept_partner_invitation(invitation, second, by=contact, now=BEFORE)
    assert refusal.value.messages == ["This invitation has already been answered."]
    assert sorted(application.partners.values_list("organisation", flat=True)) == sorted(
        [existing, first.pk]
    )


def test_an_invited_partner_edits_only_sections_the_application_has():
    # The same rules as a partner the coordinator adds, whatever the invitation's row holds.
    application = draft_in(phase_closing_at(DEADLINE))
    invitation = invite(application)
    PartnerInvitation.objects.filter(pk=invitation.pk).update(
        editable_sections=["financing", "no-such-section"], role="boss"
    )
    contact = invited_contact(invitation)
    MembershipFactory(user=contact, organisation=(organisation := OrganisationFactory()))
    with pytest.raises(ApplicationError) as refusal:
        services.accept_partner_invitation(invitation, organisation, by=contact, now=BEFORE)
    assert refusal.value.messages == ["Choose the role of the partner."]
    PartnerInvitation.objects.filter(pk=invitation.pk).update(role=Partner.Role.EXPERT)
    partner = services.accept_partner_invitation(invitation, organisation, by=contact, now=BEFORE)
    assert partner.editable_sections == ["financing"]


def test_the_contact_must_be_a_member_of_the_organisation_they_join_with():
    application = draft_in(phase_closing_at(DEADLINE))
    invitation = invite(application)
    contact = invited_contact(invitation)
    stranger = OrganisationFactory()
    with pytest.raises(NotAllowed) as refusal:
        services.accept_partner_invitation(invitation, stranger, by=contact, now=BEFORE)
    assert refusal.value.messages == [f"You are not a member of {stranger.name}."]


def test_a_partner_confirmed_tells_the_coordinators_members():
    application = draft_in(phase_closing_at(DEADLINE), confirmed_partner=False)
    colleague = member_of(application.coordinator)
    partner = application.partners.get()
    partner_member = member_of(partner.organisation)

    services.confirm_partnership(partner, commitment="Sitoudumme.", by=partner_member)

    assert notice_recipients("application.partner_confirmed") == sorted(
        [application.created_by.pk, colleague.pk]
    )
    notice = Notice.objects.filter(kind="application.partner_confirmed").first()
    assert notice.context["partner_name"] == partner.organisation.name
    assert notice.context["url"].endswith(f"/applications/{application.pk}/consortium/")


def test_the_coordinators_members_are_told_in_their_own_language():
    # Names and links in each recipient's language, not in the language of whoever acted.
    application = draft_in(phase_closing_at(DEADLINE), confirmed_partner=False)
    swede = member_of(application.coordinator)
    swede.preferred_language = "sv"
    swede.save(update_fields=["preferred_language"])
    partner = application.partners.get()
    MembershipFactory(user=(partner_member := UserFactory()), organisation=partner.organisation)

    services.confirm_partnership(partner, commitment="Sitoudumme.", by=partner_member)

    context = Notice.objects.get(kind="application.partner_confirmed", recipient=swede).context
    assert (context["partner_name"], context["organisation_name"]) == (
        partner.organisation.name_sv,
        application.coordinator.name_sv,
    )
    assert context["url"].endswith(f"/sv/applications/{application.pk}/consortium/")
    context = Notice.objects.get(
        kind="application.partner_confirmed", recipient=application.created_by
    ).context
    assert context["partner_name"] == partner.organisation.name_fi


def test_a_partner_neither_joins_nor_confirms_after_the_completion_requests_deadline():
    application = submitted(draft_in(phase_closing_at(DEADLINE)))
    closes_at = DEADLINE + timedelta(days=14)
    _, application = requested(application, items=("partners",), closes_at=closes_at)
    within, late = DEADLINE + timedelta(days=2), closes_at + timedelta(milliseconds=1)
    joining = invite(application, now=within)
    waiting = invite(application, email="toinen@kumppani.example", now=within)
    contact = invited_contact(joining)
    MembershipFactory(user=contact, organisation=(organisation := OrganisationFactory()))
    partner = services.accept_partner_invitation(joining, organisation, by=contact, now=within)
    ended = ["The time for the requested additions has ended."]

    with pytest.raises(ApplicationError) as refusal:
        services.confirm_partnership(partner, commitment="Sitoudumme.", by=contact, now=late)
    assert refusal.value.messages == ended
    latecomer = invited_contact(waiting)
    MembershipFactory(user=latecomer, organisation=(other := OrganisationFactory()))
    assert services.partner_invitation_problems(waiting, latecomer, late) == ended
    with pytest.raises(NotAllowed) as refusal:
        services.accept_partner_invitation(waiting, other, by=latecomer, now=late)
    assert refusal.value.messages == ended

    partner.refresh_from_db()
    assert partner.confirmed_at is None
    assert application.partners.filter(organisation=other).count() == 0

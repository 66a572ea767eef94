"""The publish doors: every reason to refuse, all at once; success changes state and audits."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from regionet.accounts.models import FunderRole
from regionet.audit.models import AuditEvent
from regionet.programmes import services
from regionet.programmes.models import Call, Phase, Programme, PublicationState
from regionet.programmes.services import PublishRefused
from tests.factories import (
    CallContactFactory,
    CallFactory,
    CriterionFactory,
    EarmarkFactory,
    InstrumentFactory,
    YearlyBudgetFactory,
    network_programme,
)

from .conftest import attach_forms, staff

pytestmark = pytest.mark.django_db

NOW = datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
NBSP = "\xa0"
PROGRAMME = "Inter-regional network cooperation 2021–2023"


@pytest.fixture
def programme(tem):
    return network_programme(funder=tem)


@pytest.fixture
def call(programme, tem):
    call = programme.calls.get()
    attach_forms(call, tem)
    return call


@pytest.fixture
def published_programme(programme, tem_officer):
    return services.publish_programme(programme, by=tem_officer, now=NOW)


def refusal(door, obj, by, language="en"):
    """The reasons ``door`` refuses with, in ``language``; fails if it does not refuse."""
    with translation.override(language), pytest.raises(PublishRefused) as refused:
        door(obj, by=by, now=NOW)
    return refused.value.reasons


def set_budget(programme, year, amount):
    programme.yearly_budgets.filter(year=year).update(amount=Decimal(amount))


# --- Programme ------------------------------------------------------------------------------


def test_the_network_programme_publishes(programme, tem_officer):
    assert services.programme_problems(programme) == []
    published = services.publish_programme(programme, by=tem_officer, now=NOW)
    # The caller's instance shows the new state, and so does the database.
    assert (programme.state, programme.published_at) == (PublicationState.PUBLISHED, NOW)
    programme.refresh_from_db()
    assert published.state == programme.state == PublicationState.PUBLISHED
    assert programme.published_at == NOW
    events = list(AuditEvent.objects.for_target(programme))
    assert [(e.verb, e.actor, e.data) for e in events] == [
        ("programme.published", tem_officer, {"slug": programme.slug})
    ]


def test_yearly_budgets_that_do_not_add_up(programme, tem_officer):
    set_budget(programme, 2023, "2233333.34")  # 100 000,00 short
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "The yearly budgets sum to €6,900,000.00, not the total €7,000,000.00"
    ]
    assert refusal(services.publish_programme, programme, tem_officer, "fi") == [
        f"Vuosibudjettien summa on 6{NBSP}900{NBSP}000,00{NBSP}€ eikä kokonaisbudjetti "
        f"7{NBSP}000{NBSP}000,00{NBSP}€"
    ]
    assert refusal(services.publish_programme, programme, tem_officer, "sv") == [
        f"Årsbudgetarna uppgår till 6{NBSP}900{NBSP}000,00{NBSP}€, inte till totalbudgeten "
        f"7{NBSP}000{NBSP}000,00{NBSP}€"
    ]


def test_a_cent_too_much_in_one_year(programme, tem_officer):
    set_budget(programme, 2021, "2333333.34")
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "The yearly budgets sum to €7,000,000.01, not the total €7,000,000.00"
    ]


def test_no_yearly_budgets_at_all(programme, tem_officer):
    programme.yearly_budgets.all().delete()
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "The yearly budgets sum to €0.00, not the total €7,000,000.00"
    ]


def test_a_yearly_budget_outside_the_programme_years(programme, tem_officer):
    YearlyBudgetFactory(programme=programme, year=2024, amount=Decimal(0))
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "The yearly budget for 2024 is outside the programme's years 2021–2023"
    ]


def test_earmarks_exceeding_the_budget(programme, tem_officer):
    EarmarkFactory(programme=programme, amount=Decimal("6000000.01"))
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "Earmarks total €7,000,000.01 but the programme budget is €7,000,000.00"
    ]
    assert refusal(services.publish_programme, programme, tem_officer, "fi") == [
        f"Korvamerkinnät ovat yhteensä 7{NBSP}000{NBSP}000,01{NBSP}€, mutta ohjelman budjetti "
        f"on 7{NBSP}000{NBSP}000,00{NBSP}€"
    ]


def test_earmarks_exactly_the_budget_are_fine(programme, tem_officer):
    EarmarkFactory(programme=programme, amount=Decimal("6000000.00"))
    assert services.programme_problems(programme) == []


def test_a_theme_without_its_swedish_name(programme, tem_officer):
    programme.themes.filter(code="hydrogen").update(name_sv="")
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "Theme 'Hydrogen economy' has no Swedish name"
    ]
    assert refusal(services.publish_programme, programme, tem_officer, "fi") == [
        "Teema 'Vetytalous': nimi ruotsiksi puuttuu"
    ]


@pytest.mark.parametrize(
    ("model", "field", "language", "message"),
    [
        ("programme", "name", "sv", f"Programme '{PROGRAMME}' has no Swedish name"),
        ("programme", "legal_basis", "fi", f"Programme '{PROGRAMME}' has no Finnish legal basis"),
        ("earmark", "name", "fi", "Earmark 'Networks of regional towns' has no Finnish name"),
        (
            "zone",
            "name",
            "sv",
            "Development zone 'Bothnian Arc development zone' has no Swedish name",
        ),
    ],
)
def test_every_text_of_the_programme_is_checked(
    programme, tem_officer, model, field, language, message
):
    target = {
        "programme": Programme.objects.filter(pk=programme.pk),
        "earmark": programme.earmarks.all(),
        "zone": programme.zones.all(),
    }[model]
    target.update(**{f"{field}_{language}": ""})
    assert refusal(services.publish_programme, programme, tem_officer) == [message]


def test_an_already_published_programme(published_programme, tem_officer):
    assert refusal(services.publish_programme, published_programme, tem_officer) == [
        "The programme is already published"
    ]


def test_every_reason_at_once_and_nothing_changes(programme, tem_officer):
    set_budget(programme, 2023, "2233333.34")
    YearlyBudgetFactory(programme=programme, year=2024, amount=Decimal(0))
    EarmarkFactory(programme=programme, code="zz-extra", amount=Decimal("6500000"))
    Programme.objects.filter(pk=programme.pk).update(name_sv="")
    programme.themes.filter(code="hydrogen").update(name_sv="")
    assert refusal(services.publish_programme, programme, tem_officer) == [
        "The yearly budget for 2024 is outside the programme's years 2021–2023",
        "The yearly budgets sum to €6,900,000.00, not the total €7,000,000.00",
        "Earmarks total €7,500,000.00 but the programme budget is €7,000,000.00",
        f"Programme '{PROGRAMME}' has no Swedish name",
        "Theme 'Hydrogen economy' has no Swedish name",
    ]
    programme.refresh_from_db()
    assert (programme.state, programme.published_at) == (PublicationState.DRAFT, None)
    assert AuditEvent.objects.count() == 0


def test_the_refusal_is_a_validation_error_listing_the_reasons(programme, tem_officer):
    programme.themes.filter(code="hydrogen").update(name_sv="")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.publish_programme(programme, by=tem_officer)
    assert refused.value.messages == ["Theme 'Hydrogen economy' has no Swedish name"]


def test_an_officer_of_another_funder_may_not_publish(programme, tillvaxtverket_officer):
    with pytest.raises(PermissionDenied):
        services.publish_programme(programme, by=tillvaxtverket_officer)
    programme.refresh_from_db()
    assert programme.state == PublicationState.DRAFT
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (FunderRole.Role.PROGRAMME_OFFICER, True),
        (FunderRole.Role.ADMINISTRATOR, True),
        (FunderRole.Role.REVIEWER, False),
        (FunderRole.Role.DECISION_MAKER, False),
        (FunderRole.Role.APPLICANT, False),
    ],
)
def test_who_of_the_funder_may_publish(programme, tem, role, allowed):
    user = staff(tem, role)
    if allowed:
        services.publish_programme(programme, by=user)
        assert Programme.objects.get(pk=programme.pk).is_published is True
    else:
        with pytest.raises(PermissionDenied):
            services.publish_programme(programme, by=user)


def test_withdrawing_a_programme_waits_for_its_calls(published_programme, call, tem_officer):
    services.publish_call(call, by=tem_officer, now=NOW)
    with translation.override("en"), pytest.raises(PublishRefused) as refused:
        services.unpublish_programme(published_programme, by=tem_officer)
    assert refused.value.reasons == ["Withdraw the call 'Network call 2021' first: it is published"]
    services.unpublish_call(call, by=tem_officer)
    services.unpublish_programme(published_programme, by=tem_officer)
    published_programme.refresh_from_db()
    call.refresh_from_db()
    assert (published_programme.state, published_programme.published_at) == ("draft", None)
    assert (call.state, call.published_at) == ("draft", None)
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True)) == [
        "programme.published",
        "questionnaire.version_frozen",
        "call.published",
        "call.unpublished",
        "programme.unpublished",
    ]


def test_withdrawing_a_draft_is_refused(programme, call, tem_officer):
    with translation.override("en"), pytest.raises(PublishRefused) as refused:
        services.unpublish_programme(programme, by=tem_officer)
    assert refused.value.reasons == ["The programme is not published"]
    with translation.override("en"), pytest.raises(PublishRefused) as refused:
        services.unpublish_call(call, by=tem_officer)
    assert refused.value.reasons == ["The call is not published"]


# --- Call -----------------------------------------------------------------------------------


def phases(call):
    idea, full = call.phases.order_by("order")
    return idea, full


def test_the_network_call_publishes_in_its_published_programme(
    published_programme, call, tem_officer
):
    assert services.call_problems(Call.objects.get(pk=call.pk)) == []
    services.publish_call(call, by=tem_officer, now=NOW)
    call.refresh_from_db()
    assert (call.state, call.published_at) == (PublicationState.PUBLISHED, NOW)
    events = list(AuditEvent.objects.for_target(call))
    assert [(e.verb, e.actor, e.data) for e in events] == [
        (
            "call.published",
            tem_officer,
            {"programme": published_programme.slug, "slug": call.slug},
        )
    ]


def test_a_call_in_an_unpublished_programme(programme, call, tem_officer):
    assert refusal(services.publish_call, call, tem_officer) == [
        f"The programme '{PROGRAMME}' is not published"
    ]


def test_overlapping_phases(published_programme, call, tem_officer):
    idea, full = phases(call)
    full.opens_at = idea.closes_at - timedelta(microseconds=1)
    full.save()
    assert refusal(services.publish_call, call, tem_officer) == [
        "Phase 'Full application' opens before phase 'Idea phase' closes"
    ]
    with translation.override("fi"):
        assert refusal(services.publish_call, call, tem_officer, "fi") == [
            "Vaihe 'Varsinainen haku' alkaa ennen kuin vaihe 'Ideahaku' päättyy"
        ]


def test_a_phase_may_open_the_instant_the_previous_one_closes(
    published_programme, call, tem_officer
):
    idea, full = phases(call)
    full.opens_at = idea.closes_at
    full.save()
    assert services.call_problems(Call.objects.get(pk=call.pk)) == []


def test_a_phase_closing_before_it_opens(published_programme, call, tem_officer):
    idea, _full = phases(call)
    Phase.objects.filter(pk=idea.pk).update(closes_at=idea.opens_at - timedelta(days=1))
    assert refusal(services.publish_call, call, tem_officer) == [
        "Phase 'Idea phase' closes before it opens"
    ]


def test_phases_out_of_order(published_programme, call, tem_officer):
    idea, _full = phases(call)
    idea.order = 3  # now after the full application phase, which requires an invitation
    idea.save()
    assert refusal(services.publish_call, call, tem_officer) == [
        "Phase 'Idea phase' opens before phase 'Full application' closes",
        "The idea phase 'Idea phase' comes after the full application phase 'Full application'",
        "Phase 'Full application' requires an invitation, but no phase comes before it",
    ]


def test_a_first_phase_requiring_an_invitation(published_programme, call, tem_officer):
    idea, full = phases(call)
    full.delete()
    idea.requires_invitation = True
    idea.save()
    assert refusal(services.publish_call, call, tem_officer) == [
        "Phase 'Idea phase' requires an invitation, but no phase comes before it"
    ]


def test_a_call_without_instruments_or_phases(published_programme, tem_officer):
    call = CallFactory(programme=published_programme, name_en="Empty call")
    assert refusal(services.publish_call, call, tem_officer) == [
        "The call has no instruments",
        "The call has no phases",
    ]


def test_instruments_must_say_who_may_apply_and_from_where(published_programme, call, tem_officer):
    network = call.instruments.get(code="thematic-network")
    network.allowed_applicant_types = []
    network.save()
    call.instruments.get(code="development-zone").countries.clear()
    assert refusal(services.publish_call, call, tem_officer) == [
        "Instrument 'Thematic network' allows no applicant types",
        "Instrument 'Development zone' names no countries",
    ]


def test_an_instrument_may_only_use_its_own_programmes_earmarks(
    published_programme, call, tem_officer
):
    foreign = EarmarkFactory(name_en="Someone else's money")
    call.instruments.get(code="development-zone").earmarks.add(foreign)
    assert refusal(services.publish_call, call, tem_officer) == [
        "Instrument 'Development zone' uses the earmark 'Someone else's money' of another programme"
    ]


def test_every_text_of_the_call_is_checked(published_programme, call, tem_officer):
    idea, _full = phases(call)
    network = call.instruments.get(code="thematic-network")
    CriterionFactory(phase=idea, instrument=network, name_en="Relevance", name_sv="")
    Call.objects.filter(pk=call.pk).update(description_fi="Hae nyt", description_sv="")
    call.instruments.filter(pk=network.pk).update(name_fi="")
    Phase.objects.filter(pk=idea.pk).update(name_sv="")
    assert refusal(services.publish_call, call, tem_officer) == [
        "Call 'Network call 2021' has no Swedish description",
        "Instrument 'Thematic network' has no Finnish name",
        "Phase 'Idea phase' has no Swedish name",
        "Assessment criterion 'Relevance' has no Swedish name",
    ]


def test_an_already_published_call(published_programme, call, tem_officer):
    services.publish_call(call, by=tem_officer)
    assert refusal(services.publish_call, call, tem_officer) == ["The call is already published"]


def test_every_reason_for_a_call_at_once(programme, call, tem_officer):
    idea, full = phases(call)
    full.opens_at = idea.closes_at - timedelta(hours=1)
    full.save()
    Phase.objects.filter(pk=idea.pk).update(name_sv="")
    network = call.instruments.get(code="thematic-network")
    network.countries.clear()
    assert refusal(services.publish_call, call, tem_officer) == [
        f"The programme '{PROGRAMME}' is not published",
        "Phase 'Full application' opens before phase 'Idea phase' closes",
        "Instrument 'Thematic network' names no countries",
        "Phase 'Idea phase' has no Swedish name",
    ]
    call.refresh_from_db()
    assert (call.state, call.published_at) == (PublicationState.DRAFT, None)
    assert AuditEvent.objects.count() == 0


def test_an_officer_of_another_funder_may_not_publish_a_call(
    published_programme, call, tillvaxtverket_officer
):
    with pytest.raises(PermissionDenied):
        services.publish_call(call, by=tillvaxtverket_officer)
    assert Call.objects.get(pk=call.pk).state == PublicationState.DRAFT


def test_an_instrument_of_another_call_in_a_criterion(published_programme, call, tem_officer):
    idea, _full = phases(call)
    other = InstrumentFactory(name_en="Elsewhere")
    CriterionFactory(phase=idea, instrument=other, name_en="Misplaced")
    assert refusal(services.publish_call, call, tem_officer) == [
        "Criterion 'Misplaced' belongs to an instrument of another call"
    ]


def _attach_form(call, tem, *, complete=True):
    from regionet.questionnaires.models import QuestionnaireUse
    from tests.factories import QuestionFactory, QuestionnaireFactory, SectionFactory

    questionnaire = QuestionnaireFactory(funder=tem)
    section = SectionFactory(version__questionnaire=questionnaire)
    if complete:
        QuestionFactory(section=section, key="objectives")
    else:
        QuestionFactory(
            section=section,
            key="objectives",
            label_fi="Tavoitteet",
            label_en="Objectives",
            label_sv="",
        )
    phase = call.phases.order_by("order").first()
    QuestionnaireUse.objects.update_or_create(
        phase=phase,
        instrument=call.instruments.order_by("order").first(),
        defaults={"questionnaire": questionnaire},
    )
    return questionnaire


def test_publishing_a_call_freezes_the_questionnaires_it_uses(
    published_programme, call, tem, tem_officer
):
    questionnaire = _attach_form(call, tem)
    services.publish_call(call, by=tem_officer, now=NOW)
    version = questionnaire.versions.get()
    assert (version.number, version.frozen_at) == (1, NOW)


def test_an_incomplete_questionnaire_keeps_the_call_unpublished(
    published_programme, call, tem, tem_officer
):
    questionnaire = _attach_form(call, tem, complete=False)
    reasons = refusal(services.publish_call, call, tem_officer)
    assert reasons == ["Question 'Objectives' has no Swedish question"]
    assert Call.objects.get(pk=call.pk).is_published is False
    assert questionnaire.versions.get().frozen_at is None


def test_every_phase_needs_a_form_for_every_instrument(published_programme, call, tem_officer):
    from regionet.questionnaires.models import QuestionnaireUse

    _idea, full = phases(call)
    QuestionnaireUse.objects.filter(phase=full, instrument__code="development-zone").delete()
    assert refusal(services.publish_call, call, tem_officer) == [
        "Instrument “Development zone” has no questionnaire in phase “Full application”."
    ]
    assert Call.objects.get(pk=call.pk).is_published is False


def test_a_call_with_applications_stays_published(published_programme, call, tem_officer):
    from tests.factories import ApplicationFactory

    services.publish_call(call, by=tem_officer, now=NOW)
    idea, _full = phases(call)
    ApplicationFactory(phase=idea, instrument=call.instruments.first())
    with translation.override("en"), pytest.raises(PublishRefused) as refused:
        services.unpublish_call(call, by=tem_officer)
    assert refused.value.reasons == ["The call has applications"]
    assert Call.objects.get(pk=call.pk).is_published is True


def test_a_contact_persons_role_needs_its_swedish_text(published_programme, call, tem_officer):
    CallContactFactory(call=call, name="Anna Virtanen", role_sv="")
    assert refusal(services.publish_call, call, tem_officer) == [
        "Contact person 'Anna Virtanen' has no Swedish role"
    ]
    call.contacts.update(role_sv="Programchef")
    services.publish_call(call, by=tem_officer, now=NOW)


def test_the_texts_of_what_happens_next_are_checked_too(published_programme, call, tem_officer):
    idea, _full = phases(call)
    Call.objects.filter(pk=call.pk).update(decisions_expected_fi="Päätökset kesäkuussa 2021.")
    Phase.objects.filter(pk=idea.pk).update(next_steps_sv="Idéerna bedöms.")
    assert refusal(services.publish_call, call, tem_officer) == [
        "Call 'Network call 2021' has no Swedish expected time of decisions",
        "Phase 'Idea phase' has no Finnish next steps after submitting",
    ]

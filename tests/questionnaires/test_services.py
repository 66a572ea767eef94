"""Publishing freezes a questionnaire version; editing then makes an exact copy as a new draft."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from regionet.audit.models import AuditEvent
from regionet.questionnaires.answers import validate_answers
from regionet.questionnaires.models import (
    Choice,
    FrozenVersionError,
    Question,
    QuestionnaireUse,
    QuestionnaireVersion,
    Section,
)
from regionet.questionnaires.services import (
    current_version,
    draft_version,
    edit_version,
    freeze_phase_questionnaires,
    freeze_version,
    phase_questionnaire_problems,
    publication_problems,
    version_for,
)
from tests.factories import (
    ChoiceFactory,
    FunderRoleFactory,
    InstrumentFactory,
    PhaseFactory,
    QuestionFactory,
    QuestionnaireFactory,
)

pytestmark = pytest.mark.django_db

TRANSLATED = {
    Section: ["title_fi", "title_sv", "title_en", "help_text_fi", "help_text_sv", "help_text_en"],
    Question: ["label_fi", "label_sv", "label_en", "help_text_fi", "help_text_sv", "help_text_en"],
    Choice: ["label_fi", "label_sv", "label_en"],
}
QUESTION_COLUMNS = [
    "order",
    "key",
    "kind",
    "required",
    "visibility",
    "max_length",
    "min_value",
    "max_value",
]


def content(version):
    """Everything a version says, without ids: sections, questions, columns, choices."""

    def question_row(question):
        return (
            question.section.order,
            question.table.key if question.table_id else None,
            *(getattr(question, name) for name in QUESTION_COLUMNS + TRANSLATED[Question]),
            [
                (choice.order, choice.value, *(getattr(choice, n) for n in TRANSLATED[Choice]))
                for choice in question.choices.order_by("order")
            ],
        )

    return {
        "sections": [
            (section.order, *(getattr(section, name) for name in TRANSLATED[Section]))
            for section in version.sections.order_by("order")
        ],
        "questions": sorted(
            (question_row(q) for q in version.questions.select_related("section", "table")),
            key=repr,
        ),
    }


@pytest.fixture
def officer(version):
    return FunderRoleFactory(funder=version.questionnaire.funder).user


def test_freeze_sets_the_instant_and_the_officer_and_writes_the_audit_event(version, officer, now):
    frozen = freeze_version(version, by=officer, now=now)
    version.refresh_from_db()
    assert frozen == version
    assert version.frozen_at == now
    assert version.frozen_by == officer
    assert version.is_frozen is True
    event = AuditEvent.objects.for_target(version).get()
    assert event.verb == "questionnaire.version_frozen"
    assert event.actor == officer
    assert event.data == {"questionnaire": version.questionnaire_id, "number": 1}


def test_freezing_twice_changes_nothing(version, officer, now):
    freeze_version(version, by=officer, now=now)
    later = now.replace(year=2022)
    assert freeze_version(version, by=officer, now=later).frozen_at == now
    assert AuditEvent.objects.for_target(version).count() == 1


def test_after_freezing_every_edit_of_the_version_is_refused(version, officer, now):
    freeze_version(version, by=officer, now=now)
    question = Question.objects.get(version=version, key="cooperation_goals")
    question.label_fi = "Muutettu kysymys"
    with translation.override("en"), pytest.raises(FrozenVersionError) as refused:
        question.save()
    assert refused.value.messages == [
        "This questionnaire version is published and cannot be changed. "
        "Make a new version to edit the questions."
    ]
    section = version.sections.get(order=1)
    section.title_sv = "Ändrad"
    choice = Choice.objects.get(question__version=version, value="hydrogen")
    choice.label_sv = "Ändrad"
    column = Question.objects.get(version=version, key="organisation")
    column.max_length = 10
    for obj in (section, choice, column):
        with pytest.raises(FrozenVersionError):
            obj.save()
    for obj in (question, section, choice, column, version):
        with pytest.raises(FrozenVersionError):
            obj.delete()
    with pytest.raises(FrozenVersionError):
        QuestionFactory(section=section, key="new_question")
    with pytest.raises(FrozenVersionError):
        ChoiceFactory(question=question.__class__.objects.get(version=version, key="focus"))
    version.frozen_at = None
    with pytest.raises(FrozenVersionError):
        version.save()
    assert Question.objects.get(pk=question.pk).label_fi == "cooperation_goals fi"
    assert Section.objects.get(pk=section.pk).title_sv == "Grunduppgifter"
    assert Choice.objects.get(pk=choice.pk).label_sv == "Vätgasekonomi"
    assert Question.objects.get(pk=column.pk).max_length is None
    assert QuestionnaireVersion.objects.get(pk=version.pk).frozen_at is not None


def test_a_question_cannot_be_moved_out_of_a_frozen_version(version, officer, now):
    freeze_version(version, by=officer, now=now)
    draft = edit_version(version.questionnaire, by=officer)
    question = Question.objects.get(version=version, key="starts_on")
    question.version = draft
    question.section = draft.sections.get(order=2)
    with pytest.raises(FrozenVersionError):
        question.save()


def test_edit_version_of_a_frozen_version_makes_version_2_as_an_exact_copy(version, officer, now):
    freeze_version(version, by=officer, now=now)
    before = content(version)

    draft = edit_version(version.questionnaire, by=officer)

    assert draft.number == 2
    assert draft.is_frozen is False
    assert draft.created_from == version
    assert content(draft) == before
    assert draft.questions.count() == 13
    assert Choice.objects.filter(question__version=draft).count() == 5
    assert set(draft.questions.values_list("section__version", flat=True)) == {draft.pk}
    columns = draft.questions.get(key="members").columns.order_by("order")
    assert [column.key for column in columns] == ["organisation", "share", "email"]
    event = AuditEvent.objects.for_target(draft).get()
    assert event.verb == "questionnaire.version_created"
    assert event.data == {
        "questionnaire": version.questionnaire_id,
        "number": 2,
        "created_from": 1,
    }


def test_editing_the_new_version_leaves_version_1_and_its_answers_alone(
    version, officer, now, answers
):
    freeze_version(version, by=officer, now=now)
    before = content(version)
    assert validate_answers(version, answers) == {}

    draft = edit_version(version.questionnaire, by=officer)
    goals = draft.questions.get(key="cooperation_goals")
    goals.max_length = 10
    goals.label_fi = "Tavoitteet lyhyesti"
    goals.save()
    draft.questions.get(key="focus").choices.get(value="circular").delete()
    QuestionFactory(section=draft.sections.get(order=1), key="new_required", required=True)

    assert content(version) == before
    assert validate_answers(version, answers) == {}
    with translation.override("en"):
        assert validate_answers(draft, answers) == {
            "cooperation_goals": ["cooperation_goals en: write at most 10 characters (now 43)."],
            "new_required": [
                f"{draft.questions.get(key='new_required').label_en}: this answer is required."
            ],
        }


def test_edit_version_returns_the_existing_draft(version, officer):
    assert edit_version(version.questionnaire, by=officer) == version
    assert version.questionnaire.versions.count() == 1
    assert AuditEvent.objects.filter(verb="questionnaire.version_created").count() == 0


def test_the_first_draft_of_a_new_questionnaire_is_empty(officer, version):
    questionnaire = QuestionnaireFactory(funder=version.questionnaire.funder)
    draft = edit_version(questionnaire, by=officer)
    assert (draft.number, draft.created_from, draft.sections.count()) == (1, None, 0)


@pytest.mark.parametrize("role", ["reviewer", "decision_maker", None])
def test_only_officers_and_administrators_of_the_funder_freeze_and_edit(version, now, role):
    funder = version.questionnaire.funder
    user = FunderRoleFactory(funder=funder, role=role).user if role else FunderRoleFactory().user
    with pytest.raises(PermissionDenied):
        freeze_version(version, by=user, now=now)
    administrator = FunderRoleFactory(funder=funder, role="administrator").user
    freeze_version(version, by=administrator, now=now)
    with pytest.raises(PermissionDenied):
        edit_version(version.questionnaire, by=user)
    assert version.questionnaire.versions.count() == 1
    assert edit_version(version.questionnaire, by=None).number == 2


def test_current_version_is_the_latest_frozen_one_and_draft_the_editable_one(version, officer, now):
    questionnaire = version.questionnaire
    assert current_version(questionnaire) is None
    assert draft_version(questionnaire) == version
    freeze_version(version, by=officer, now=now)
    assert current_version(questionnaire) == version
    assert draft_version(questionnaire) is None
    second = edit_version(questionnaire, by=officer)
    assert current_version(questionnaire) == version
    assert draft_version(questionnaire) == second
    freeze_version(second, by=officer, now=now.replace(month=4))
    assert current_version(questionnaire) == second


def test_only_one_draft_per_questionnaire(version):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.create(questionnaire=version.questionnaire, number=2)


def test_a_version_missing_swedish_texts_is_not_published(version, officer, now):
    question = version.questions.get(key="staff_years")
    question.label_sv = ""
    question.save()
    choice = Choice.objects.get(question__version=version, value="circular")
    choice.label_fi = " "
    choice.save()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        freeze_version(version, by=officer, now=now)
    assert refused.value.messages == [
        "Question 'staff_years en' has no Swedish question",
        "Choice 'Circular economy' has no Finnish label",
    ]
    version.refresh_from_db()
    assert version.frozen_at is None
    assert AuditEvent.objects.for_target(version).count() == 0


def test_choice_questions_need_choices_and_tables_columns(version):
    version.questions.get(key="focus").choices.all().delete()
    for column in version.questions.filter(table__isnull=False):
        column.delete()
    with translation.override("en"):
        assert publication_problems(version) == [
            "Question “focus” has no choices.",
            "Table “members” has no columns.",
        ]


def test_problems_are_told_in_the_users_language(version):
    version.questions.get(key="focus").choices.all().delete()
    with translation.override("fi"):
        assert publication_problems(version) == ["Kysymykseltä ”focus” puuttuvat vaihtoehdot."]
    with translation.override("sv"):
        assert publication_problems(version) == ["Frågan ”focus” har inga alternativ."]


@pytest.fixture
def phase_with_questionnaire(version):
    phase = PhaseFactory()
    instrument = InstrumentFactory(call=phase.call, order=1)
    QuestionnaireUse.objects.create(
        phase=phase, instrument=instrument, questionnaire=version.questionnaire
    )
    return phase, instrument


def test_publishing_a_phase_freezes_the_drafts_it_uses(
    version, phase_with_questionnaire, officer, now
):
    phase, instrument = phase_with_questionnaire
    assert version_for(phase, instrument) is None
    assert freeze_phase_questionnaires(phase, by=officer, now=now) == [version]
    assert version_for(phase, instrument) == version
    assert freeze_phase_questionnaires(phase, by=officer, now=now) == []
    draft = edit_version(version.questionnaire, by=officer)
    assert version_for(phase, instrument) == version
    freeze_phase_questionnaires(phase, by=officer, now=now)
    assert version_for(phase, instrument) == draft


def test_the_phase_tells_what_keeps_its_questionnaires_from_publishing(
    version, phase_with_questionnaire
):
    phase, _ = phase_with_questionnaire
    assert phase_questionnaire_problems(phase) == []
    version.questions.get(key="focus").choices.all().delete()
    other = InstrumentFactory(call=phase.call, name_en="Development zone", order=2)
    with translation.override("en"):
        assert phase_questionnaire_problems(phase) == [
            "Question “focus” has no choices.",
            f"Instrument “{other.name_en}” has no questionnaire in phase “Idea phase”.",
        ]

"""The small invariants of questions and of the link between a questionnaire and a phase."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from regionet.questionnaires.models import Question, QuestionnaireUse
from tests.factories import (
    InstrumentFactory,
    PhaseFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def clean_errors(obj):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            obj.full_clean()
        return refused.value.message_dict


def test_a_well_formed_question_is_clean(version):
    for question in version.questions.all():
        question.full_clean()


def test_typed_facts_of_the_application_are_not_questions(version):
    question = version.questions.get(key="starts_on")
    question.key = "requested_amount"
    assert clean_errors(question)["key"] == [
        "“requested_amount” is a typed field of the application (title, summary, theme or "
        "zone, amounts, municipalities, partners), not a question."
    ]


@pytest.mark.parametrize("key", ["Goals", "1st", "goals-2021", "tavoitteet ja tulokset"])
def test_keys_are_machine_names(version, key):
    question = version.questions.get(key="starts_on")
    question.key = key
    assert list(clean_errors(question)) == ["key"]


def test_keys_are_unique_in_a_version_but_columns_only_in_their_table(version):
    question = version.questions.get(key="starts_on")
    question.key = "staff_years"
    assert clean_errors(question) == {"__all__": ["Another question of this version has this key."]}
    column = version.questions.get(key="share")
    column.key = "email"
    assert clean_errors(column) == {"__all__": ["Another column of this table has this key."]}
    column.key = "staff_years"
    column.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionFactory(section=question.section, key="focus")


def test_limits_fit_the_kind(version):
    goals = version.questions.get(key="cooperation_goals")
    goals.max_length = None
    assert clean_errors(goals) == {"max_length": ["A long text needs a maximum length."]}
    date = version.questions.get(key="starts_on")
    date.max_length = 10
    date.min_value = Decimal(1)
    assert clean_errors(date) == {
        "max_length": ["Only text questions have a maximum length."],
        "min_value": ["Only numbers and amounts have a minimum or maximum."],
    }
    amount = version.questions.get(key="own_financing")
    amount.min_value = Decimal(10)
    amount.max_value = Decimal(5)
    assert clean_errors(amount) == {"__all__": ["The minimum is larger than the maximum."]}


def test_columns_are_single_values_of_a_table(version):
    column = version.questions.get(key="share")
    column.kind = Question.Kind.FILE
    assert clean_errors(column)["kind"] == ["A table column cannot be a table or a file."]
    column.kind = Question.Kind.MONEY
    column.table = version.questions.get(key="starts_on")
    assert clean_errors(column)["table"] == [
        f"question instance with id {column.table_id} is not a valid choice.",
        "Columns belong to a question of the kind table.",
    ]
    table = version.questions.get(key="members")
    table.kind = Question.Kind.SHORT_TEXT
    assert clean_errors(table)["kind"] == ["This question has columns: it must stay a table."]


def test_a_column_lives_in_its_tables_section_and_version(version):
    table = version.questions.get(key="members")
    column = Question.objects.create(
        table=table, key="phone", kind=Question.Kind.SHORT_TEXT, label_fi="Puhelin"
    )
    assert (column.version_id, column.section_id) == (table.version_id, table.section_id)


def test_a_question_belongs_to_its_sections_version(version):
    question = version.questions.get(key="starts_on")
    question.section = SectionFactory()
    assert clean_errors(question)["section"] == ["The section belongs to another version."]


def test_a_choice_belongs_to_a_choice_question(version):
    choice = version.questions.get(key="focus").choices.first()
    choice.question = version.questions.get(key="starts_on")
    assert clean_errors(choice)["__all__"] == ["Only choice questions have choices."]


def test_the_use_of_a_questionnaire_in_a_phase_must_fit_it():
    phase = PhaseFactory()
    funder = phase.call.programme.funder
    instrument = InstrumentFactory(call=phase.call)
    use = QuestionnaireUse(
        phase=phase, instrument=instrument, questionnaire=QuestionnaireFactory(funder=funder)
    )
    use.full_clean()
    use.save()
    again = QuestionnaireUse(
        phase=phase, instrument=instrument, questionnaire=QuestionnaireFactory(funder=funder)
    )
    assert clean_errors(again) == {
        "__all__": ["This phase and instrument already have a questionnaire."]
    }
    stranger = QuestionnaireUse(
        phase=phase, instrument=InstrumentFactory(), questionnaire=QuestionnaireFactory()
    )
    assert clean_errors(stranger) == {
        "instrument": ["The instrument belongs to another call."],
        "questionnaire": ["The questionnaire belongs to another funder."],
    }
    report = QuestionnaireUse(
        phase=phase,
        instrument=InstrumentFactory(call=phase.call),
        questionnaire=QuestionnaireFactory(funder=funder, purpose="report"),
    )
    assert clean_errors(report) == {"questionnaire": ["Choose an application questionnaire."]}

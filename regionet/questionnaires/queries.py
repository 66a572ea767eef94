"""Reusable queries of questionnaires: a version's questions in two queries, staff scopes."""

from django.db.models import Max, OuterRef, Subquery

from regionet.programmes.queries import managed_funder_ids

from .models import Choice, Question, Questionnaire, QuestionnaireVersion

__all__ = ["managed_funder_ids", "questionnaires_for_staff", "questions_of"]


def questions_of(version) -> list[Question]:
    """The top-level questions of ``version`` in display order, in two queries.

    Each question carries ``choice_list`` (its choices in order) and ``column_list`` (for a
    table, its column questions in order, each with its own ``choice_list``).
    """
    questions = list(
        Question.objects.filter(version=version)
        .select_related("section")
        .order_by("section__order", "section_id", "order", "pk")
    )
    choices: dict[int, list[Choice]] = {question.pk: [] for question in questions}
    for choice in Choice.objects.filter(question__version=version).order_by("order", "pk"):
        choices[choice.question_id].append(choice)
    columns: dict[int, list[Question]] = {question.pk: [] for question in questions}
    top_level = []
    for question in questions:
        question.choice_list = choices[question.pk]
        question.column_list = columns[question.pk]
        if question.table_id is None:
            top_level.append(question)
        else:
            columns[question.table_id].append(question)
    return top_level


def questionnaires_for_staff(user):
    """The questionnaires ``user`` may edit (all for the platform administrator), with the
    latest version."""
    questionnaires = Questionnaire.objects.select_related("funder").annotate(
        latest_version=Max("versions__number"),
        draft_number=Subquery(
            QuestionnaireVersion.objects.filter(
                questionnaire=OuterRef("pk"), frozen_at__isnull=True
            ).values("number")[:1]
        ),
    )
    return questionnaires.filter(funder__in=managed_funder_ids(user))

"""The doors that change questionnaire versions: freeze (publish) a version, open a new draft.

Each runs in one transaction and writes an audit event. Drafts are edited directly (the
admin's forms); a frozen version is never changed again (models.FrozenVersionError).
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from regionet.audit.services import record
from regionet.programmes.texts import missing_translations, missing_translations_of_all

from .models import (
    Choice,
    Question,
    Questionnaire,
    QuestionnaireUse,
    QuestionnaireVersion,
    Section,
)
from .queries import questions_of


def _require_editor(by, questionnaire):
    """``by`` may edit ``questionnaire``; None is the system itself (imports, the demo)."""
    if by is not None and not by.has_perm("questionnaires.change_questionnaire", questionnaire):
        raise PermissionDenied


def current_version(questionnaire) -> QuestionnaireVersion | None:
    """The latest published version: the one new answers are given to."""
    return questionnaire.versions.filter(frozen_at__isnull=False).order_by("-number").first()


def draft_version(questionnaire) -> QuestionnaireVersion | None:
    """The editable draft, if there is one (always the latest version)."""
    return questionnaire.versions.filter(frozen_at__isnull=True).first()


def version_for(phase, instrument) -> QuestionnaireVersion | None:
    """The published questionnaire version applicants of ``instrument`` in ``phase`` answer."""
    use = (
        QuestionnaireUse.objects.filter(phase=phase, instrument=instrument)
        .select_related("questionnaire")
        .first()
    )
    return current_version(use.questionnaire) if use else None


def publication_problems(version) -> list[str]:
    """What keeps ``version`` from being published, in the user's language; empty when ready.

    Every text needs Finnish and Swedish (the shared parity check), choice questions need
    choices and tables columns.
    """
    problems = []
    sections = list(version.sections.all())
    if not sections:
        problems.append(gettext("The version has no sections."))
    problems += missing_translations_of_all(sections)
    for question in questions_of(version):
        for item in (question, *question.column_list):
            problems += missing_translations(item)
            if item.kind in Question.CHOICE_KINDS and not item.choice_list:
                problems.append(gettext("Question “%(key)s” has no choices.") % {"key": item.key})
            problems += missing_translations_of_all(item.choice_list)
        if question.kind == Question.Kind.TABLE and not question.column_list:
            problems.append(gettext("Table “%(key)s” has no columns.") % {"key": question.key})
    return problems


def phase_questionnaire_problems(phase, *, every_instrument=True) -> list[str]:
    """What keeps the questionnaires of ``phase`` from being published with it.

    Every instrument of the phase's call needs a questionnaire (unless ``every_instrument``
    is false), and that questionnaire a published version or a draft ready to publish.
    For the call's publish door.
    """
    problems = []
    uses = {
        use.instrument_id: use
        for use in QuestionnaireUse.objects.filter(phase=phase).select_related("questionnaire")
    }
    for instrument in phase.call.instruments.order_by("order", "code"):
        use = uses.get(instrument.pk)
        if use is None:
            if not every_instrument:
                continue
            problems.append(
                gettext("Instrument “%(instrument)s” has no questionnaire in phase “%(phase)s”.")
                % {"instrument": instrument, "phase": phase}
            )
            continue
        draft = draft_version(use.questionnaire)
        if draft is not None:
            problems += publication_problems(draft)
        elif current_version(use.questionnaire) is None:
            problems.append(
                gettext("The questionnaire “%(name)s” has no version to publish.")
                % {"name": use.questionnaire}
            )
    return problems


@transaction.atomic
def freeze_version(version, *, by, now) -> QuestionnaireVersion:
    """Publish ``version``: from ``now`` on it can never change. Idempotent.

    Refused (ValidationError) while a text lacks Finnish or Swedish, a choice question has
    no choices or a table no columns; PermissionDenied unless ``by`` is a programme officer
    or administrator of the funder (or None, the system). Called by the publish doors of
    phases and by staff.
    """
    version = (
        QuestionnaireVersion.objects.select_for_update()
        .select_related("questionnaire")
        .get(pk=version.pk)
    )
    _require_editor(by, version.questionnaire)
    if version.is_frozen:
        return version
    problems = publication_problems(version)
    if problems:
        raise ValidationError(problems, code="incomplete")
    QuestionnaireVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(
        frozen_at=now, frozen_by=by if by is not None and by.is_authenticated else None
    )
    version.refresh_from_db()
    record(
        by,
        "questionnaire.version_frozen",
        version,
        questionnaire=version.questionnaire_id,
        number=version.number,
    )
    return version


@transaction.atomic
def freeze_phase_questionnaires(phase, *, by, now) -> list[QuestionnaireVersion]:
    """Publish the drafts of the questionnaires ``phase`` uses (for the phase publish door)."""
    frozen = []
    questionnaire_ids = (
        QuestionnaireUse.objects.filter(phase=phase)
        .values_list("questionnaire_id", flat=True)
        .distinct()
        .order_by("questionnaire_id")
    )
    for questionnaire in Questionnaire.objects.filter(pk__in=list(questionnaire_ids)):
        draft = draft_version(questionnaire)
        if draft is not None:
            frozen.append(freeze_version(draft, by=by, now=now))
        elif current_version(questionnaire) is None:
            raise ValidationError(
                gettext("The questionnaire “%(name)s” has no version to publish.")
                % {"name": questionnaire.name},
                code="empty",
            )
    return frozen


@transaction.atomic
def edit_version(questionnaire, *, by) -> QuestionnaireVersion:
    """The draft to edit: the existing draft, or a new version copied from the latest one.

    A new draft is an exact copy (sections, questions, table columns, choices, every
    language) of the latest version; the first draft of a questionnaire is empty.
    PermissionDenied unless ``by`` may edit the questionnaire (None is the system).
    """
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_editor(by, questionnaire)
    draft = draft_version(questionnaire)
    if draft is not None:
        return draft
    latest = questionnaire.versions.order_by("-number").first()
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=number, created_from=latest
    )
    if latest is not None:
        _copy_content(latest, draft)
    record(
        by,
        "questionnaire.version_created",
        draft,
        questionnaire=questionnaire.pk,
        number=number,
        created_from=latest.number if latest else None,
    )
    return draft


def _clone(obj, **foreign_keys):
    """An unsaved copy of ``obj`` with every column (all languages) and new foreign keys."""
    clone = copy.copy(obj)
    clone._state = type(obj._state)()
    clone.__dict__.pop("_prefetched_objects_cache", None)
    clone.pk = None
    for attname, value in foreign_keys.items():
        setattr(clone, attname, value)
    return clone


def _copy_content(source, target):
    # Bulk inserts skip the frozen-version guard on purpose: the target is a new draft.
    sections = list(source.sections.order_by("pk"))
    new_sections = Section.objects.bulk_create(
        [_clone(section, version_id=target.pk) for section in sections]
    )
    section_ids = {old.pk: new.pk for old, new in zip(sections, new_sections, strict=True)}

    questions = list(source.questions.order_by("pk"))
    tables = [question for question in questions if question.table_id is None]
    columns = [question for question in questions if question.table_id is not None]
    question_ids = {}
    for batch in (tables, columns):
        new_questions = Question.objects.bulk_create(
            [
                _clone(
                    question,
                    version_id=target.pk,
                    section_id=section_ids[question.section_id],
                    table_id=question_ids.get(question.table_id),
                )
                for question in batch
            ]
        )
        question_ids.update({old.pk: new.pk for old, new in zip(batch, new_questions, strict=True)})

    choices = list(Choice.objects.filter(question__version=source).order_by("pk"))
    Choice.objects.bulk_create(
        [_clone(choice, question_id=question_ids[choice.question_id]) for choice in choices]
    )

"""Checking answers against a questionnaire version, and the public part of answers.

Answers are a JSON-ready dict keyed by question key, as ``forms.QuestionnaireForm.answers``
makes them: texts as ``str``; numbers and amounts as ``Decimal``, ``int`` or a decimal
string with at most two decimals (never ``float``); dates as ISO ``YYYY-MM-DD`` strings or
``date``; a single choice as its code, a multiple choice as a list of codes; yes/no as
``bool``; a file as a reference (a stored file's name or id, or an uploaded file); a table
as a list of rows, each a dict keyed by column key. Empty (``None``, ``""``, ``[]``) is no
answer. The functions are pure: they read the version and change nothing.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from regionet.programmes.money import CENT, LARGEST_AMOUNT
from regionet.texts import text_problems

from .models import Question
from .queries import questions_of

Kind = Question.Kind
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def validate_answers(version, answers: dict, *, partial: bool = False) -> dict[str, list[str]]:
    """The problems of ``answers`` per question key, in the active language; {} when valid.

    Each message names the question's label (for a table cell: the table, the row number
    and the column). Keys that are not questions of ``version`` are problems too. With
    ``partial`` (a draft being saved) only the answers given are checked and none is
    required.
    """
    questions = questions_of(version)
    known = {question.key for question in questions}
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in known:
            errors[key] = [gettext("This question is not in the questionnaire.")]
    for question in questions:
        if partial and question.key not in answers:
            continue
        value = answers.get(question.key)
        if partial and is_empty(value):
            continue
        messages = _check(question, value, question.label)
        if messages:
            errors[question.key] = messages
    return errors


def public_answers(version, answers: dict) -> dict:
    """Only the answers to public questions (and, in tables, public columns).

    Confidential and personal answers, and keys the version does not know, are dropped.
    """
    public = Question.Visibility.PUBLIC
    questions = {question.key: question for question in questions_of(version)}
    result = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None or question.visibility != public:
            continue
        if question.kind == Kind.TABLE and isinstance(value, list | tuple):
            shown = {column.key for column in question.column_list if column.visibility == public}
            value = [
                {k: v for k, v in row.items() if k in shown} if isinstance(row, dict) else row
                for row in value
            ]
        result[key] = value
    return result


def _check(question, value, label) -> list[str]:
    if is_empty(value):
        if question.required:
            return [gettext("%(label)s: this answer is required.") % {"label": label}]
        return []
    return _CHECKERS[question.kind](question, value, label)


def _as_decimal(value):
    if isinstance(value, bool | float):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _check_text(question, value, label):
    # regionet.texts checks that it is text, its length and (on a single line) direction
    # controls; only the length message keeps this module's own wording for now, which the
    # answers' tests hold ("write at most 50 characters (now 51)").
    limit = question.text_limit
    if isinstance(value, str) and len(value) > limit:
        message = ngettext(
            "%(label)s: write at most %(limit)s character (now %(length)s).",
            "%(label)s: write at most %(limit)s characters (now %(length)s).",
            limit,
        )
        return [message % {"label": label, "limit": limit, "length": len(value)}]
    return text_problems(
        value, limit=limit, label=label, single_line=question.kind == Kind.SHORT_TEXT
    )


def _check_number(question, value, label):
    number = _as_decimal(value)
    if number is None:
        return [gettext("%(label)s: enter a number.") % {"label": label}]
    if abs(number) > LARGEST_AMOUNT:
        return [_bound_message("max", LARGEST_AMOUNT, label)]
    if number != number.quantize(CENT):
        return [gettext("%(label)s: use at most two decimals.") % {"label": label}]
    if question.min_value is not None and number < question.min_value:
        return [_bound_message("min", question.min_value, label)]
    if question.max_value is not None and number > question.max_value:
        return [_bound_message("max", question.max_value, label)]
    return []


def _bound_message(which, bound, label):
    shown = number_format(bound, use_l10n=True, force_grouping=True)
    if which == "min":
        message = gettext("%(label)s: enter at least %(bound)s.")
    else:
        message = gettext("%(label)s: enter at most %(bound)s.")
    return message % {"label": label, "bound": shown}


def _check_date(question, value, label):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return []
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return []
    return [gettext("%(label)s: enter a date as YYYY-MM-DD, e.g. 2021-04-15.") % {"label": label}]


def _check_single_choice(question, value, label):
    values = {choice.value for choice in question.choice_list}
    if not isinstance(value, str) or value not in values:
        return [gettext("%(label)s: choose one of the options.") % {"label": label}]
    return []


def _check_multiple_choice(question, value, label):
    values = {choice.value for choice in question.choice_list}
    if (
        not isinstance(value, list | tuple)
        or not all(isinstance(item, str) and item in values for item in value)
        or len(set(value)) != len(value)
    ):
        message = gettext("%(label)s: choose options from the list, each at most once.")
        return [message % {"label": label}]
    return []


def _check_yes_no(question, value, label):
    if not isinstance(value, bool):
        return [gettext("%(label)s: answer yes or no.") % {"label": label}]
    return []


def _check_file(question, value, label):
    # The applications store uploads (checked by content, size and name) and keep a reference.
    if isinstance(value, str) and value.strip():
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        return []
    if getattr(value, "name", None):
        return []
    return [gettext("%(label)s: attach a file.") % {"label": label}]


def _check_table(question, value, label):
    if not isinstance(value, list | tuple) or not all(isinstance(row, dict) for row in value):
        return [gettext("%(label)s: the rows could not be read.") % {"label": label}]
    if len(value) > Question.TABLE_MAX_ROWS:
        message = ngettext(
            "%(label)s: at most %(count)d row.",
            "%(label)s: at most %(count)d rows.",
            Question.TABLE_MAX_ROWS,
        )
        return [message % {"label": label, "count": Question.TABLE_MAX_ROWS}]
    columns = {column.key for column in question.column_list}
    messages = []
    for number, row in enumerate(value, start=1):
        for key in row:
            if key not in columns:
                message = gettext("%(label)s, row %(row)s: there is no column %(key)s.")
                messages.append(message % {"label": label, "row": number, "key": key})
        for column in question.column_list:
            cell_label = gettext("%(table)s, row %(row)s, %(column)s") % {
                "table": label,
                "row": number,
                "column": column.label,
            }
            messages.extend(_check(column, row.get(column.key), cell_label))
    return messages


_CHECKERS = {
    Kind.SHORT_TEXT: _check_text,
    Kind.LONG_TEXT: _check_text,
    Kind.NUMBER: _check_number,
    Kind.MONEY: _check_number,
    Kind.DATE: _check_date,
    Kind.SINGLE_CHOICE: _check_single_choice,
    Kind.MULTIPLE_CHOICE: _check_multiple_choice,
    Kind.YES_NO: _check_yes_no,
    Kind.FILE: _check_file,
    Kind.TABLE: _check_table,
}

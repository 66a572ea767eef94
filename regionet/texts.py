"""Typed text, in every app: each text input has a limit that its page states and that the
services enforce, and single-line fields refuse the controls that reverse text direction.

Forms call ``state_limit(field)`` on their text fields (or inherit ``StatedLimitsMixin``):
the help text says "At most 2 000 characters.", the shared field template adds a character
count, and a text over the limit or a single-line text with a direction control is refused
with a message in the user's language. Services call ``text_problems`` on what they store,
so that no path around the forms stores more.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the two marks
# (U+200E, U+200F). In a name, a title or a file name they make "offerexe.pdf" read
# "offerfdp.exe" and a receipt print a title reversed; no single-line text needs them
# (the Unicode bidirectional algorithm orders Finnish, Swedish, Arabic or Hebrew words by
# itself).
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def has_direction_controls(text: str) -> bool:
    return not DIRECTION_CONTROLS.isdisjoint(text)


def _limit_number(limit: int) -> str:
    return number_format(limit, force_grouping=True)


def limit_statement(limit: int) -> str:
    """ "At most 2 000 characters." in the active language."""
    return ngettext("At most %(limit)s character.", "At most %(limit)s characters.", limit) % {
        "limit": _limit_number(limit)
    }


def too_long_message(limit: int, length: int) -> str:
    return ngettext(
        "Write at most %(limit)s character: now there are %(length)s.",
        "Write at most %(limit)s characters: now there are %(length)s.",
        limit,
    ) % {"limit": _limit_number(limit), "length": _limit_number(length)}


def direction_controls_message() -> str:
    return gettext(
        "Remove the invisible characters that change the direction of text (such as "
        "U+202E): they would make the text read differently from what you typed."
    )


def refuse_direction_controls(value) -> None:
    """A validator for single-line fields."""
    if isinstance(value, str) and has_direction_controls(value):
        raise ValidationError(direction_controls_message(), code="direction_controls")


class TextLimitValidator(MaxLengthValidator):
    """Django's length check, with a message that names the limit and the count in the
    language's number format."""

    def __call__(self, value):
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(
                too_long_message(self.limit_value, length),
                code="max_length",
                params={"limit_value": self.limit_value, "show_value": length},
            )


def state_limit(field: forms.Field, *, single_line: bool | None = None) -> forms.Field:
    """Make a text field state and check its limit (``max_length``, which it must have),
    and, if it is a single line, refuse direction controls. Returns the field.

    ``single_line`` defaults to "not a textarea". The limit is appended to the help text,
    and the shared field template shows a character count beside the input; the browser's
    own ``maxlength`` is removed so that a long paste is not cut silently: the form keeps
    all of it and says how much is over.
    """
    limit = field.max_length
    if limit is None:
        raise ValueError("A text field needs max_length to state its limit.")
    if single_line is None:
        single_line = not isinstance(field.widget, forms.Textarea)
    field.validators = [
        validator for validator in field.validators if not isinstance(validator, MaxLengthValidator)
    ]
    field.validators.append(TextLimitValidator(limit))
    if single_line and refuse_direction_controls not in field.validators:
        field.validators.append(refuse_direction_controls)
    field.widget.attrs.pop("maxlength", None)
    field.stated_limit = limit
    statement = limit_statement(limit)
    help_text = str(field.help_text or "")
    if statement not in help_text:
        field.help_text = f"{help_text} {statement}".strip()
    return field


def is_free_text(field: forms.Field) -> bool:
    """A text field a person types free text into (not a hidden, password, e-mail or
    formatted field such as a business ID, which say their own format)."""
    return (
        type(field) is forms.CharField
        and type(field.widget) in (forms.TextInput, forms.Textarea)
        and field.max_length is not None
    )


class StatedLimitsMixin:
    """States and checks the limit of every free-text field of the form (see
    ``state_limit``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if is_free_text(field):
                state_limit(field)


def text_problems(value, *, limit: int, label: str, single_line: bool = False) -> list[str]:
    """What is wrong with a text a service is about to store, each message naming the
    field: too long, or, on a single line, direction controls. Empty when it is right."""
    if value is None:
        return []
    if not isinstance(value, str):
        return [gettext("%(label)s: enter text.") % {"label": label}]
    problems = []
    if len(value) > limit:
        problems.append(
            gettext("%(label)s: %(problem)s")
            % {"label": label, "problem": too_long_message(limit, len(value))}
        )
    if single_line and has_direction_controls(value):
        problems.append(
            gettext("%(label)s: %(problem)s")
            % {"label": label, "problem": direction_controls_message()}
        )
    return problems

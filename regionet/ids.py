"""Ids and version numbers typed into a request: whole numbers that a database column can
hold, or nothing. A request that names "abc", -1 or 10^20 as an application, attachment or
version finds nothing (a 404 or a form error) instead of a server error: SQLite cannot even
bind an integer past 2^63 - 1 (OverflowError), and Django's lookups raise ValueError on a
non-number (issue 11, item 12)."""

from django import forms
from django.core.exceptions import BadRequest

# The largest value of a 64-bit signed column (PostgreSQL bigint, SQLite INTEGER).
LARGEST = 2**63 - 1


def parse_id(value, *, minimum: int = 1) -> int | None:
    """``value`` as an int between ``minimum`` and ``LARGEST``, or None. Only plain ASCII
    digits count: no sign, spaces, underscores, exponents or other scripts' digits."""
    text = str(value) if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(LARGEST)):
        return None
    number = int(text)
    return number if minimum <= number <= LARGEST else None


def posted_number(request, name: str, *, default: int = 0, minimum: int = 0) -> int:
    """A number a page posts in a hidden field (a version): ``default`` when it is missing,
    and a 400 Bad Request when it is there but no such number (only a tampered request has
    one)."""
    value = request.POST.get(name, "")
    if value == "":
        return default
    number = parse_id(value, minimum=minimum)
    if number is None:
        raise BadRequest(f"{name} is not a number")
    return number


class IdsField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of objects (by id), which answers 400 Bad Request to an id
    that is no id at all: only a tampered request has one, and Django would pass it to the
    database, where SQLite overflows. An id of no object offered stays a form error."""

    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else [value]:
            if parse_id(item) is None:
                raise BadRequest(f"{item!r} is not an id")
        return super()._check_values(value)

"""Template filters of notice messages: texts stored in three languages, and instants stored as
ISO strings, both shown in the language the message is rendered in."""

from datetime import datetime

from django import template
from django.utils import translation

from regionet.programmes.deadlines import format_deadline

register = template.Library()

FALLBACK_LANGUAGES = ("fi", "sv", "en")


@register.filter
def in_language(value):
    """``{{ call_name|in_language }}``: the text of ``{"fi": …, "sv": …, "en": …}`` in the
    active language, else the first one given (fi, sv, en); a plain string as it is."""
    if not isinstance(value, dict):
        return value or ""
    language = (translation.get_language() or "fi")[:2]
    for code in (language, *FALLBACK_LANGUAGES):
        if value.get(code):
            return value[code]
    return ""


@register.filter
def local_time(instant, time_zone):
    """``{{ received_at|local_time:time_zone }}`` → "2.6.2021 klo 16.15 Suomen aikaa".

    ``instant`` is an ISO 8601 string with its offset (as stored in a notice) or a datetime.
    """
    if not instant:
        return ""
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    return format_deadline(instant, time_zone or "Europe/Helsinki")


@register.filter
def local_time_seconds(instant, time_zone):
    """``{{ received_at|local_time_seconds:time_zone }}`` → "2.6.2021 klo 16.14.59 Suomen
    aikaa": a receipt names the second, as its page and PDF do."""
    if not instant:
        return ""
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    return format_deadline(instant, time_zone or "Europe/Helsinki", seconds=True)

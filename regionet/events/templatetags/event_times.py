"""Template filters for event times: local time with the zone named, in the page's language."""

from django import template

from regionet.programmes.deadlines import format_deadline

register = template.Library()


@register.filter
def local_time(instant, time_zone):
    """``{{ event.starts_at|local_time:event.time_zone }}`` → "20.4.2021 klo 12.30 Suomen aikaa"."""
    if instant is None:
        return ""
    return format_deadline(instant, time_zone)

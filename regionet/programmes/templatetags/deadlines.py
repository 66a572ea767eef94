"""Deadlines in templates: ``{{ phase.closes_at|deadline:programme.time_zone }}`` and
``{% time_left phase.closes_at %}``, both in the active language."""

from django import template

from regionet.programmes import deadlines

register = template.Library()


@register.filter
def deadline(instant, time_zone="Europe/Helsinki"):
    """ "15.4.2021 klo 16.15 Suomen aikaa"; empty for no instant."""
    if instant is None or instant == "":
        return ""
    return deadlines.format_deadline(instant, time_zone)


@register.simple_tag
def time_left(closes_at, now=None):
    """ "2 päivää, 3 tuntia" until ``closes_at``; empty when there is none or it has passed."""
    if closes_at is None or closes_at == "":
        return ""
    return deadlines.time_left(closes_at, now=now or None)

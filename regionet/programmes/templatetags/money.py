"""Money in templates: ``{{ programme.total_budget|money:programme.currency }}``."""

from django import template

from regionet.programmes.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="EUR"):
    """ "7 000 000,00 €" in the active language; empty for no amount."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)

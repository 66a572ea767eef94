"""The one money formatter: amounts as each language writes them ("7 000 000,00 €").

Babel follows CLDR, so the group separator and the space before the currency sign are
no-break spaces in Finnish and Swedish: an amount never breaks across two lines.
"""

from decimal import Decimal

from babel.numbers import format_currency
from django.utils.translation import get_language

LOCALES = {"fi": "fi_FI", "sv": "sv_SE", "en": "en_GB"}


def format_money(amount: Decimal, currency: str = "EUR", language: str | None = None) -> str:
    """``amount`` with two decimals and the currency sign, in ``language`` (default: active)."""
    if isinstance(amount, float):
        raise TypeError("Money is Decimal, never float.")
    language = (language or get_language() or "fi")[:2]
    return format_currency(
        Decimal(amount), currency, locale=LOCALES.get(language, "en_GB"), currency_digits=True
    )

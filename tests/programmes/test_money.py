"""Money reads as each language writes it, to the cent, never through float."""

from decimal import Decimal

import pytest
from django.utils import translation

from regionet.programmes.money import format_money

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("7000000", "EUR", "fi", f"7{NBSP}000{NBSP}000,00{NBSP}€"),
        ("7000000", "EUR", "sv", f"7{NBSP}000{NBSP}000,00{NBSP}€"),
        ("7000000", "EUR", "en", "€7,000,000.00"),
        ("1500000.5", "EUR", "fi", f"1{NBSP}500{NBSP}000,50{NBSP}€"),
        ("0.01", "EUR", "en", "€0.01"),
        ("0", "EUR", "sv", f"0,00{NBSP}€"),
        ("250000", "SEK", "sv", f"250{NBSP}000,00{NBSP}kr"),
        ("250000", "SEK", "fi", f"250{NBSP}000,00{NBSP}SEK"),
        ("250000", "SEK", "en", "SEK250,000.00"),
        ("-1234.56", "EUR", "en", "-€1,234.56"),
    ],
)
def test_format_money(amount, currency, language, expected):
    assert format_money(Decimal(amount), currency, language) == expected


def test_the_active_language_is_the_default():
    with translation.override("en"):
        assert format_money(Decimal("7000000"), "EUR") == "€7,000,000.00"
    with translation.override("fi"):
        assert format_money(Decimal("7000000"), "EUR") == f"7{NBSP}000{NBSP}000,00{NBSP}€"


def test_float_is_refused():
    with pytest.raises(TypeError):
        format_money(7000000.0, "EUR", "fi")

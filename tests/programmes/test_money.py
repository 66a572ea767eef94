"""Money reads as each language writes it, to the cent, never through float; amounts typed in a
form are read by the page's language."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from regionet.programmes.money import (
    LARGEST_AMOUNT,
    AmountError,
    MoneyField,
    babel_locale,
    format_amount,
    format_money,
    parse_amount,
)

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


# --- Amounts typed in a form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("12 345", "fi", Decimal("12345.00")),
        (f"12{NBSP}345,50", "fi", Decimal("12345.50")),
        ("12\u202f345,5", "sv", Decimal("12345.50")),
        ("1 234 567,89 €", "fi", Decimal("1234567.89")),
        ("1250,50", "sv", Decimal("1250.50")),
        # A phone's decimal keyboard may offer only the point: one or two digits after it
        # can only be cents.
        ("1250.5", "fi", Decimal("1250.50")),
        ("12,345", "en", Decimal("12345.00")),
        ("1,250.50", "en", Decimal("1250.50")),
        ("12 345", "en", Decimal("12345.00")),
        ("0", "fi", Decimal("0.00")),
    ],
)
def test_amounts_are_read_in_the_language_of_the_page(text, language, expected):
    amount = parse_amount(text, language)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "language", "code", "suggestions"),
    [
        # The comma is the decimal sign: this is not twelve thousand euros.
        ("12,345", "fi", "decimals", [f"12{NBSP}345,00"]),
        ("12,340", "sv", "decimals", [f"12{NBSP}340,00"]),
        ("1.250", "fi", "decimals", [f"1{NBSP}250,00"]),
        ("12.345", "en", "decimals", ["12,345.00"]),
        ("1,2345", "fi", "decimals", []),
        ("12 34", "fi", "grouping", [f"1{NBSP}234,00", "12,34"]),
        ("1250,50", "en", "grouping", ["125,050.00", "1,250.50"]),
        ("-5", "fi", "negative", []),
        ("\u22125,00", "sv", "negative", []),
        ("-€5", "en", "negative", []),
        ("1e5", "fi", "invalid", []),
        ("NaN", "en", "invalid", []),
        ("12,5,0", "fi", "invalid", []),
        ("1 000 000 000 000", "fi", "too_large", []),
        ("9" * 1000, "en", "too_large", []),
    ],
)
def test_amounts_that_would_mean_something_else_are_refused(text, language, code, suggestions):
    with pytest.raises(AmountError) as refused:
        parse_amount(text, language)
    assert refused.value.code == code
    assert refused.value.suggestions == suggestions


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        (
            "fi",
            "12,345",
            "”12,345” olisi luku, jossa on yli kaksi desimaalia: desimaalierotin on pilkku ja "
            f"tuhannet erotetaan välilyönnillä. Tarkoititko 12{NBSP}345,00?",
        ),
        (
            "sv",
            "12,345",
            "”12,345” skulle ha fler än två decimaler: decimaltecknet är kommatecken och "
            f"tusental skiljs åt med mellanslag. Menade du 12{NBSP}345,00?",
        ),
        (
            "en",
            "12.345",
            "“12.345” would have more than two decimals: the decimal sign is a point and "
            "thousands are separated with a comma. Did you mean 12,345.00?",
        ),
        ("fi", "-5", "Summa ei voi olla negatiivinen: kirjoita se ilman miinusmerkkiä."),
        ("sv", "-5", "Ett belopp kan inte vara negativt: skriv det utan minustecken."),
        ("en", "-5", "An amount cannot be negative: enter it without a minus sign."),
    ],
)
def test_the_money_field_says_why_an_amount_was_refused(language, text, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        MoneyField(label="Matkakulut").clean(text)
    assert refused.value.messages == [message]


def test_the_money_field_shows_an_amount_as_the_page_writes_it():
    field = MoneyField()
    with translation.override("fi"):
        assert field.prepare_value(Decimal("12345.5")) == f"12{NBSP}345,50"
        assert field.clean("") is None
    with translation.override("en"):
        assert field.prepare_value(Decimal("12345.5")) == "12,345.50"


@given(
    amount=st.decimals(min_value=Decimal("0"), max_value=LARGEST_AMOUNT, places=2, allow_nan=False),
    language=st.sampled_from(["fi", "sv", "en"]),
)
def test_an_amount_formatted_for_a_form_reads_back_to_the_cent(amount, language):
    assert parse_amount(format_amount(amount, language), language) == amount


@given(
    amount=st.decimals(min_value=Decimal("1000"), max_value=LARGEST_AMOUNT, places=0),
    space=st.sampled_from([" ", NBSP, "\u202f"]),
)
def test_thousands_grouped_by_any_space_read_back_in_finnish_and_swedish(amount, space):
    typed = format_amount(amount, "fi").replace(NBSP, space)
    assert parse_amount(typed, "fi") == amount
    assert parse_amount(typed, "sv") == amount


def test_each_language_has_one_babel_locale():
    with translation.override("sv"):
        active = babel_locale()
    assert [babel_locale(code) for code in ("fi", "sv", "en", "sv-se", "en-us", "de")] + [
        active
    ] == ["fi_FI", "sv_SE", "en_GB", "sv_SE", "en_GB", "en_GB", "sv_SE"]

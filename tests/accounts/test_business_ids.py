"""Finnish and Swedish business IDs: check digits, normalisation, messages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from regionet.accounts.business_ids import (
    luhn_check_digit,
    make_organisationsnummer,
    make_y_tunnus,
    normalise_business_id,
    normalise_organisationsnummer,
    normalise_y_tunnus,
    y_tunnus_check_digit,
)


def reference_y_tunnus_check(body: str):
    """The rule as the Finnish Tax Administration writes it, spelled out once more."""
    weights = [7, 9, 10, 5, 8, 4, 2]
    total = 0
    for i in range(7):
        total += int(body[i]) * weights[i]
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def reference_luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number]
    total = 0
    for index, digit in enumerate(digits):
        # Ten digits: the 1st, 3rd, 5th, 7th and 9th are doubled.
        if index % 2 == 0:
            doubled = digit * 2
            total += doubled // 10 + doubled % 10
        else:
            total += digit
    return total % 10 == 0


# --- Y-tunnus -----------------------------------------------------------------------------


def test_known_y_tunnus_is_valid():
    # Nokia Oyj: 0*7 + 1*9 + 1*10 + 2*5 + 0*8 + 3*4 + 8*2 = 57; 57 mod 11 = 2; 11 - 2 = 9.
    assert y_tunnus_check_digit("0112038") == 9
    assert normalise_y_tunnus("0112038-9") == "0112038-9"


def test_y_tunnus_remainder_zero_gives_zero():
    # 1*7 + 0*9 + 0 + 0 + 0 + 1*4 + 0 = 11 → remainder 0 → check digit 0.
    assert y_tunnus_check_digit("1000010") == 0
    assert normalise_y_tunnus("1000010-0") == "1000010-0"


def test_y_tunnus_remainder_one_has_no_check_digit():
    # 1*7 + 0 + 0 + 0 + 0 + 0 + 3*2 = 13 → remainder 2; 2000002: 14+4 = 18 → 7.
    # 0000001: 2 → 9; 0000006: 12 → remainder 1 → no valid ID.
    assert y_tunnus_check_digit("0000006") is None
    for check in range(10):
        with pytest.raises(ValidationError) as raised:
            normalise_y_tunnus(f"0000006-{check}")
        assert raised.value.code == "check_digit"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0112038-9", "0112038-9"),
        (" 0112038-9 ", "0112038-9"),
        ("01120389", "0112038-9"),
        ("0112 038-9", "0112038-9"),
        ("FI01120389", "0112038-9"),
        ("fi01120389", "0112038-9"),
        ("112038-9", "0112038-9"),  # the old six-digit form gets its leading zero back
        ("0112038\u20139", "0112038-9"),  # an en dash from a word processor
    ],
)
def test_y_tunnus_normalisation(raw, normalised):
    assert normalise_y_tunnus(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    ["", "0112038", "0112038-", "0112038-99", "12038-9", "A112038-9", "011203-89"],
)
def test_y_tunnus_bad_format(raw):
    with pytest.raises(ValidationError) as raised:
        normalise_y_tunnus(raw)
    assert raised.value.code == "format"


def test_y_tunnus_wrong_check_digit():
    with pytest.raises(ValidationError) as raised:
        normalise_y_tunnus("0112038-8")
    assert raised.value.code == "check_digit"


@given(st.integers(min_value=0, max_value=9_999_999))
def test_y_tunnus_check_digit_matches_reference_and_only_it_validates(number):
    body = f"{number:07d}"
    expected = reference_y_tunnus_check(body)
    assert y_tunnus_check_digit(body) == expected
    for check in range(10):
        candidate = f"{body}-{check}"
        if check == expected:
            assert normalise_y_tunnus(candidate) == candidate
        else:
            with pytest.raises(ValidationError):
                normalise_y_tunnus(candidate)
    made = make_y_tunnus(number)
    assert made == (None if expected is None else f"{body}-{expected}")


def test_y_tunnus_messages_in_finnish_and_swedish():
    with translation.override("fi"), pytest.raises(ValidationError) as raised:
        normalise_y_tunnus("0112038-8")
    with translation.override("fi"):
        assert raised.value.messages == [
            "Y-tunnus 0112038-8 ei kelpaa: sen tarkistusmerkki (viimeinen numero) ei täsmää "
            "muihin numeroihin. Tarkista tunnus."
        ]
    with translation.override("sv"):
        assert raised.value.messages == [
            "FO-numret 0112038-8 är inte giltigt: dess kontrollsiffra (den sista siffran) "
            "stämmer inte med de andra siffrorna. Kontrollera numret."
        ]


# --- Organisationsnummer ------------------------------------------------------------------


def test_known_organisationsnummer_is_valid():
    # 2 1 2 0 0 0 0 1 4 2: doubled 2→4, 2→4, 0, 0, 4→8; others 1+0+0+1+2; 4+4+8+4 = 20.
    assert luhn_check_digit("212000014") == 2
    assert normalise_organisationsnummer("212000-0142") == "212000-0142"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("212000-0142", "212000-0142"),
        ("2120000142", "212000-0142"),
        (" 212000 0142 ", "212000-0142"),
        ("212000+0142", "212000-0142"),
        ("212000\u20130142", "212000-0142"),
    ],
)
def test_organisationsnummer_normalisation(raw, normalised):
    assert normalise_organisationsnummer(raw) == normalised


@pytest.mark.parametrize("raw", ["", "212000-014", "21200-00142", "212000-01420", "SE2120000142"])
def test_organisationsnummer_bad_format(raw):
    with pytest.raises(ValidationError) as raised:
        normalise_organisationsnummer(raw)
    assert raised.value.code == "format"


def test_organisationsnummer_wrong_check_digit():
    with pytest.raises(ValidationError) as raised:
        normalise_organisationsnummer("212000-0143")
    assert raised.value.code == "check_digit"


@given(st.integers(min_value=0, max_value=999_999_999))
def test_luhn_check_digit_matches_reference_and_only_it_validates(number):
    first_nine = f"{number:09d}"
    check = luhn_check_digit(first_nine)
    assert reference_luhn_valid(first_nine + str(check))
    for candidate in range(10):
        digits = first_nine + str(candidate)
        assert reference_luhn_valid(digits) is (candidate == check)
        formatted = f"{digits[:6]}-{digits[6:]}"
        if candidate == check:
            assert normalise_organisationsnummer(digits) == formatted
        else:
            with pytest.raises(ValidationError):
                normalise_organisationsnummer(digits)
    assert make_organisationsnummer(number) == f"{first_nine[:6]}-{first_nine[6:]}{check}"


# --- Dispatch by country ------------------------------------------------------------------


def test_normalise_business_id_by_country():
    assert normalise_business_id("FI", "01120389") == "0112038-9"
    assert normalise_business_id("se", "2120000142") == "212000-0142"
    with pytest.raises(ValidationError) as raised:
        normalise_business_id("NO", "123456789")
    assert raised.value.code == "unsupported_country"

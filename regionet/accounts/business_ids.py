"""Business IDs of organisations: the Finnish Y-tunnus and the Swedish organisationsnummer.

Each scheme has a function that computes its check digit (the demo data uses it to make
valid IDs) and one that normalises user input and validates it, raising a ValidationError
whose message names what is wrong, in the user's language.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

Y_TUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)

# Optional "FI" prefix (the EU VAT form), seven digits, optional hyphen, check digit; or
# the old six-digit form, which needs its hyphen to be told apart from a seven-digit body.
_Y_TUNNUS_INPUT = re.compile(r"^(?:FI)?(?:(?P<body7>\d{7})-?|(?P<body6>\d{6})-)(?P<check>\d)$")
# Hyphen look-alikes that word processors put in copied numbers (en dash, minus, …).
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")


def _compact(value: str) -> str:
    return _DASHES.sub("-", re.sub(r"\s+", "", value or ""))


# 6 + 4 digits with an optional hyphen (or plus sign, as in personal identity numbers).
_ORGNR_INPUT = re.compile(r"^(?P<first>\d{6})[-+]?(?P<last>\d{4})$")


def y_tunnus_check_digit(body: str) -> int | None:
    """The check digit for the seven digits `body`, or None when no check digit exists.

    Weighted sum with the weights 7 9 10 5 8 4 2, modulo 11: remainder 0 gives 0,
    remainder 1 is never issued, otherwise the check digit is 11 minus the remainder.
    """
    if len(body) != 7 or not body.isdigit():
        raise ValueError("A Y-tunnus body has exactly seven digits.")
    remainder = sum(int(d) * w for d, w in zip(body, Y_TUNNUS_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise_y_tunnus(value: str) -> str:
    """Return `value` as a valid Y-tunnus in the form NNNNNNN-C, or raise ValidationError.

    Accepted input: spaces anywhere, an optional "FI" prefix, the hyphen may be missing, and
    an old six-digit body gets its leading zero back (112038-9 → 0112038-9).
    """
    compact = _compact(value).upper()
    match = _Y_TUNNUS_INPUT.match(compact)
    if not match:
        raise ValidationError(
            _(
                "“%(value)s” is not a Finnish business ID (Y-tunnus). "
                "Write seven digits, a hyphen and the check digit, for example 0112038-9."
            ),
            code="format",
            params={"value": value},
        )
    body = match["body7"] or match["body6"].zfill(7)
    expected = y_tunnus_check_digit(body)
    if expected is None:
        raise ValidationError(
            _(
                "The Finnish business ID (Y-tunnus) %(value)s is not valid: no business ID "
                "can start with the digits %(body)s. Check the number."
            ),
            code="check_digit",
            params={"value": value, "body": body},
        )
    if int(match["check"]) != expected:
        raise ValidationError(
            _(
                "The Finnish business ID (Y-tunnus) %(value)s is not valid: its check digit "
                "(the last digit) does not match the other digits. Check the number."
            ),
            code="check_digit",
            params={"value": value},
        )
    return f"{body}-{expected}"


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit to append to `digits` (for an organisationsnummer: nine digits)."""
    if not digits.isdigit():
        raise ValueError("Luhn works on digits only.")
    total = 0
    # Counted from the right, the digit next to the check digit is doubled, then every other.
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def normalise_organisationsnummer(value: str) -> str:
    """Return `value` as a valid Swedish organisationsnummer NNNNNN-NNNN, or raise.

    Accepted input: spaces anywhere, the hyphen may be missing. The last digit is the Luhn
    check digit over the other nine.
    """
    compact = _compact(value)
    match = _ORGNR_INPUT.match(compact)
    if not match:
        raise ValidationError(
            _(
                "“%(value)s” is not a Swedish organisation number (organisationsnummer). "
                "Write ten digits as six digits, a hyphen and four digits, "
                "for example 212000-0142."
            ),
            code="format",
            params={"value": value},
        )
    digits = match["first"] + match["last"]
    expected = luhn_check_digit(digits[:9])
    if int(digits[9]) != expected:
        raise ValidationError(
            _(
                "The Swedish organisation number %(value)s is not valid: its check digit "
                "(the last digit) does not match the other digits. Check the number."
            ),
            code="check_digit",
            params={"value": value},
        )
    return f"{digits[:6]}-{digits[6:]}"


# Country code (ISO 3166-1 alpha-2) → the normaliser of that country's business IDs.
NORMALISERS = {
    "FI": normalise_y_tunnus,
    "SE": normalise_organisationsnummer,
}


def normalise_business_id(country_code: str, value: str) -> str:
    """Normalise and validate `value` as a business ID of the country `country_code`."""
    try:
        normalise = NORMALISERS[country_code.upper()]
    except KeyError:
        raise ValidationError(
            _("Regionet cannot check business IDs of the country %(country)s."),
            code="unsupported_country",
            params={"country": country_code},
        ) from None
    return normalise(value)


def make_y_tunnus(body: int) -> str | None:
    """A valid Y-tunnus for the seven-digit number `body`, or None if it has no check digit."""
    digits = f"{body:07d}"
    check = y_tunnus_check_digit(digits)
    return None if check is None else f"{digits}-{check}"


def make_organisationsnummer(first_nine: int) -> str:
    """A valid organisationsnummer whose first nine digits are `first_nine`."""
    digits = f"{first_nine:09d}"
    return f"{digits[:6]}-{digits[6:]}{luhn_check_digit(digits)}"

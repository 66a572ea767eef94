"""Business IDs of organisations: the Finnish Y-tunnus and the Swedish organisationsnummer.

The check digits are python-stdnum's (`stdnum.fi.ytunnus`, `stdnum.se.orgnr`). Here: reading
what people type (spaces, a missing hyphen, an "FI" prefix, the old six-digit Y-tunnus, dash
look-alikes), the standard form every organisation is stored in, and messages in the user's
language that name what is wrong. `validate_business_id` is the model field's validator;
`Organisation.clean` checks that the scheme is the one of the organisation's country.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import alv, ytunnus
from stdnum.se import orgnr

# Optional "FI" prefix (the EU VAT form), seven digits, optional hyphen, check digit; or
# the old six-digit form, which needs its hyphen to be told apart from a seven-digit body.
# [0-9], not \d: other scripts' digits are not part of any business ID.
_Y_TUNNUS_INPUT = re.compile(
    r"^(?:FI)?(?:(?P<body7>[0-9]{7})-?|(?P<body6>[0-9]{6})-)(?P<check>[0-9])$"
)
# Hyphen look-alikes that word processors put in copied numbers (en dash, minus, …).
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")


def _compact(value: str) -> str:
    return _DASHES.sub("-", re.sub(r"\s+", "", value or ""))


# 6 + 4 digits with an optional hyphen (or plus sign, as in personal identity numbers).
_ORGNR_INPUT = re.compile(r"^(?P<first>[0-9]{6})[-+]?(?P<last>[0-9]{4})$")

# The standard form each scheme is stored in; the two cannot be mistaken for each other.
# The database holds the same shapes (Organisation.Meta.constraints).
STANDARD_FORMS = {
    "FI": re.compile(r"[0-9]{7}-[0-9]"),
    "SE": re.compile(r"[0-9]{6}-[0-9]{4}"),
}


def y_tunnus_check_digit(body: str) -> int | None:
    """The check digit for the seven digits `body`, or None when no check digit exists.

    stdnum checks a Y-tunnus by a weighted sum over all eight digits (the check digit
    weighs 1) that must be divisible by 11; the check digit is what makes it so, and a body
    that would need 10 has none (such numbers are never issued).
    """
    if len(body) != 7 or not body.isascii() or not body.isdigit():
        raise ValueError("A Y-tunnus body has exactly seven digits.")
    check = -alv.checksum(body + "0") % 11
    return None if check == 10 else check


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
    if y_tunnus_check_digit(body) is None:
        raise ValidationError(
            _(
                "The Finnish business ID (Y-tunnus) %(value)s is not valid: no business ID "
                "can start with the digits %(body)s. Check the number."
            ),
            code="check_digit",
            params={"value": value, "body": body},
        )
    try:
        return ytunnus.format(ytunnus.validate(body + match["check"]))
    except StdnumError:
        raise ValidationError(
            _(
                "The Finnish business ID (Y-tunnus) %(value)s is not valid: its check digit "
                "(the last digit) does not match the other digits. Check the number."
            ),
            code="check_digit",
            params={"value": value},
        ) from None


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit to append to `digits` (for an organisationsnummer: nine digits)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("Luhn works on digits only.")
    return int(luhn.calc_check_digit(digits))


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
    try:
        return orgnr.format(orgnr.validate(digits))
    except StdnumError:
        raise ValidationError(
            _(
                "The Swedish organisation number %(value)s is not valid: its check digit "
                "(the last digit) does not match the other digits. Check the number."
            ),
            code="check_digit",
            params={"value": value},
        ) from None


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


def validate_business_id(value: str) -> None:
    """The model field's validator: `value` is a business ID in the standard form of one of
    the schemes, with a valid check digit. Whether it is the scheme of the organisation's
    country is Organisation.clean's to check; forms turn what people type into this form."""
    country_code = scheme_of(value)
    if country_code is not None:
        NORMALISERS[country_code](value)
        return
    raise ValidationError(
        _(
            "“%(value)s” is not a business ID in its standard form: write a Finnish "
            "business ID (Y-tunnus) as 0112038-9 and a Swedish organisation number as "
            "212000-0142."
        ),
        code="format",
        params={"value": value},
    )


def scheme_of(value: str) -> str | None:
    """The country whose standard form `value` has ("FI", "SE"), or None."""
    return next((code for code, form in STANDARD_FORMS.items() if form.fullmatch(value)), None)


def make_y_tunnus(body: int) -> str | None:
    """A valid Y-tunnus for the seven-digit number `body`, or None if it has no check digit."""
    digits = f"{body:07d}"
    check = y_tunnus_check_digit(digits)
    return None if check is None else f"{digits}-{check}"


def make_organisationsnummer(first_nine: int) -> str:
    """A valid organisationsnummer whose first nine digits are `first_nine`."""
    digits = f"{first_nine:09d}"
    return orgnr.format(f"{digits}{luhn_check_digit(digits)}")

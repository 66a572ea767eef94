"""The one money formatter and the one money reader: amounts as each language writes them
("7 000 000,00 €"), and amounts typed into forms read in the page's language (``MoneyField``).

Babel follows CLDR, so the group separator and the space before the currency sign are
no-break spaces in Finnish and Swedish: an amount never breaks across two lines.
"""

import re
from decimal import Decimal

from babel.lists import format_list
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

LOCALES = {"fi": "fi_FI", "sv": "sv_SE", "en": "en_GB"}


def babel_locale(language: str | None = None) -> str:
    """The Babel locale that writes numbers, amounts, percentages and lists in ``language``
    (a language code such as "fi" or "sv-se"; default: the active language). The one lookup:
    every formatter of the site asks this."""
    return LOCALES.get((language or get_language() or "fi")[:2], "en_GB")


def format_money(amount: Decimal, currency: str = "EUR", language: str | None = None) -> str:
    """``amount`` with two decimals and the currency sign, in ``language`` (default: active)."""
    if isinstance(amount, float):
        raise TypeError("Money is Decimal, never float.")
    return format_currency(
        Decimal(amount), currency, locale=babel_locale(language), currency_digits=True
    )


# --- Amounts typed in a form --------------------------------------------------------------

# Amounts are stored with 14 digits, two of them decimals: at most this much, to the cent.
# The one definition of both: every module that checks an amount imports them from here.
LARGEST_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")
# A currency sign or code typed before or after the amount is ignored.
_CURRENCY = re.compile(r"^(?:€|EUR|SEK|kr\.?)\s*|\s*(?:€|EUR|SEK|kr\.?)$", re.IGNORECASE)
_MINUS = re.compile(r"^[-−–]\s*")
_NUMBER_CHARACTERS = re.compile(r"^[0-9.,\s]+$")
_SPACES = re.compile(r"\s+")
# In Finnish and Swedish a lone point followed by one or two digits can only be a decimal
# sign (a phone's keyboard may offer only the point); three digits after it could be either.
_POINT_CENTS = re.compile(r"^[0-9\s]*[0-9]\.[0-9]{1,2}$")


class AmountError(ValueError):
    """Why a typed text is not an amount: ``code`` is one of invalid, negative, decimals,
    grouping or too_large; ``suggestions`` are the amounts the user may have meant."""

    def __init__(self, code: str, text: str, suggestions=()):
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text
        self.suggestions = list(suggestions)


def format_amount(amount, language: str | None = None) -> str:
    """``amount`` as a form's input shows it in ``language``: "12 345,50" (no currency)."""
    if amount in (None, ""):
        return ""
    return format_decimal(Decimal(amount), format="#,##0.00", locale=babel_locale(language))


def parse_amount(text: str, language: str | None = None) -> Decimal:
    """``text`` typed on a page in ``language`` (default: the active one) as an amount to the
    cent; ``AmountError`` when it is not one.

    Read with Babel's strict decimal parsing in the language's own notation: in Finnish and
    Swedish "12 345,50" (the comma is the decimal sign, a space of any kind groups
    thousands), in English "12,345.50". A text that would mean something else than it seems
    is refused rather than guessed: "12,345" on a Finnish page would be twelve euros and a
    third of a cent, so it is refused with a suggestion of 12 345.
    """
    locale = babel_locale(language)
    group = get_group_symbol(locale)
    decimal_sign = get_decimal_symbol(locale)
    compact = _CURRENCY.sub("", _SPACES.sub(" ", text.strip())).strip()
    negative = _MINUS.match(compact)
    if negative:
        compact = _CURRENCY.sub("", compact[negative.end() :]).strip()
    if not compact or not _NUMBER_CHARACTERS.match(compact):
        raise AmountError("invalid", text)
    if sum(character.isdigit() for character in compact) > 24:
        raise AmountError("too_large", text)
    if decimal_sign == "," and "," not in compact and _POINT_CENTS.match(compact):
        compact = compact.replace(".", ",")
    # Babel's strict mode reads only the language's own group sign: any space stands for it.
    compact = compact.replace(" ", group)
    try:
        amount = parse_decimal(compact, locale=locale, strict=True)
    except NumberFormatError as error:
        if error.suggestions:
            raise AmountError(
                "grouping", text, [_suggested(s, locale) for s in error.suggestions]
            ) from None
        raise AmountError("invalid", text) from None
    if not amount.is_finite():
        raise AmountError("invalid", text)
    if negative and amount:
        raise AmountError("negative", text)
    if amount.as_tuple().exponent < -2:
        # The digits after the decimal sign look like a group of thousands: suggest those.
        digits = re.split(r"[.,]", compact)[-1]
        suggestions = []
        if len(digits) == 3:
            suggestions = [format_amount(amount.scaleb(3).quantize(CENT), language)]
        raise AmountError("decimals", text, suggestions)
    amount = abs(amount).quantize(CENT)
    if amount > LARGEST_AMOUNT:
        raise AmountError("too_large", text)
    return amount


def _suggested(proper: str, locale: str) -> str:
    amount = parse_decimal(proper, locale=locale)
    return format_decimal(amount.quantize(CENT), format="#,##0.00", locale=locale)


class MoneyField(forms.DecimalField):
    """An amount of money typed in the page's language (``parse_amount``): every amount input
    of the site uses this field. The value is a ``Decimal`` with two places, or None when
    left empty; the messages say what was wrong with what was typed, without the field's
    name (the error summary and the field's own error line name the field)."""

    default_error_messages = {
        "invalid": _("Enter an amount in numbers, for example %(example)s."),
        "negative": _("An amount cannot be negative: enter it without a minus sign."),
        # Translators: in Finnish and Swedish say that the comma is the decimal sign and a
        # space separates thousands; in English, the point and the comma.
        "decimals": _(
            "“%(value)s” would have more than two decimals: the decimal sign is a point and "
            "thousands are separated with a comma."
        ),
        "grouping": _(
            "“%(value)s” is not written as amounts are: separate thousands in groups of three "
            "digits."
        ),
        "too_large": _("The amount is too large: enter at most %(limit)s."),
        "min_value": _("Enter at least %(limit)s."),
        "max_value": _("Enter at most %(limit)s."),
    }

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 14}),
        )
        super().__init__(max_digits=14, decimal_places=2, **kwargs)
        # The bounds are checked in ``validate`` with amounts written as the page writes them.
        self.min_value, self.max_value = min_value, max_value

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_amount(value)
        return value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        try:
            return parse_amount(text)
        except AmountError as error:
            raise self._error(error) from None

    def _error(self, error: AmountError) -> ValidationError:
        params = {
            "value": error.text.strip(),
            "example": format_amount(Decimal("1250.50")),
            "limit": format_amount(LARGEST_AMOUNT),
        }
        message = str(self.error_messages[error.code] % params)
        if error.suggestions:
            message = " ".join(
                [
                    message,
                    gettext("Did you mean %(amounts)s?")
                    % {
                        "amounts": format_list(error.suggestions, style="or", locale=babel_locale())
                    },
                ]
            )
        return ValidationError(message, code=error.code)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": format_amount(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": format_amount(self.max_value)},
            )

    def widget_attrs(self, widget):
        # DecimalField would add a ``step`` and bounds meant for a number input.
        return forms.Field.widget_attrs(self, widget)

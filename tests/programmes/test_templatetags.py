"""The template filters and tags the pages use for deadlines and money."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

CLOSES = datetime(2021, 4, 15, 13, 15, tzinfo=UTC)
NBSP = "\xa0"


def render(source, **context):
    return Template(source).render(Context(context))


def test_deadline_filter_in_each_language():
    source = "{% load deadlines %}{{ closes|deadline:zone }}"
    for language, expected in [
        ("fi", "15.4.2021 klo 16.15 Suomen aikaa"),
        ("sv", "15.4.2021 kl. 16.15 finsk tid"),
        ("en", "15 April 2021 at 16:15 Finnish time"),
    ]:
        with translation.override(language):
            assert render(source, closes=CLOSES, zone="Europe/Helsinki") == expected
    with translation.override("sv"):
        assert render(source, closes=CLOSES, zone="Europe/Stockholm") == (
            "15.4.2021 kl. 15.15 svensk tid"
        )
        assert render(source, closes=None, zone="Europe/Stockholm") == ""


def test_time_left_tag():
    source = "{% load deadlines %}{% time_left closes now %}"
    with translation.override("fi"):
        assert render(source, closes=CLOSES, now=CLOSES - timedelta(hours=5)) == f"5{NBSP}tuntia"
        assert render(source, closes=CLOSES, now=CLOSES + timedelta(seconds=1)) == ""
        assert render(source, closes=None, now=CLOSES) == ""
    with translation.override("en"):
        later = datetime(2100, 1, 1, tzinfo=UTC)
        assert render("{% load deadlines %}{% time_left closes %}", closes=later) != ""


def test_money_filter():
    source = "{% load money %}{{ amount|money:currency }}"
    with translation.override("fi"):
        assert render(source, amount=Decimal("7000000"), currency="EUR") == (
            f"7{NBSP}000{NBSP}000,00{NBSP}€"
        )
    with translation.override("en"):
        assert render(source, amount=Decimal("7000000"), currency="EUR") == "€7,000,000.00"
        assert render(source, amount=None, currency="EUR") == ""

"""Data migrations of the applications app: what they fill in from the data already there."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps

from regionet.applications import services
from regionet.applications.models import Application, Submission
from tests.applications.test_queries import BASE, officer_of, other_municipalities, submitted
from tests.factories import ThemeFactory, open_phase

pytestmark = pytest.mark.django_db

received_facts = importlib.import_module(
    "regionet.applications.migrations.0004_submission_received_facts"
)


def test_submissions_from_before_get_their_listed_facts_from_their_content():
    phase = open_phase(closes_in=timedelta(days=7))
    theme = ThemeFactory(programme=phase.call.programme)
    application = submitted(phase, minute=1, title="Vetytalouden verkosto", theme=theme)
    services.request_completion(
        application,
        items=["basics", "municipalities"],
        closes_at=BASE + timedelta(days=3),
        by=officer_of(phase.call.programme.funder),
        now=BASE + timedelta(hours=1),
    )
    elsewhere, _regions = other_municipalities()
    Application.objects.filter(pk=application.pk).update(title="Toinen versio", theme=None)
    application.municipalities.set(elsewhere)
    services.submit_application(
        application, by=application.created_by, now=BASE + timedelta(hours=2)
    )
    first, second = application.submissions.order_by("number")
    expected = {
        first.pk: ("Vetytalouden verkosto", theme.pk, Decimal("80000.00"), 4),
        second.pk: ("Toinen versio", None, Decimal("80000.00"), 4),
    }
    first_municipalities = set(first.municipalities.values_list("pk", flat=True))
    # As the rows were before the migration.
    Application.objects.update(last_submission=None)
    Submission.municipalities.through.objects.all().delete()
    Submission.objects.update(title="", summary="", aid_requested=Decimal("0"), theme=None)

    received_facts.fill_from_content(apps, None)

    facts = {
        s.pk: (s.title, s.theme_id, s.aid_requested, s.municipalities.count())
        for s in Submission.objects.all()
    }
    assert facts == expected
    assert set(first.municipalities.values_list("pk", flat=True)) == first_municipalities
    assert set(second.municipalities.all()) == set(elsewhere)
    assert Application.objects.get(pk=application.pk).last_submission_id == second.pk

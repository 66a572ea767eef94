"""Fixtures of the accounts tests: countries and municipalities from the imported reference data."""

import pytest

from tests.factories import country


@pytest.fixture
def finland(db):
    return country("FI")


@pytest.fixture
def sweden(db):
    return country("SE")


@pytest.fixture
def helsinki(db):
    from django.apps import apps

    return apps.get_model("places", "Municipality").objects.get(country__code="FI", code="091")


@pytest.fixture
def stockholm(db):
    from django.apps import apps

    return apps.get_model("places", "Municipality").objects.get(country__code="SE", code="0180")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit(): ...` runs the on-commit callbacks (the e-mail tasks) on leaving."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run

"""Fixtures of the events tests: the 2021 webinar, the instant before it, officers with TOTP."""

from datetime import UTC, datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import EventFactory, FunderRoleFactory

# Ten days before the webinar of the Finnish call: registration is open.
BEFORE_WEBINAR = datetime(2021, 4, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def webinar(db):
    """The webinar 20.4.2021 12:30–16:00 Finnish time, with two seats."""
    return EventFactory(webinar_2021=True, capacity=2)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit(): ...` runs the on-commit callbacks (the e-mail tasks) on leaving."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def staff_of():
    """`staff_of(funder, role)`: a user with that role and a TOTP authenticator (staff need one)."""

    def make(funder, role="programme_officer"):
        user = FunderRoleFactory(funder=funder, role=role).user
        TOTP.activate(user, generate_totp_secret())
        return user

    return make

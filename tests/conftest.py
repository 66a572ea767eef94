"""Shared pytest set-up: reference places imported once per test database, browser checks."""

import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

CHROMIUM = os.environ.get("REGIONET_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Import the real reference geography (../shared/data) once into the test database.

    Every test then runs inside a transaction on top of it, so the 309/308 municipalities
    are there without being imported again.
    """
    with django_db_blocker.unblock():
        call_command("import-places", str(settings.REFERENCE_DATA_DIR), verbosity=0)


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (``admin_client``), with the authenticator app that every
    account with staff rights must set up before any page (issue 11, item 5)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(admin_user, generate_totp_secret())
    return admin_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with PBKDF2 costs a third of a second a password; tests need no security."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_of_each_test_starts_fresh():
    """A request in /sv/ leaves Swedish active in the thread: each test ends with the language
    it started with (the suite runs in the language the session's set-up command left)."""
    language = translation.get_language()
    yield
    translation.activate(language)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"Chromium was not found at {CHROMIUM}: CI never skips the browser tests."
        )
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}; browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        terminalreporter.write_line(
            f"NOTE: the browser tests were SKIPPED because Chromium is missing ({CHROMIUM}). "
            "Install it with: apt-get install chromium",
            yellow=True,
            bold=True,
        )

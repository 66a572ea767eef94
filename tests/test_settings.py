"""Settings that the rest of the system relies on."""

import pytest
from django.conf import settings
from django.db import connection


def test_time_zone_support_is_on_and_languages_are_fi_sv_en():
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["fi", "sv", "en"]
    assert settings.LANGUAGE_CODE == "fi"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("WAL is a SQLite setting; this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1

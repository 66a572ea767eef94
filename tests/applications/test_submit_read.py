"""The submit door's one-statement read: the same values, types and related instances the ORM
gives, the submitter's membership, and the prepared snapshot when there is one."""

import gc
import threading
import weakref
from datetime import datetime, timedelta

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from regionet.applications import submit_read
from regionet.applications.models import Application, PreparedSubmission
from regionet.applications.services import prepare_submission
from regionet.applications.submit_read import read_for_submit
from regionet.programmes.deadlines import instant_at

from .conftest import draft_in, member_of, officer_of, phase_closing_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
BEFORE = DEADLINE - timedelta(minutes=5)


@pytest.fixture
def draft():
    return draft_in(phase_closing_at(DEADLINE, record_number_format="OKM/{number}/{year}"))


def read(application_id, user):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        result = read_for_submit(application_id, user)
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    return result, statements


def test_one_statement_reads_the_draft_its_deadline_and_the_programmes_registry_facts(draft):
    expected = Application.objects.select_related("phase__call__programme").get(pk=draft.pk)

    result, statements = read(draft.pk, draft.created_by)

    assert len(statements) == 1
    application = result.application
    assert application.pk == draft.pk
    assert (application.state, application.language) == (expected.state, expected.language)
    assert application.section_versions == expected.section_versions
    assert isinstance(application.section_versions, dict)
    assert application.first_submitted_at is None
    assert application.record_number == ""
    assert (application.coordinator_id, application.funder_id) == (
        expected.coordinator_id,
        expected.funder_id,
    )
    phase, call = application.phase, application.phase.call
    programme = call.programme
    assert phase.pk == expected.phase_id
    assert phase.closes_at == DEADLINE
    assert phase.is_in_time(DEADLINE) and not phase.is_in_time(DEADLINE + timedelta(seconds=1))
    assert call.pk == expected.phase.call_id
    assert call.published_at == expected.phase.call.published_at
    assert programme.published_at == expected.phase.call.programme.published_at
    assert programme.record_number_format == "OKM/{number}/{year}"
    assert programme.funder_id == expected.funder_id
    assert programme.time_zone == "Europe/Helsinki"
    assert result.by_coordinator_member is True
    assert result.prepared is None


def test_the_fields_not_read_load_when_asked_for(draft):
    with transaction.atomic():
        application = read_for_submit(draft.pk, draft.created_by).application
        with CaptureQueriesContext(connection) as queries:
            title = application.title
            call_name = application.phase.call.name_fi

    assert title == draft.title
    assert call_name == draft.phase.call.name_fi
    assert len(queries) == 2


def test_the_prepared_snapshot_comes_with_the_draft(draft):
    prepare_submission(draft, now=BEFORE)
    stored = PreparedSubmission.objects.get(application=draft)

    result, statements = read(draft.pk, draft.created_by)

    assert len(statements) == 1
    assert result.prepared.application_id == draft.pk
    assert result.prepared.fingerprint == stored.fingerprint
    assert result.prepared.content == stored.content
    assert result.prepared.prepared_at == BEFORE


def test_only_the_coordinators_members_are_told_apart(draft):
    colleague = member_of(draft.coordinator)
    partner_member = member_of(draft.partners.get().organisation)
    officer = officer_of(draft)

    members = {
        user.email: read_for_submit(draft.pk, user).by_coordinator_member
        for user in (colleague, partner_member, officer)
    }

    assert members == {colleague.email: True, partner_member.email: False, officer.email: False}


@pytest.mark.parametrize("offset", [1000, 10**20, -(10**20)])
def test_an_unknown_application_is_not_found(draft, offset):
    # Beyond what an id column holds (a crafted address), as the ORM's lookups answer it;
    # SQLite's driver would raise OverflowError on binding it.
    with transaction.atomic(), pytest.raises(Application.DoesNotExist):
        read_for_submit(draft.pk + offset, draft.created_by)


def test_on_postgresql_the_draft_row_is_locked_and_nothing_else(draft):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks")
    _, statements = read(draft.pk, draft.created_by)

    assert statements[0].endswith("FOR UPDATE OF a")


def test_a_threads_connection_and_its_plan_go_when_the_thread_ends():
    """The plan holds converters bound to its connection: it must not keep a finished
    thread's connection alive (as a dictionary keyed by the connection did on SQLite)."""
    held = {}

    def plan_in_thread():
        own = connections["default"]
        held["connection"] = weakref.ref(own)
        held["plan"] = submit_read._plan(own) is submit_read._plan(own)
        connections.close_all()

    thread = threading.Thread(target=plan_in_thread)
    thread.start()
    thread.join(timeout=30)
    gc.collect()

    assert held["plan"] is True
    assert held["connection"]() is None

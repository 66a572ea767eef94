"""Two people registering for the last seat at the same moment: exactly one gets it.

Each thread has a database connection of its own, outside the test's transaction, so the
webinar is made and removed in threads too: committed, visible to both, gone afterwards.
"""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from regionet.audit.models import AuditEvent
from regionet.events import services
from regionet.events.models import Event, Registration
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def in_thread(function, *args):
    """Run ``function`` in a thread of its own (its own connection, committed) and return."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function(*args)
        except Exception as error:  # handed to the caller below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def make_webinar():
    """The 2021 webinar with two seats, one of them already taken."""
    event = EventFactory(webinar_2021=True, capacity=2)
    RegistrationFactory(event=event)
    return event


def remove_webinar(event):
    registrations = [str(pk) for pk in event.registrations.values_list("pk", flat=True)]
    AuditEvent.objects.filter(
        verb__startswith="event_registration.", target_id__in=registrations
    ).delete()
    organiser = event.organiser
    event.delete()
    organiser.delete()


@pytest.fixture
def committed_webinar():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite ignores select_for_update and locks the whole database "
            "file, so the row lock cannot be shown there"
        )
    event = in_thread(make_webinar)
    yield event
    in_thread(remove_webinar, event)


def register_for_the_last_seat(event_pk, email, barrier, results):
    try:
        event = Event.objects.get(pk=event_pk)
        barrier.wait(timeout=10)
        registration = services.register(
            event,
            name="Kilpailija",
            organisation="Kilpa Oy",
            email=email,
            language="fi",
            now=datetime(2021, 4, 10, tzinfo=UTC),
        )
        results.append(registration.state)
    except Exception as error:  # reported by the test's assertion
        results.append(repr(error))
    finally:
        connections.close_all()


def test_two_threads_for_the_last_seat_get_exactly_one(committed_webinar):
    barrier = threading.Barrier(2)
    results = []
    threads = [
        threading.Thread(
            target=register_for_the_last_seat,
            args=(committed_webinar.pk, f"kilpa{i}@example.fi", barrier, results),
        )
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["confirmed", "waiting"]
    confirmed = in_thread(
        lambda: Registration.objects.filter(event=committed_webinar, state="confirmed").count()
    )
    assert confirmed == 2

"""The registry under concurrent submissions (PostgreSQL): numbers unique and gap-free, one
submission per application however many times it is sent at once.

Each thread has a database connection of its own, outside the test's transaction, so the
drafts are made and removed in threads too: committed, visible to every thread, gone
afterwards. (A ``transaction=True`` test would empty every table at its end, the reference
places imported once per session included.)
"""

import threading
import time
from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from regionet.accounts.models import Membership, Organisation, User
from regionet.applications import services
from regionet.applications.models import Application, RecordSequence, Submission
from regionet.audit.models import AuditEvent
from regionet.notifications.models import Notice
from regionet.programmes.deadlines import instant_at
from regionet.programmes.models import Phase, Programme
from tests.applications.conftest import draft_in, phase_closing_at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite ignores select_for_update and locks the whole file",
    ),
]

DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
RECEIVED_AT = DEADLINE - timedelta(minutes=5)
THREADS = 8
DRAFTS = 40


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
    thread.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def run_together(function, argument_lists):
    """``function(barrier, *arguments)`` in one thread per argument list, started together;
    returns each thread's result (or the exception it raised), in order."""
    barrier = threading.Barrier(len(argument_lists))
    outcomes = [None] * len(argument_lists)

    def run(index, arguments):
        try:
            outcomes[index] = function(barrier, *arguments)
        except Exception as error:  # asserted by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, arguments))
        for index, arguments in enumerate(argument_lists)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def make_drafts(count, closes_at=DEADLINE):
    phase = phase_closing_at(closes_at)
    return phase.pk, [draft_in(phase).pk for _ in range(count)]


def remove_everything(phase_pk):
    """Remove the programme of ``phase_pk`` with its applications, people and records."""
    phase = Phase.objects.select_related("call__programme").get(pk=phase_pk)
    programme = phase.call.programme
    applications = Application.objects.filter(phase__call__programme=programme)
    organisations = set(applications.values_list("coordinator", flat=True))
    organisations |= set(applications.values_list("partners__organisation", flat=True))
    organisations.discard(None)
    users = set(
        Membership.objects.filter(organisation__in=organisations).values_list("user", flat=True)
    )
    AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Application),
        target_id__in=[str(pk) for pk in applications.values_list("pk", flat=True)],
    ).delete()
    notices = Notice.objects.filter(recipient__in=users)
    AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Notice),
        target_id__in=[str(pk) for pk in notices.values_list("pk", flat=True)],
    ).delete()
    notices.delete()
    Submission.objects.filter(application__in=applications).delete()
    applications.delete()
    RecordSequence.objects.filter(funder=programme.funder).delete()
    User.objects.filter(pk__in=users).delete()
    Organisation.objects.filter(pk__in=organisations).delete()
    funder = programme.funder
    Programme.objects.filter(pk=programme.pk).delete()
    funder.delete()


@pytest.fixture
def committed_drafts(request):
    """``count`` committed eligible drafts of one funder's phase (indirect parametrisation)."""
    phase_pk, draft_pks = in_thread(make_drafts, request.param)
    yield phase_pk, draft_pks
    in_thread(remove_everything, phase_pk)
    assert in_thread(lambda: Application.objects.filter(pk__in=draft_pks).count()) == 0


def submit_all(barrier, draft_pks):
    barrier.wait(timeout=30)
    numbers = []
    for pk in draft_pks:
        application = Application.objects.get(pk=pk)
        submission = services.submit_application(
            application, by=application.created_by, now=RECEIVED_AT
        )
        numbers.append(submission.record_number)
    return numbers


@pytest.mark.parametrize("committed_drafts", [DRAFTS], indirect=True)
def test_concurrent_submissions_get_numbers_1_to_n_without_gaps(committed_drafts):
    phase_pk, draft_pks = committed_drafts
    shares = [(draft_pks[i::THREADS],) for i in range(THREADS)]

    outcomes = run_together(submit_all, shares)

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert errors == []
    numbers = [number for numbers in outcomes for number in numbers]
    assert sorted(numbers, key=lambda n: int(n.split("/")[1])) == [
        f"TEM/{n}/2021" for n in range(1, DRAFTS + 1)
    ]

    def stored():
        submissions = Submission.objects.filter(application__in=draft_pks)
        return (
            submissions.count(),
            sorted(submissions.values_list("record_number", flat=True)),
            RecordSequence.objects.get(funder__programmes__calls__phases=phase_pk).last_number,
            Application.objects.filter(pk__in=draft_pks, state="submitted").count(),
        )

    count, record_numbers, last_number, submitted = in_thread(stored)
    assert (count, last_number, submitted) == (DRAFTS, DRAFTS, DRAFTS)
    assert record_numbers == sorted(numbers)
    assert len(set(record_numbers)) == DRAFTS


def submit_one(barrier, pk):
    application = Application.objects.get(pk=pk)
    barrier.wait(timeout=30)
    return services.submit_application(application, by=application.created_by, now=RECEIVED_AT)


@pytest.mark.parametrize("committed_drafts", [1], indirect=True)
def test_the_same_application_sent_twice_at_once_is_received_once(committed_drafts):
    _, (pk,) = committed_drafts

    first, second = run_together(submit_one, [(pk,), (pk,)])

    assert isinstance(first, Submission), first
    assert isinstance(second, Submission), second
    assert first.pk == second.pk
    assert (first.number, first.record_number) == (1, "TEM/1/2021")

    def stored():
        return (
            Submission.objects.filter(application=pk).count(),
            Notice.objects.filter(
                kind="application.receipt", dedupe_key=f"receipt:{first.pk}"
            ).count(),
            AuditEvent.objects.filter(verb="application.submitted", target_id=str(pk)).count(),
        )

    assert in_thread(stored) == (1, 1, 1)


def hold_programme_row(phase_pk, held, release):
    """An officer's open transaction that has changed the programme (an admin save)."""
    with transaction.atomic():
        Programme.objects.filter(calls__phases=phase_pk).update(description_en="Muutettu")
        held.set()
        release.wait(timeout=30)
        transaction.set_rollback(True)


def save_with_lock_timeout(pk):
    application = Application.objects.get(pk=pk)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            services.save_section(
                application,
                "basics",
                {"title": "Uusi otsikko", "summary": "Tiivistelmä."},
                base_version=0,
                by=application.created_by,
            )
        return "saved"
    except OperationalError as error:
        return f"blocked: {error}"


@pytest.mark.parametrize("committed_drafts", [1], indirect=True)
def test_an_officers_open_transaction_on_the_programme_does_not_block_saves(committed_drafts):
    phase_pk, (pk,) = committed_drafts
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=in_thread, args=(hold_programme_row, phase_pk, held, release))
    holder.start()
    try:
        assert held.wait(timeout=30)
        outcome = in_thread(save_with_lock_timeout, pk)
    finally:
        release.set()
        holder.join(timeout=30)

    assert outcome == "saved"


@pytest.fixture
def committed_draft_of_this_year():
    """A committed eligible draft in a phase closing in an hour, by the real clock."""
    phase_pk, (pk,) = in_thread(make_drafts, 1, timezone.now() + timedelta(hours=1))
    yield phase_pk, pk
    in_thread(remove_everything, phase_pk)


def hold_application_row(pk, held, until):
    """Another request of the same application (an autosave) holding its row until ``until``."""
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=pk)
        held.set()
        time.sleep(max(0.0, (until - timezone.now()).total_seconds()))


def submit_by_the_real_clock(pk):
    application = Application.objects.get(pk=pk)
    try:
        services.submit_application(application, by=application.created_by)
    except services.LateSubmission:
        return "late"
    return "accepted"


def test_waiting_for_the_row_lock_is_not_lateness(committed_draft_of_this_year):
    phase_pk, pk = committed_draft_of_this_year
    closes_at = timezone.now() + timedelta(seconds=1.5)
    in_thread(lambda: Phase.objects.filter(pk=phase_pk).update(closes_at=closes_at))
    held = threading.Event()
    holder = threading.Thread(
        target=in_thread,
        args=(hold_application_row, pk, held, closes_at + timedelta(seconds=0.5)),
    )
    holder.start()
    try:
        assert held.wait(timeout=30)
        arrived_at = timezone.now()
        outcome = in_thread(submit_by_the_real_clock, pk)
    finally:
        holder.join(timeout=30)

    assert arrived_at < closes_at
    assert outcome == "accepted"

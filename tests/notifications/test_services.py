"""The doors of notices: queueing in the caller's transaction, sending with retries, sweeps,
deduplication, preferences and the admin's retry."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from regionet.audit.models import AuditEvent
from regionet.notifications import services
from regionet.notifications.attachments import attachment
from regionet.notifications.models import Notice, NoticePreference
from regionet.notifications.tasks import send_due_notices_task
from tests.factories import UserFactory
from tests.factories.notifications import NoticeFactory, NoticePreferenceFactory

from .conftest import RECEIPT_CONTEXT, SUBMITTED

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def receipt(recipient, **kwargs):
    return services.notify(
        kind="application.receipt",
        recipient=recipient,
        context=RECEIPT_CONTEXT,
        now=SUBMITTED,
        **kwargs,
    )


def test_a_notice_queued_in_a_transaction_that_rolls_back_is_neither_stored_nor_sent(on_commit):
    user = UserFactory()
    with on_commit() as callbacks, pytest.raises(Rollback), transaction.atomic():
        receipt(user)
        raise Rollback
    assert callbacks == []
    assert Notice.objects.count() == 0
    assert mail.outbox == []


def test_a_notice_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    user = UserFactory(email="Maija@Example.fi", preferred_language="sv")
    with django_capture_on_commit_callbacks() as callbacks:
        notice = receipt(user)
    assert mail.outbox == []
    assert notice.state == Notice.State.PENDING
    assert (notice.email, notice.language, notice.next_attempt_at) == (
        "maija@example.fi",
        "sv",
        SUBMITTED,
    )

    callbacks[0]()

    (message,) = mail.outbox
    assert message.to == ["maija@example.fi"]
    assert message.subject == (
        "[Regionet] Kvitto: ansökan Vetovoimaiset seutukaupungit mottagen (VN/1234/2021)"
    )
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT
    assert notice.attempts == 1
    assert notice.next_attempt_at is None
    assert notice.sent_at is not None


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


SWEEP = "regionet.notifications.tasks.send_due_notices_task"


@pytest.mark.usefixtures("database_queue")
def test_with_the_database_queue_a_sweep_is_queued_once_the_notice_is_committed(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        receipt(user)
        assert DBTaskResult.objects.count() == 0

    (task,) = DBTaskResult.objects.all()
    assert task.task_path == SWEEP
    assert task.args_kwargs == {"args": [], "kwargs": {}}
    assert task.status == "READY"
    assert mail.outbox == []


@pytest.mark.usefixtures("database_queue")
def test_a_waiting_sweep_is_not_queued_again_and_one_taken_by_a_worker_is(
    django_capture_on_commit_callbacks,
):
    first, second, third = UserFactory.create_batch(3)
    for user in (first, second):
        with django_capture_on_commit_callbacks(execute=True):
            receipt(user)
    (waiting,) = DBTaskResult.objects.all()
    # A worker takes the sweep: it may have read the due notices before the next commit.
    DBTaskResult.objects.filter(pk=waiting.pk).update(status="RUNNING")
    with django_capture_on_commit_callbacks(execute=True):
        receipt(third)

    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        (SWEEP, "READY"),
        (SWEEP, "RUNNING"),
    ]
    assert send_due_notices_task.call() == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in (first, second, third)
    )
    assert set(Notice.objects.values_list("state", flat=True)) == {Notice.State.SENT}


@pytest.mark.usefixtures("database_queue")
@pytest.mark.parametrize(
    "other", [{"backend_name": "old"}, {"queue_name": "reports"}], ids=["backend", "queue"]
)
def test_a_sweep_waiting_for_another_backend_or_queue_does_not_silence_the_wake(
    django_capture_on_commit_callbacks, other
):
    """No worker of this backend and queue would take it."""
    DBTaskResult.objects.create(
        task_path=SWEEP,
        args_kwargs={"args": [], "kwargs": {}},
        status="READY",
        backend_name=other.get("backend_name", "default"),
        queue_name=other.get("queue_name", "default"),
        run_after=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        receipt(UserFactory())

    assert (
        DBTaskResult.objects.filter(
            task_path=SWEEP, status="READY", backend_name="default", queue_name="default"
        ).count()
        == 1
    )


@pytest.mark.usefixtures("database_queue")
def test_with_the_database_queue_a_rollback_takes_the_task_with_the_notice():
    user = UserFactory()
    with pytest.raises(Rollback), transaction.atomic():
        receipt(user)
        raise Rollback
    assert Notice.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_the_language_given_overrides_the_users_and_an_address_needs_no_user(on_commit):
    with on_commit():
        notice = services.notify(
            kind="export.ready",
            email="officer@example.se",
            language="en",
            context={"url": "https://regionet.example/exports/3/"},
        )
    assert notice.recipient is None
    assert [message.subject for message in mail.outbox] == ["[Regionet] Your export is ready"]


def test_without_a_user_the_language_is_the_sites(on_commit):
    with on_commit():
        notice = services.notify(
            kind="export.ready", email="someone@example.fi", context={"url": "https://x.example/"}
        )
    assert notice.language == "fi"
    assert [message.subject for message in mail.outbox] == ["[Regionet] Vientisi on valmis"]


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"kind": "application.unknown", "email": "a@example.fi"}, LookupError),
        ({"kind": "export.ready"}, ValueError),
        ({"kind": "export.ready", "email": "a@example.fi", "language": "de"}, ValueError),
    ],
)
def test_a_notice_needs_a_known_kind_an_address_and_one_of_the_three_languages(arguments, error):
    with pytest.raises(error):
        services.notify(context={}, **arguments)
    assert Notice.objects.count() == 0


def test_the_same_receipt_queued_twice_is_stored_and_sent_once(on_commit):
    user = UserFactory()
    with on_commit():
        first = receipt(user, dedupe_key="application.receipt:7:1")
        second = receipt(user, dedupe_key="application.receipt:7:1")
    assert second is None
    assert list(Notice.objects.values_list("pk", flat=True)) == [first.pk]
    assert len(mail.outbox) == 1


def test_a_key_the_caller_vouches_for_as_new_takes_no_savepoint(on_commit):
    user = UserFactory()
    with on_commit(), CaptureQueriesContext(connection) as queries:
        notice = receipt(user, dedupe_key="receipt:8", new_dedupe_key=True)
    assert Notice.objects.get().dedupe_key == "receipt:8"
    assert notice.pk == Notice.objects.get().pk
    assert not [q for q in queries if q["sql"].startswith("SAVEPOINT")]


def test_a_key_vouched_for_as_new_that_is_not_fails_the_callers_transaction(on_commit):
    user = UserFactory()
    receipt(user, dedupe_key="receipt:8")
    with pytest.raises(IntegrityError), transaction.atomic():
        receipt(user, dedupe_key="receipt:8", new_dedupe_key=True)
    assert Notice.objects.count() == 1


def test_different_dedupe_keys_and_no_key_are_separate_notices(on_commit):
    user = UserFactory()
    with on_commit():
        receipt(user, dedupe_key="application.receipt:7:1")
        receipt(user, dedupe_key="application.receipt:7:2")
        receipt(user)
        receipt(user)
    assert Notice.objects.count() == 4
    assert len(mail.outbox) == 4


def test_a_failed_sending_is_tried_again_a_minute_later(failing_mail):
    notice = NoticeFactory(created_at=SUBMITTED)

    services.send_notice(notice, now=SUBMITTED)

    notice.refresh_from_db()
    assert mail.outbox == []
    assert notice.state == Notice.State.PENDING
    assert notice.attempts == 1
    assert notice.next_attempt_at == SUBMITTED + timedelta(minutes=1)
    assert notice.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert notice.sent_at is None


def test_the_task_after_the_commit_records_a_failure_too(on_commit, failing_mail):
    before = timezone.now()
    with on_commit():
        notice = receipt(UserFactory())
    after = timezone.now()
    notice.refresh_from_db()
    assert mail.outbox == []
    assert (notice.state, notice.attempts) == (Notice.State.PENDING, 1)
    assert before + timedelta(minutes=1) <= notice.next_attempt_at <= after + timedelta(minutes=1)


def test_retries_back_off_and_the_fifth_failure_gives_up(failing_mail):
    notice = NoticeFactory(created_at=SUBMITTED)
    schedule = []
    now = SUBMITTED
    for _ in range(5):
        assert services.send_due_notices(now) == 0
        notice.refresh_from_db()
        schedule.append((notice.attempts, notice.state, notice.next_attempt_at))
        now = notice.next_attempt_at
    assert schedule == [
        (1, Notice.State.PENDING, SUBMITTED + timedelta(minutes=1)),
        (2, Notice.State.PENDING, SUBMITTED + timedelta(minutes=6)),
        (3, Notice.State.PENDING, SUBMITTED + timedelta(minutes=36)),
        (4, Notice.State.PENDING, SUBMITTED + timedelta(hours=2, minutes=36)),
        (5, Notice.State.FAILED, None),
    ]
    assert services.send_due_notices(SUBMITTED + timedelta(days=30)) == 0
    notice.refresh_from_db()
    assert notice.attempts == 5


def test_a_retry_that_succeeds_sends_the_notice(settings, failing_mail):
    notice = NoticeFactory(created_at=SUBMITTED)
    services.send_due_notices(SUBMITTED)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert services.send_due_notices(SUBMITTED + timedelta(seconds=59)) == 0
    assert services.send_due_notices(SUBMITTED + timedelta(minutes=1)) == 1

    notice.refresh_from_db()
    assert (notice.state, notice.attempts, notice.sent_at) == (
        Notice.State.SENT,
        2,
        SUBMITTED + timedelta(minutes=1),
    )
    assert len(mail.outbox) == 1


def test_send_due_notices_sends_only_the_pending_notices_that_are_due():
    due = NoticeFactory(created_at=SUBMITTED - timedelta(hours=1), next_attempt_at=SUBMITTED)
    NoticeFactory(
        created_at=SUBMITTED - timedelta(hours=1),
        attempts=1,
        next_attempt_at=SUBMITTED + timedelta(microseconds=1),
    )
    NoticeFactory(state=Notice.State.SENT, created_at=SUBMITTED - timedelta(hours=1))
    NoticeFactory(state=Notice.State.FAILED, created_at=SUBMITTED - timedelta(hours=1))
    NoticeFactory(state=Notice.State.SUPPRESSED, created_at=SUBMITTED - timedelta(hours=1))

    assert services.send_due_notices(SUBMITTED) == 1

    assert [message.to for message in mail.outbox] == [[due.email]]
    assert sorted(Notice.objects.values_list("state", flat=True)) == [
        "failed",
        "pending",
        "sent",
        "sent",
        "suppressed",
    ]


def test_a_first_attempt_stamped_ahead_of_the_sweeps_clock_is_sent():
    """The web server's clock may run ahead of the worker's: a notice never tried is due."""
    ahead = NoticeFactory(created_at=SUBMITTED, next_attempt_at=SUBMITTED + timedelta(seconds=2))

    assert services.send_due_notices(SUBMITTED) == 1

    assert [message.to for message in mail.outbox] == [[ahead.email]]


def test_a_notice_already_sent_is_never_sent_again():
    notice = NoticeFactory(state=Notice.State.SENT, sent_at=SUBMITTED)
    assert services.send_notice(notice, SUBMITTED + timedelta(hours=1)).sent_at == SUBMITTED
    assert mail.outbox == []


def test_a_kind_the_user_switched_off_is_stored_suppressed_and_not_sent(on_commit):
    preference = NoticePreferenceFactory(kind="application.withdrawn", enabled=False)
    with on_commit() as callbacks:
        notice = services.notify(
            kind="application.withdrawn", recipient=preference.user, context=RECEIPT_CONTEXT
        )
    assert callbacks == []
    assert (notice.state, notice.next_attempt_at) == (Notice.State.SUPPRESSED, None)
    assert mail.outbox == []
    assert services.send_due_notices() == 0


def test_switching_off_one_kind_leaves_the_others_on(on_commit):
    preference = NoticePreferenceFactory(kind="application.withdrawn", enabled=False)
    with on_commit():
        notice = services.notify(
            kind="application.partner_invited",
            recipient=preference.user,
            context=RECEIPT_CONTEXT,
        )
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT
    assert len(mail.outbox) == 1


def test_a_kind_required_by_law_is_sent_even_when_a_preference_says_no(on_commit):
    preference = NoticePreferenceFactory(kind="application.receipt", enabled=False)
    with on_commit():
        notice = receipt(preference.user)
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT
    assert len(mail.outbox) == 1


def test_the_attachment_is_generated_when_the_notice_is_sent(
    django_capture_on_commit_callbacks, receipt_pdf
):
    with django_capture_on_commit_callbacks() as callbacks:
        notice = receipt(UserFactory(), attachments=[attachment("test.receipt_pdf", application=7)])
    assert notice.attachments == [{"generator": "test.receipt_pdf", "args": {"application": 7}}]
    assert receipt_pdf.calls == []

    callbacks[0]()

    assert receipt_pdf.calls == [(notice.pk, 7)]
    (message,) = mail.outbox
    assert message.attachments == [("receipt-7.pdf", b"%PDF-1.7 receipt", "application/pdf")]
    assert "Kuittaus on myös tämän viestin liitteenä PDF-tiedostona." in message.body


def test_an_attachment_that_cannot_be_generated_counts_as_a_failed_attempt(on_commit):
    with on_commit():
        notice = receipt(UserFactory(), attachments=[attachment("no.such.generator")])
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == (Notice.State.PENDING, 1)
    assert notice.last_error == "LookupError: Unknown attachment generator 'no.such.generator'."
    assert mail.outbox == []


def test_retry_now_sends_a_failed_notice_and_is_audited(on_commit):
    admin = UserFactory(is_staff=True, is_superuser=True)
    notice = NoticeFactory(state=Notice.State.FAILED, attempts=5, last_error="SMTPError")
    with on_commit():
        assert services.retry_notice(notice, by=admin) is True
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == (Notice.State.SENT, 6)
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get()
    assert (event.actor, event.verb, event.target_id, event.data) == (
        admin,
        "notice.retry_requested",
        str(notice.pk),
        {"kind": "application.receipt", "attempts": 5},
    )


@pytest.mark.parametrize("state", [Notice.State.SENT, Notice.State.SUPPRESSED])
def test_retry_now_never_sends_a_sent_or_suppressed_notice(on_commit, state):
    notice = NoticeFactory(state=state)
    with on_commit():
        assert services.retry_notice(notice, by=None) is False
    notice.refresh_from_db()
    assert notice.state == state
    assert mail.outbox == []
    assert AuditEvent.objects.count() == 0


def test_set_preferences_stores_the_optional_kinds_and_audits_the_changes():
    user = UserFactory()
    NoticePreferenceFactory(user=user, kind="application.withdrawn", enabled=False)

    changes = services.set_preferences(
        user, {"application.withdrawn", "application.partner_invited", "application.receipt"}
    )

    assert changes == {
        "application.withdrawn": True,
        "application.late_admission": False,
        "application.invited_to_full_phase": False,
        "export.ready": False,
        "application.partner_invitation": False,
        "application.partner_confirmed": False,
    }
    assert dict(NoticePreference.objects.filter(user=user).values_list("kind", "enabled")) == {
        "application.withdrawn": True,
        "application.late_admission": False,
        "application.invited_to_full_phase": False,
        "export.ready": False,
        "application.partner_invitation": False,
        "application.partner_confirmed": False,
    }
    event = AuditEvent.objects.get()
    assert (event.actor, event.verb, event.target_id, event.data) == (
        user,
        "notice_preferences.changed",
        str(user.pk),
        {
            "enabled": ["application.withdrawn"],
            "disabled": [
                "application.invited_to_full_phase",
                "application.late_admission",
                "application.partner_confirmed",
                "application.partner_invitation",
                "export.ready",
            ],
        },
    )


def test_set_preferences_without_changes_writes_nothing():
    user = UserFactory()
    everything = {"application.partner_invited", "application.withdrawn"} | {
        "application.late_admission",
        "application.invited_to_full_phase",
        "export.ready",
        "application.partner_invitation",
        "application.partner_confirmed",
    }
    assert services.set_preferences(user, everything) == {}
    assert NoticePreference.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_set_preferences_refuses_unknown_kinds():
    user = UserFactory()
    with pytest.raises(ValueError, match=re.escape("Unknown notice kinds: application.nonsense.")):
        services.set_preferences(user, {"application.nonsense"})
    assert NoticePreference.objects.count() == 0

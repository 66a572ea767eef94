"""The doors of notices: queue one (``notify``), send it with retries, retry it by hand, and a
user's choice of the notices they get (``set_preferences``).

``notify`` runs in the caller's transaction, so a notice exists exactly when the change it
tells about was committed, and it is sent only after that commit. Sending holds the lock on
the notice row for the time of sending, so two workers never send one notice twice (on
PostgreSQL a sweep of the due notices passes over one another worker is sending, so sweeps
share the work; SQLite runs them one after another). A failed sending is tried again after
1 min, 5 min, 30 min and 2 h; the fifth failure gives up.
``now`` is the server's clock unless a caller (a test, a worker) gives the instant.
"""

import logging
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from regionet.accounts.models import Language, normalise_email
from regionet.audit.services import record

from .emails import notice_message
from .kinds import all_kinds, get_kind
from .models import Notice, NoticePreference
from .tasks import send_due_notices_task, send_notice_task

logger = logging.getLogger(__name__)

# The wait before the next try after the 1st, 2nd, 3rd and 4th failure; the 5th is final.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


class Verb:
    """The audit verbs written by this module."""

    PREFERENCES_CHANGED = "notice_preferences.changed"
    RETRY_REQUESTED = "notice.retry_requested"


def _queue_sending(notice_id):
    if isinstance(send_notice_task.get_backend(), DatabaseBackend):
        # A worker sweeps every due notice: after the commit, wake one unless a sweep is
        # already waiting (under a deadline rush, one task row for hundreds of receipts,
        # not one each).
        transaction.on_commit(_wake_sweep, robust=True)
        return
    # Other queues run or hold one task per notice, outside the database: only after the
    # commit. robust: the caller's change is committed; a task queue that is down must not
    # turn it into an error. The notice stays pending and ``send_due_notices`` sends it.
    transaction.on_commit(lambda: send_notice_task.enqueue(notice_id), robust=True)


def _wake_sweep():
    """Queue a sweep of the due notices unless one is queued and not yet taken by a worker.

    Runs after the notice's commit: a sweep still waiting will read the due notices only
    once a worker has taken it, which is later, so it finds this notice. A sweep already
    taken may have read them before: then a new one is queued. Sweeps are never deferred
    (no ``run_after``), so a waiting one is one a worker will take. A notice can still be
    left without a sweep: this process stops between the commit and here, the wake fails
    (an error here is logged, not raised: the change is committed), or the worker sending
    it dies. It stays pending, and the next sweep (any later notice wakes one) or the
    ``regionet send-notices`` command, run from cron in production, sends it.
    """
    if not sweep_waiting():
        send_due_notices_task.enqueue()


def sweep_waiting() -> bool:
    """Whether a sweep of the due notices is queued and not yet taken by a worker."""
    alias = router.db_for_write(DBTaskResult)
    sql, params = _waiting_sweep_query(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


@cache
def _waiting_sweep_query(alias: str) -> tuple[str, tuple]:
    """The ORM's SQL for "a sweep waits for a worker of this backend and queue", compiled
    once per database: compiling it took three times as long as running it, once per
    receipt at the deadline."""
    waiting = (
        DBTaskResult.objects.filter(
            task_path=send_due_notices_task.module_path,
            status=TaskResultStatus.READY,
            backend_name=send_due_notices_task.backend,
            queue_name=send_due_notices_task.queue_name,
        )
        .order_by()
        .values("pk")[:1]
    )
    return waiting.query.get_compiler(using=alias).as_sql()


def is_switched_off(user, kind_code) -> bool:
    """Whether ``user`` chose not to get notices of ``kind_code``; never for required kinds."""
    if get_kind(kind_code).legally_required:
        return False
    return NoticePreference.objects.filter(user=user, kind=kind_code, enabled=False).exists()


def notify(
    *,
    kind,
    recipient=None,
    email=None,
    language=None,
    context,
    attachments=(),
    dedupe_key=None,
    new_dedupe_key=False,
    now=None,
) -> Notice | None:
    """Queue a notice of ``kind`` to ``recipient`` (a user) or ``email``, in the caller's
    transaction; it is sent once that transaction commits.

    ``language`` defaults to the user's preferred language. ``context`` holds plain JSON
    values for the templates; ``attachments`` are ``{"generator": name, "args": {...}}``
    (see ``attachments.py``), generated at sending. A notice of a kind the user switched
    off is stored as suppressed and not sent. Returns None, storing nothing, when a notice
    with the same ``dedupe_key`` already exists. ``new_dedupe_key``: the key names a row the
    caller has just created, so no notice can have it yet; no savepoint is taken, and a clash
    (a bug) fails the caller's transaction.
    """
    notice_kind = get_kind(kind)
    if recipient is None and not email:
        raise ValueError("A notice needs a recipient or an e-mail address.")
    language = language or (
        recipient.preferred_language if recipient is not None else settings.LANGUAGE_CODE
    )
    if language not in Language.values:
        raise ValueError(f"Unknown language {language!r}: notices are written in fi, sv or en.")
    now = now or timezone.now()
    suppressed = recipient is not None and is_switched_off(recipient, notice_kind.code)
    try:
        # The unique key refuses a second notice with the same ``dedupe_key``; the savepoint
        # keeps the caller's transaction usable when it does.
        with transaction.atomic(savepoint=bool(dedupe_key) and not new_dedupe_key):
            notice = Notice.objects.create(
                recipient=recipient,
                email=normalise_email(email or recipient.email),
                language=language,
                kind=notice_kind.code,
                context=context,
                attachments=list(attachments),
                state=Notice.State.SUPPRESSED if suppressed else Notice.State.PENDING,
                next_attempt_at=None if suppressed else now,
                created_at=now,
                dedupe_key=dedupe_key or "",
            )
    except IntegrityError:
        # This notice was stored before (or by another transaction just now).
        if (
            dedupe_key
            and not new_dedupe_key
            and Notice.objects.filter(dedupe_key=dedupe_key).exists()
        ):
            return None
        raise
    if not suppressed:
        _queue_sending(notice.pk)
    return notice


def _send(notice_id, now, *, due_only) -> tuple[Notice | None, bool]:
    """(the notice, whether this call sent it)."""
    with transaction.atomic():
        # A sweep (due_only) passes over a notice another worker holds: that one sends it.
        notice = (
            Notice.objects.select_for_update(of=("self",), skip_locked=due_only)
            .select_related("recipient")
            .filter(pk=notice_id)
            .first()
        )
        # Another worker may have sent it, or failed it and set a later try, meanwhile.
        if notice is None or notice.state != Notice.State.PENDING:
            return notice, False
        if due_only and not _is_due(notice, now):
            return notice, False
        notice.attempts += 1
        try:
            # A savepoint: an attachment generator failing in the database leaves the
            # transaction usable for recording the failure.
            with transaction.atomic():
                notice_message(notice).send()
        except Exception as error:
            notice.last_error = f"{type(error).__name__}: {error}"
            if notice.attempts >= MAX_ATTEMPTS:
                notice.state = Notice.State.FAILED
                notice.next_attempt_at = None
            else:
                notice.next_attempt_at = now + RETRY_DELAYS[notice.attempts - 1]
            logger.warning(
                "Notice %s (%s) failed on attempt %s: %s",
                notice.pk,
                notice.kind,
                notice.attempts,
                notice.last_error,
            )
        else:
            notice.state = Notice.State.SENT
            notice.sent_at = now
            notice.next_attempt_at = None
        notice.save(update_fields=["attempts", "state", "sent_at", "next_attempt_at", "last_error"])
    return notice, notice.state == Notice.State.SENT


def send_notice(notice, now=None) -> Notice | None:
    """Send a pending notice now; on failure count the attempt and set the next one.

    A notice that is no longer pending (sent, failed, suppressed) is left as it is.
    """
    return _send(notice.pk, now or timezone.now(), due_only=False)[0]


def _is_due(notice, now) -> bool:
    # A first attempt is due at once, whatever its stamp: the clock of the process that
    # queued it may run ahead of the sweeping worker's. A retry waits for its time.
    return notice.attempts == 0 or (
        notice.next_attempt_at is not None and notice.next_attempt_at <= now
    )


def send_due_notices(now=None) -> int:
    """Send every pending notice that is due at ``now`` (never tried, or its next attempt's
    time has come); return how many went."""
    now = now or timezone.now()
    due = list(
        Notice.objects.filter(state=Notice.State.PENDING)
        .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(_send(notice_id, now, due_only=True)[1] for notice_id in due)


def retry_notice(notice, *, by, now=None) -> bool:
    """Try a pending or failed notice again at once (the admin's "retry now").

    A failed notice gets one more try. Returns False for a notice that was sent or
    suppressed: those are never sent again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.state not in (Notice.State.PENDING, Notice.State.FAILED):
            return False
        notice.state = Notice.State.PENDING
        notice.next_attempt_at = now
        notice.save(update_fields=["state", "next_attempt_at"])
        record(by, Verb.RETRY_REQUESTED, notice, kind=notice.kind, attempts=notice.attempts)
        _queue_sending(notice.pk)
    return True


def set_preferences(user, enabled_codes) -> dict[str, bool]:
    """Make ``user`` get exactly the optional kinds in ``enabled_codes`` (required kinds are
    always on); return the kinds switched, code → now enabled, and audit them."""
    enabled_codes = set(enabled_codes)
    unknown = enabled_codes - {kind.code for kind in all_kinds()}
    if unknown:
        raise ValueError(f"Unknown notice kinds: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = dict(
            NoticePreference.objects.select_for_update()
            .filter(user=user)
            .values_list("kind", "enabled")
        )
        changes = {}
        for kind in all_kinds():
            if kind.legally_required:
                continue
            enabled = kind.code in enabled_codes
            if current.get(kind.code, True) != enabled:
                changes[kind.code] = enabled
                NoticePreference.objects.update_or_create(
                    user=user, kind=kind.code, defaults={"enabled": enabled}
                )
        if changes:
            record(
                user,
                Verb.PREFERENCES_CHANGED,
                user,
                enabled=sorted(code for code, on in changes.items() if on),
                disabled=sorted(code for code, on in changes.items() if not on),
            )
    return changes

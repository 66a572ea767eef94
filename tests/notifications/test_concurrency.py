"""Two workers sending the same notice at the same moment: it goes out once.

Each thread has a database connection of its own, outside the test's transaction, so the
notice is made and removed in threads too: committed, visible to both, gone afterwards.
"""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from regionet.notifications import services
from regionet.notifications.models import Notice
from tests.events.test_concurrency import in_thread
from tests.factories.notifications import NoticeFactory

pytestmark = pytest.mark.django_db


def make_notice():
    notice = NoticeFactory()
    return notice, notice.recipient


def remove_notice(notice, recipient):
    Notice.objects.filter(pk=notice.pk).delete()
    recipient.delete()


@pytest.fixture
def committed_notice():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite ignores select_for_update and locks the whole database "
            "file, so the row lock cannot be shown there"
        )
    notice, recipient = in_thread(make_notice)
    yield notice
    in_thread(remove_notice, notice, recipient)


def send(notice_pk, barrier):
    try:
        barrier.wait(timeout=10)
        services.send_due_notices()
    finally:
        connections.close_all()


def test_two_workers_send_one_notice_once(committed_notice, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.SlowBackend"
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=send, args=(committed_notice.pk, barrier)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(mail.outbox) == 1
    notice = in_thread(lambda: Notice.objects.get(pk=committed_notice.pk))
    assert (notice.state, notice.attempts) == (Notice.State.SENT, 1)


def test_a_sweep_passes_over_a_notice_another_worker_is_sending(committed_notice):
    """Sweeps share a backlog: one does not wait behind the notice another one holds."""
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Notice.objects.select_for_update().get(pk=committed_notice.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        sent = in_thread(services.send_due_notices)
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=30)

    assert sent == 0
    assert waited < 5
    assert mail.outbox == []
    notice = in_thread(lambda: Notice.objects.get(pk=committed_notice.pk))
    assert (notice.state, notice.attempts) == (Notice.State.PENDING, 0)

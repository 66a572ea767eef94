"""``regionet send-notices``, run by a periodic worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from regionet.notifications.models import Notice
from tests.factories.notifications import NoticeFactory

pytestmark = pytest.mark.django_db


def test_send_notices_sends_what_is_due(capsys):
    due = NoticeFactory(created_at=timezone.now() - timedelta(minutes=2))
    # A retry after a failed attempt, due in five minutes.
    later = NoticeFactory(attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5))

    call_command("send-notices")

    assert capsys.readouterr().out == "1 notice(s) sent.\n"
    assert [message.to for message in mail.outbox] == [[due.email]]
    later.refresh_from_db()
    assert later.state == Notice.State.PENDING

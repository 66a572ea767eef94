"""The outbox in the staff interface: read-only, for administrators, with "retry now"."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail

from regionet.notifications.models import Notice
from tests.factories import FunderRoleFactory, UserFactory
from tests.factories.notifications import NoticeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/notifications/notice/"


@pytest.fixture
def administrator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return user


def test_the_administrator_filters_the_outbox_by_state(client, administrator):
    failed = NoticeFactory(state=Notice.State.FAILED, email="failed@example.fi")
    NoticeFactory(state=Notice.State.SENT, email="sent@example.fi")

    response = client.get(CHANGELIST, {"state__exact": "failed"})

    assert response.status_code == 200
    assert [notice.pk for notice in response.context["cl"].result_list] == [failed.pk]


def test_notices_cannot_be_changed_in_the_admin(client, administrator):
    notice = NoticeFactory(email="maija@example.fi")
    response = client.post(f"{CHANGELIST}{notice.pk}/change/", {"email": "other@example.fi"})
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.email == "maija@example.fi"


def test_retry_now_sends_the_failed_notices_but_not_the_sent_ones(
    client, administrator, django_capture_on_commit_callbacks
):
    failed = NoticeFactory(state=Notice.State.FAILED, attempts=5)
    sent = NoticeFactory(state=Notice.State.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert [str(message) for message in response.context["messages"]] == [
        "1 notice will be sent again.",
        "Notices already sent or switched off are not sent again.",
    ]
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (Notice.State.SENT, 6)
    assert [message.to for message in mail.outbox] == [[failed.email]]


def test_a_programme_officer_does_not_see_the_outbox(client):
    officer = FunderRoleFactory().user
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    assert client.get(CHANGELIST).status_code == 403

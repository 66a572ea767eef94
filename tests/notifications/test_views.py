"""The notice pages through the client: preferences and the list of one's own notices."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from regionet.notifications.models import Notice, NoticePreference
from tests.factories import UserFactory
from tests.factories.notifications import NoticeFactory, NoticePreferenceFactory

pytestmark = pytest.mark.django_db

OPTIONAL = [
    "application.partner_invited",
    "application.withdrawn",
    "application.late_admission",
    "application.invited_to_full_phase",
    "export.ready",
    "application.partner_invitation",
    "application.partner_confirmed",
]


def url(name, language="fi"):
    with translation.override(language):
        return reverse(name)


def field(code):
    return "kind_" + code.replace(".", "__")


def checkboxes(response):
    """{input name: (checked, disabled)} of the checkboxes on the page."""
    inputs = re.findall(r'<input type="checkbox"[^>]*>', response.content.decode())
    return {
        re.search(r'name="([^"]+)"', tag).group(1): ("checked" in tag, "disabled" in tag)
        for tag in inputs
    }


@pytest.mark.parametrize("name", ["notifications:preferences", "notifications:notice_list"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"] == f"/fi/accounts/login/?next={url(name)}"


@pytest.mark.parametrize(
    ("language", "title", "legend", "label", "required"),
    [
        ("fi", "Ilmoitusasetukset", "Sähköposti-ilmoitukset", "Kuittaus jätetystä hakemuksesta",
         "Lakisääteinen: tämä ilmoitus lähetetään aina, eikä sitä voi kytkeä pois päältä."),
        ("sv", "Inställningar för meddelanden", "Meddelanden per e-post",
         "Kvitto på en inlämnad ansökan",
         "Lagstadgat: detta meddelande skickas alltid och kan inte stängas av."),
        ("en", "Notice preferences", "E-mail notices", "Receipt of a submitted application",
         "Required by law: this notice is always sent and cannot be switched off."),
    ],
)  # fmt: skip
def test_preferences_page_shows_every_kind_and_the_required_ones_locked(
    client, language, title, legend, label, required
):
    user = UserFactory()
    NoticePreferenceFactory(user=user, kind="application.withdrawn", enabled=False)
    client.force_login(user)

    response = client.get(url("notifications:preferences", language))

    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r"<h1[^>]*>(.*?)</h1>", body).group(1) == title
    assert f"<legend>{legend}</legend>" in body
    assert f">{label}</label>" in body
    assert body.count(required) == 2
    assert checkboxes(response) == {
        field("application.receipt"): (True, True),
        field("application.completion_requested"): (True, True),
        field("application.partner_invited"): (True, False),
        field("application.withdrawn"): (False, False),
        field("application.late_admission"): (True, False),
        field("application.invited_to_full_phase"): (True, False),
        field("export.ready"): (True, False),
        field("application.partner_invitation"): (True, False),
        field("application.partner_confirmed"): (True, False),
    }


def test_saving_preferences_switches_kinds_off_but_never_a_required_one(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        url("notifications:preferences", "en"),
        {field("application.partner_invited"): "on", field("export.ready"): "on"},
        follow=True,
    )

    assert response.redirect_chain == [(url("notifications:preferences", "en"), 302)]
    assert "Your notice preferences have been saved." in response.content.decode()
    assert dict(NoticePreference.objects.filter(user=user).values_list("kind", "enabled")) == {
        "application.withdrawn": False,
        "application.late_admission": False,
        "application.invited_to_full_phase": False,
        "application.partner_invitation": False,
        "application.partner_confirmed": False,
    }
    assert checkboxes(response)[field("application.receipt")] == (True, True)
    assert checkboxes(response)[field("application.withdrawn")] == (False, False)


def test_notice_list_shows_only_the_users_own_notices(client):
    user = UserFactory(email="maija@example.fi")
    NoticeFactory(
        recipient=user,
        kind="application.withdrawn",
        state=Notice.State.SUPPRESSED,
        created_at=datetime(2021, 6, 3, 7, 0, tzinfo=UTC),
    )
    NoticeFactory(
        recipient=user,
        state=Notice.State.SENT,
        created_at=datetime(2021, 6, 2, 13, 15, tzinfo=UTC),
    )
    NoticeFactory(recipient=UserFactory(), kind="export.ready")
    client.force_login(user)

    response = client.get(url("notifications:notice_list", "en"))

    rows = re.findall(
        r'<tr>\s*<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
        response.content.decode(),
    )
    assert rows == [
        ("Withdrawn application", "3 June 2021 at 10:00 Finnish time", "maija@example.fi",
         "Not sent: switched off"),
        ("Receipt of a submitted application", "2 June 2021 at 16:15 Finnish time",
         "maija@example.fi", "Sent"),
    ]  # fmt: skip


def test_notice_list_says_when_there_are_none(client):
    client.force_login(UserFactory())
    response = client.get(url("notifications:notice_list", "sv"))
    assert "Inga meddelanden har skickats till dig ännu." in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_notice_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, count):
    user = UserFactory()
    NoticeFactory.create_batch(count, recipient=user)
    client.force_login(user)
    # The session, the user, the staff two-factor check of the middleware, the notices.
    with django_assert_num_queries(4):
        response = client.get(url("notifications:notice_list"))
    assert response.content.decode().count('<th scope="row">') == count


def test_notice_list_shows_the_latest_fifty(client):
    user = UserFactory()
    NoticeFactory.create_batch(51, recipient=user)
    client.force_login(user)
    response = client.get(url("notifications:notice_list", "en"))
    body = response.content.decode()
    assert body.count('<th scope="row">') == 50
    assert "<caption>Your latest 50 notices</caption>" in body

"""Session limits: staff rights are signed out after 30 idle minutes and 12 hours in all,
applicants after 60 idle minutes and 12 hours; any request (an autosave too) is activity;
the warning dialog knows the time left; nothing typed is lost (issue 11, item 10)."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import translation

from regionet.accounts import session_limits
from regionet.accounts.session_limits import ACTIVE_AT, SIGNED_IN_AT, STAFF
from tests.factories import ApplicationFactory, FunderRoleFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

MINUTE, HOUR = 60, 3600
PAGE = "/en/my/"


def staff_user(**flags):
    user = FunderRoleFactory(role="programme_officer", **flags).user
    TOTP.activate(user, generate_totp_secret())
    return user


def superuser():
    user = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def signed_in(client, user, *, idle=0, signed_in_ago=None):
    """``user`` signed in ``signed_in_ago`` seconds ago, last active ``idle`` seconds ago."""
    client.force_login(user)
    now = int(time.time())
    session = client.session
    session[SIGNED_IN_AT] = now - (idle if signed_in_ago is None else signed_in_ago)
    session[ACTIVE_AT] = now - idle
    session.save()
    return client


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


PEOPLE = {"officer": staff_user, "superuser": superuser, "applicant": UserFactory}


@pytest.mark.parametrize(
    ("person", "idle", "still_signed_in"),
    [
        ("officer", 29 * MINUTE, True),
        ("officer", 31 * MINUTE, False),
        ("superuser", 31 * MINUTE, False),
        ("applicant", 31 * MINUTE, True),
        ("applicant", 59 * MINUTE, True),
        ("applicant", 61 * MINUTE, False),
    ],
)
def test_the_idle_limit_of_staff_and_of_applicants(client, person, idle, still_signed_in):
    signed_in(client, PEOPLE[person](), idle=idle)
    response = client.get(PAGE)
    assert is_signed_in(client) is still_signed_in
    assert response.status_code == (200 if still_signed_in else 302)


@pytest.mark.parametrize(
    ("person", "age", "still_signed_in"),
    [
        ("officer", 11 * HOUR + 59 * MINUTE, True),
        ("officer", 12 * HOUR + MINUTE, False),
        ("applicant", 11 * HOUR + 59 * MINUTE, True),
        ("applicant", 12 * HOUR + MINUTE, False),
    ],
)
def test_the_absolute_limit_holds_however_active(client, person, age, still_signed_in):
    signed_in(client, PEOPLE[person](), idle=10, signed_in_ago=age)
    client.get(PAGE)
    assert is_signed_in(client) is still_signed_in


def test_the_signed_out_user_is_told_why_and_asked_to_sign_in(client):
    signed_in(client, staff_user(), idle=31 * MINUTE)
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain == [(f"/en/accounts/login/?next={PAGE}", 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "You were signed out after 30 minutes without activity. Sign in again to continue: "
        "what you saved is kept."
    ]


def test_the_limits_are_settings(client, settings):
    settings.REGIONET_SESSION_IDLE_MINUTES = 20
    signed_in(client, UserFactory(), idle=21 * MINUTE)
    client.get(PAGE)
    assert is_signed_in(client) is False


def test_signing_in_stamps_the_session(client):
    user = UserFactory()
    before = int(time.time())
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    session = client.session
    assert before <= session[SIGNED_IN_AT] <= int(time.time())
    assert session[ACTIVE_AT] == session[SIGNED_IN_AT]
    assert session[STAFF] is False


def test_a_request_stamps_activity_at_most_once_a_minute(client):
    signed_in(client, UserFactory(), idle=30)
    client.get(PAGE)
    assert int(time.time()) - client.session[ACTIVE_AT] >= 30

    signed_in(client, UserFactory(), idle=2 * MINUTE)
    client.get(PAGE)
    assert int(time.time()) - client.session[ACTIVE_AT] <= 1


def test_an_autosave_post_keeps_a_typing_applicant_signed_in(client):
    """50 idle minutes, then an autosave: activity now, so 20 minutes later the applicant
    is still signed in (70 minutes after the last page was loaded)."""
    application = ApplicationFactory()
    signed_in(client, application.created_by, idle=50 * MINUTE)
    with translation.override("en"):
        address = reverse("applications:basics", kwargs={"pk": application.pk})
    response = client.post(
        address,
        {"title": "Kirjoitan yhä", "summary": "", "version": 0, "autosave": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert int(time.time()) - client.session[ACTIVE_AT] <= 1

    session = client.session
    session[ACTIVE_AT] -= 20 * MINUTE
    session.save()
    assert client.get(PAGE).status_code == 200
    assert is_signed_in(client) is True


def test_an_autosave_after_the_limit_answers_signed_out_and_a_post_shows_the_text_back(client):
    """Past the limit nothing is saved, and nothing typed is lost: the autosave says "signed
    out" (the page keeps the text), a form posted without JavaScript shows it back."""
    application = ApplicationFactory()
    signed_in(client, application.created_by, idle=61 * MINUTE)
    with translation.override("en"):
        address = reverse("applications:basics", kwargs={"pk": application.pk})
    autosave = client.post(
        address,
        {"title": "Kesken", "summary": "", "version": 0, "autosave": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert (autosave.status_code, autosave["X-Save-Status"]) == (401, "signed_out")

    signed_in(client, application.created_by, idle=61 * MINUTE)
    posted = client.post(
        address, {"title": "Pitkä otsikko", "summary": "Tiivistelmä, jota ei hukata.", "version": 0}
    )
    assert posted.status_code == 401
    assert "Tiivistelmä, jota ei hukata.</textarea>" in posted.content.decode()


def test_stay_signed_in_stamps_activity_and_tells_the_time_left(client):
    signed_in(client, staff_user(), idle=26 * MINUTE, signed_in_ago=2 * HOUR)
    response = client.post("/en/session/keep-alive/")
    assert response.status_code == 200
    left = response.json()
    assert (left["signed_in"], left["idle"], left["idle_limit"]) == (True, 30 * MINUTE, 1800)
    assert 10 * HOUR - 5 <= left["absolute"] <= 10 * HOUR
    assert int(time.time()) - client.session[ACTIVE_AT] <= 1


def test_stay_signed_in_after_the_end_answers_401(client):
    signed_in(client, staff_user(), idle=31 * MINUTE)
    response = client.post("/en/session/keep-alive/")
    assert response.status_code == 401
    assert response.json() == {"signed_in": False}
    assert client.get("/en/session/keep-alive/").status_code == 405


def test_the_pages_carry_the_warning_dialog_with_the_time_left(client):
    signed_in(client, UserFactory(), idle=10 * MINUTE)
    body = client.get(PAGE).content.decode()
    assert '<dialog class="session-warning" id="session-warning"' in body
    # The stamp was older than a minute: this request is the activity, a full hour left.
    assert 'data-idle-seconds="3600"' in body
    assert 'data-warning-seconds="300"' in body
    assert 'data-keep-alive-url="/en/session/keep-alive/"' in body
    assert '<script src="/static/accounts/session_limits.js" defer></script>' in body
    assert "<script>" not in body


def test_anonymous_pages_have_no_warning(client):
    assert "session-warning" not in client.get("/en/").content.decode()


def test_the_staff_interface_carries_the_warning_too(client):
    signed_in(client, superuser(), idle=10 * MINUTE)
    body = client.get("/en/admin/").content.decode()
    assert 'data-idle-seconds="1800"' in body


def test_a_role_granted_during_the_session_takes_the_staff_limits_at_the_next_stamp(client):
    user = UserFactory()
    signed_in(client, user, idle=2 * MINUTE)
    client.get(PAGE)
    assert client.session[STAFF] is False
    FunderRoleFactory(user=user, role="reviewer")
    TOTP.activate(user, generate_totp_secret())
    session = client.session
    session[ACTIVE_AT] -= 2 * MINUTE
    session.save()
    client.get(PAGE)
    assert client.session[STAFF] is True
    assert session_limits.staff_limits().idle == 30 * MINUTE


def test_a_page_costs_no_query_for_the_limits_between_stamps(client, django_assert_num_queries):
    """Between two stamps the limits come from the session: no query of roles."""
    from django.test import RequestFactory

    user = UserFactory()
    signed_in(client, user, idle=5)
    request = RequestFactory().get(PAGE)
    request.user = user
    request.session = client.session
    assert request.session[STAFF] is False  # the session loaded, as Django does once
    middleware = session_limits.SessionLimitsMiddleware(lambda request: "page")
    with django_assert_num_queries(0):
        assert middleware(request) == "page"


def test_the_message_and_the_dialog_speak_finnish(client):
    signed_in(client, UserFactory(), idle=5 * MINUTE)
    body = client.get("/fi/my/").content.decode()
    assert "Sinut kirjataan pian ulos" in body
    assert "Pysy kirjautuneena" in body
    signed_in(client, UserFactory(), idle=61 * MINUTE)
    response = client.get("/fi/my/", follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Sinut kirjattiin ulos, koska et ollut tehnyt mitään 60 minuuttiin. Kirjaudu uudelleen "
        "jatkaaksesi: tallentamasi tiedot säilyvät."
    ]

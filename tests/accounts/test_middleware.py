"""Funder staff without an authenticator app are sent to set one up; others never are."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import translation

from tests.factories import FunderRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def officer(db):
    return FunderRoleFactory(role="programme_officer").user


def test_staff_without_totp_is_redirected_to_totp_activation(client, officer):
    client.force_login(officer)
    response = client.get(url("accounts:organisation_list"))
    assert response.status_code == 302
    assert response["Location"] == url("mfa_activate_totp")
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert "Your role with a funder requires two-factor authentication." in page.content.decode()


@pytest.mark.parametrize("role", ["reviewer", "decision_maker", "administrator"])
def test_every_staff_role_needs_totp(client, role):
    client.force_login(FunderRoleFactory(role=role).user)
    assert client.get(url("accounts:organisation_list"))["Location"] == url("mfa_activate_totp")


def test_staff_with_totp_is_not_redirected(client, officer):
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    assert client.get(url("accounts:organisation_list")).status_code == 200


def test_recovery_codes_alone_are_not_enough(client, officer):
    Authenticator.objects.create(
        user=officer, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"}
    )
    client.force_login(officer)
    assert client.get(url("accounts:organisation_list")).status_code == 302


def test_applicant_is_never_redirected(client):
    client.force_login(FunderRoleFactory(role="applicant").user)
    assert client.get(url("accounts:organisation_list")).status_code == 200


def test_user_without_roles_and_anonymous_are_not_redirected(client):
    assert client.get(url("portal:accessibility")).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url("accounts:organisation_list")).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "mfa_activate_totp",
        "mfa_index",
        "account_reauthenticate",
        "portal:accessibility",
        "portal:privacy",
    ],
)
def test_exempt_pages_stay_reachable(client, officer, name):
    client.force_login(officer)
    response = client.get(url(name))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != url("mfa_activate_totp")


def test_staff_can_sign_out_and_switch_language(client, officer):
    client.force_login(officer)
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/sv/"})
    assert response.status_code == 302
    assert response["Location"] == "/sv/"
    response = client.post(url("account_logout"))
    assert response.status_code == 302
    assert response["Location"] != url("mfa_activate_totp")
    assert "_auth_user_id" not in client.session


def test_static_files_are_not_redirected():
    from regionet.accounts.middleware import is_exempt

    assert is_exempt("/static/regionet/regionet.css") is True
    # LocaleMiddleware, before this one, has activated the language of the path.
    with translation.override("en"):
        assert is_exempt("/en/organisations/") is False


@pytest.mark.parametrize(
    "flags",
    [{"is_superuser": True, "is_staff": True}, {"is_superuser": True}, {"is_staff": True}],
    ids=["superuser", "superuser-without-staff-status", "staff-status"],
)
@pytest.mark.parametrize(
    "path", ["/en/admin/", "/en/workspace/", "/en/applications/", "/en/organisations/"]
)
def test_admin_rights_without_totp_are_sent_to_set_it_up(client, flags, path):
    """A superuser or an admin-site user has rights beyond any applicant's: no page until
    an authenticator app is set up (issue 11, item 5)."""
    client.force_login(UserFactory(**flags))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == url("mfa_activate_totp")


def test_a_superuser_with_totp_enters_the_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get("/en/admin/").status_code == 200


def test_the_message_names_administrator_rights(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get("/en/admin/", follow=True)
    # Setting it up asks for the password again first.
    assert page.redirect_chain[0] == (url("mfa_activate_totp"), 302)
    assert (
        "Your administrator rights require two-factor authentication. "
        "Set up an authenticator app to continue."
    ) in page.content.decode()


@pytest.mark.parametrize(
    "flags", [{}, {"is_superuser": True, "is_staff": True}], ids=["applicant", "superuser"]
)
def test_the_check_costs_one_query(flags, django_assert_num_queries):
    from django.test import RequestFactory
    from django.urls import resolve

    from regionet.accounts.middleware import RequireStaffTwoFactorMiddleware

    request = RequestFactory().get("/en/organisations/")
    request.user = UserFactory(**flags)
    TOTP.activate(request.user, generate_totp_secret())
    middleware = RequireStaffTwoFactorMiddleware(lambda request: "page")
    with translation.override("en"):
        request.resolver_match = resolve(request.path_info)
    with translation.override("en"), django_assert_num_queries(1):
        # The gate asks in process_view, once Django has resolved the URL: None lets it pass.
        assert middleware.process_view(request, None, (), {}) is None
        assert middleware(request) == "page"

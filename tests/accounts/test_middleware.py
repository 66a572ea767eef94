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

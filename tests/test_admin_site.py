"""Who may enter the staff interface (Django's admin)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from regionet.accounts.models import FunderRole
from tests.factories import FunderRoleFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def admin_index_status(client, user):
    client.force_login(user)
    return client.get("/fi/admin/").status_code


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (FunderRole.Role.PROGRAMME_OFFICER, 200),
        (FunderRole.Role.ADMINISTRATOR, 200),
        (FunderRole.Role.REVIEWER, 302),
        (FunderRole.Role.DECISION_MAKER, 302),
        (FunderRole.Role.APPLICANT, 302),
    ],
)
def test_funder_roles_that_configure_programmes_enter_the_admin(client, role, status):
    funder_role = FunderRoleFactory(role=role)
    TOTP.activate(funder_role.user, generate_totp_secret())
    assert admin_index_status(client, funder_role.user) == status


def test_a_user_without_roles_is_sent_to_the_admin_login(client):
    response = client.get("/fi/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/admin/login/?next=/fi/admin/"
    assert admin_index_status(client, UserFactory()) == 302


def test_superuser_enters_and_the_admin_speaks_swedish(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    response = client.get("/sv/admin/")
    assert response.status_code == 200
    assert "<title>Konfiguration | Regionet – handläggarvy</title>" in response.content.decode()


def test_the_admin_login_page_sends_to_the_sites_sign_in(client):
    """Django's own admin login asks for a password only: the site's sign-in (allauth) asks
    for the second factor too, and holds the login throttle (issue 11, item 5)."""
    response = client.get("/fi/admin/login/?next=/fi/admin/programmes/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/login/?next=/fi/admin/programmes/"


def test_a_password_posted_to_the_admin_login_signs_nobody_in(client):
    user = UserFactory(is_staff=True, is_superuser=True, email="root@example.fi")
    TOTP.activate(user, generate_totp_secret())
    response = client.post(
        "/fi/admin/login/?next=/fi/admin/",
        {"username": "root@example.fi", "password": PASSWORD, "next": "/fi/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/login/?next=/fi/admin/"
    assert "_auth_user_id" not in client.session
    assert client.get("/fi/admin/").status_code == 302


def test_a_signed_in_user_without_rights_is_refused_not_asked_to_sign_in_again(client):
    client.force_login(UserFactory())
    response = client.get("/fi/admin/", follow=True)
    assert response.redirect_chain == [("/fi/admin/login/?next=/fi/admin/", 302)]
    assert response.status_code == 403

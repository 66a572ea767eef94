"""The signed-in user's own page links to their applications, their notices and, for
programme officers and administrators, the officers' workspace."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from regionet.accounts.models import FunderRole
from tests.factories import FunderRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def workspace_link(response) -> bool:
    return reverse("workspace:index") in response.content.decode()


def test_an_applicant_sees_applications_and_notices_but_no_workspace(client):
    user = UserFactory()
    FunderRoleFactory(user=user, role=FunderRole.Role.APPLICANT)
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("applications:list") in page
    assert reverse("notifications:notice_list") in page
    assert reverse("notifications:preferences") in page
    assert workspace_link(response) is False


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (FunderRole.Role.PROGRAMME_OFFICER, True),
        (FunderRole.Role.ADMINISTRATOR, True),
        (FunderRole.Role.REVIEWER, False),
        (FunderRole.Role.DECISION_MAKER, False),
    ],
)
def test_the_workspace_link_is_for_officers_and_administrators(client, role, shown):
    user = UserFactory()
    FunderRoleFactory(user=user, role=role)
    # Staff roles must have two-factor authentication, or the middleware sends them to set it up.
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert workspace_link(response) is shown

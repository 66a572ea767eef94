"""The admin pages of accounts open for a superuser."""

import pytest

from tests.factories import FunderRoleFactory, InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["user", "organisation", "membership", "invitation", "funderrole"]
)
def test_admin_changelist_and_change_page(admin_client, model):
    membership = MembershipFactory()
    objects = {
        "user": membership.user,
        "organisation": membership.organisation,
        "membership": membership,
        "invitation": InvitationFactory(),
        "funderrole": FunderRoleFactory(),
    }
    assert admin_client.get(f"/en/admin/accounts/{model}/").status_code == 200
    page = admin_client.get(f"/en/admin/accounts/{model}/{objects[model].pk}/change/")
    assert page.status_code == 200


def test_organisation_admin_edits_names_in_three_languages(admin_client):
    organisation = MembershipFactory().organisation
    body = admin_client.get(
        f"/en/admin/accounts/organisation/{organisation.pk}/change/"
    ).content.decode()
    for field in ("name_fi", "name_sv", "name_en"):
        assert f'name="{field}"' in body


def test_invitations_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get("/en/admin/accounts/invitation/add/").status_code == 403

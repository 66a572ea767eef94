"""The admin pages of accounts open for a superuser."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from regionet.accounts.models import Organisation
from tests.factories import (
    FunderRoleFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    country,
    current_municipality,
)

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


def test_memberships_are_shown_not_changed_in_the_admin(admin_client, admin_user):
    """A member reads the organisation's drafts: nobody joins through the admin."""
    membership = MembershipFactory()
    organisation = membership.organisation
    assert admin_client.get("/en/admin/accounts/membership/add/").status_code == 403
    response = admin_client.post(
        "/en/admin/accounts/membership/add/",
        {"user": admin_user.pk, "organisation": organisation.pk, "role": "admin"},
    )
    assert response.status_code == 403
    page = admin_client.get(f"/en/admin/accounts/membership/{membership.pk}/change/")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    body = admin_client.get(
        f"/en/admin/accounts/organisation/{organisation.pk}/change/"
    ).content.decode()
    assert 'name="memberships-0-user"' not in body
    assert list(organisation.memberships.values_list("user", flat=True)) == [membership.user_id]


@pytest.fixture
def platform_admin_client(client):
    """A superuser who has set up two-factor authentication, as every superuser must."""
    user = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def organisation_add_data(business_id, **overrides):
    data = {
        "name_fi": "Hallinnon Oy",
        "name_sv": "",
        "name_en": "",
        "type": "company",
        "country": country("FI").pk,
        "business_id": business_id,
        "home_municipality": current_municipality("FI").pk,
        "municipality": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_refuses_a_y_tunnus_with_a_wrong_check_digit(platform_admin_client):
    """The rule lives in the model, so the admin holds it too (issue 11, item 18)."""
    response = platform_admin_client.post(
        "/en/admin/accounts/organisation/add/", organisation_add_data("0112038-8")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["business_id"] == [
        "The Finnish business ID (Y-tunnus) 0112038-8 is not valid: its check digit (the "
        "last digit) does not match the other digits. Check the number."
    ]
    assert Organisation.objects.count() == 0


def test_admin_reads_a_business_id_typed_with_a_prefix_and_spaces(platform_admin_client):
    response = platform_admin_client.post(
        "/en/admin/accounts/organisation/add/", organisation_add_data("FI 0112038-9")
    )
    assert response.status_code == 302
    assert Organisation.objects.get().business_id == "0112038-9"


def test_admin_saves_a_valid_business_id_in_its_standard_form(platform_admin_client):
    response = platform_admin_client.post(
        "/en/admin/accounts/organisation/add/", organisation_add_data("FI01120389")
    )
    assert response.status_code == 302
    assert Organisation.objects.get().business_id == "0112038-9"


def test_admin_refuses_a_swedish_number_for_a_finnish_organisation(platform_admin_client):
    response = platform_admin_client.post(
        "/en/admin/accounts/organisation/add/", organisation_add_data("212000-0142")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["business_id"] == [
        "“212000-0142” is not a Finnish business ID (Y-tunnus). Write seven digits, a hyphen "
        "and the check digit, for example 0112038-9."
    ]
    assert Organisation.objects.count() == 0

"""Who may do what with organisations and funders: the registered predicates and permissions."""

import pytest
import rules

from regionet.accounts import rules as account_rules
from tests.factories import FunderRoleFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisation_permissions_by_membership():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role="admin").user
    member = MembershipFactory(organisation=organisation, role="member").user
    admin_elsewhere = MembershipFactory(role="admin").user
    outsider = UserFactory()

    expected = {
        # user: (view_organisation, view_members, manage_members)
        admin: (True, True, True),
        member: (True, True, False),
        admin_elsewhere: (False, False, False),
        outsider: (False, False, False),
    }
    for user, permissions in expected.items():
        assert (
            user.has_perm("accounts.view_organisation", organisation),
            user.has_perm("accounts.view_members", organisation),
            user.has_perm("accounts.manage_members", organisation),
        ) == permissions, user


def test_predicates_compose():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    either = account_rules.is_organisation_admin | account_rules.is_organisation_member
    assert either.test(member, organisation) is True
    assert account_rules.is_organisation_admin.test(member, organisation) is False


@pytest.mark.parametrize(
    ("role", "predicate_name"),
    [
        ("applicant", "is_applicant_of"),
        ("programme_officer", "is_programme_officer_of"),
        ("reviewer", "is_reviewer_of"),
        ("decision_maker", "is_decision_maker_of"),
        ("administrator", "is_funder_administrator_of"),
    ],
)
def test_funder_role_predicates(role, predicate_name):
    holding = FunderRoleFactory(role=role)
    other_funder = OrganisationFactory(is_funder=True)
    predicates = [
        "is_applicant_of",
        "is_programme_officer_of",
        "is_reviewer_of",
        "is_decision_maker_of",
        "is_funder_administrator_of",
    ]
    results = {
        name: getattr(account_rules, name).test(holding.user, holding.funder) for name in predicates
    }
    assert results == {name: name == predicate_name for name in predicates}
    assert getattr(account_rules, predicate_name).test(holding.user, other_funder) is False
    staff = role != "applicant"
    assert account_rules.is_staff_of.test(holding.user, holding.funder) is staff
    assert account_rules.has_staff_role.test(holding.user) is staff


def test_manage_funder_roles_only_for_that_funders_administrators():
    holding = FunderRoleFactory(role="administrator")
    assert holding.user.has_perm("accounts.manage_funder_roles", holding.funder) is True
    assert (
        holding.user.has_perm("accounts.manage_funder_roles", OrganisationFactory(is_funder=True))
        is False
    )
    officer = FunderRoleFactory(funder=holding.funder, role="programme_officer").user
    assert officer.has_perm("accounts.manage_funder_roles", holding.funder) is False


def test_registered_permission_names():
    for name in (
        "accounts.register_organisation",
        "accounts.view_organisation",
        "accounts.view_members",
        "accounts.manage_members",
        "accounts.manage_funder_roles",
    ):
        assert rules.perm_exists(name), name


def test_the_platform_administrator_and_staff_rights():
    from django.contrib.auth.models import AnonymousUser

    people = {
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "inactive superuser": UserFactory(is_superuser=True, is_staff=True, is_active=False),
        "admin site user": UserFactory(is_staff=True),
        "officer": FunderRoleFactory(role="programme_officer").user,
        "applicant": FunderRoleFactory(role="applicant").user,
        "no role": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    answers = {
        name: (
            account_rules.is_platform_administrator.test(user),
            account_rules.has_staff_rights.test(user),
        )
        for name, user in people.items()
    }
    assert answers == {
        "superuser": (True, True),
        "inactive superuser": (False, False),
        "admin site user": (False, True),
        "officer": (False, True),
        "applicant": (False, False),
        "no role": (False, False),
        "anonymous": (False, False),
    }


def test_a_superuser_is_let_past_no_rule_that_does_not_name_it():
    """Django answers every permission True for an active superuser; here only the rules
    and the admin site's model permissions (with no object) do."""
    superuser = UserFactory(is_superuser=True, is_staff=True)
    organisation = MembershipFactory(role="admin").organisation
    assert superuser.has_perm("accounts.view_organisation", organisation) is False
    assert superuser.has_perm("accounts.manage_members", organisation) is False
    # Who is a funder's staff is the platform administrator's to say (rules name it).
    funder = FunderRoleFactory().funder
    assert superuser.has_perm("accounts.manage_funder_roles", funder) is True
    assert superuser.has_perm("accounts.manage_funder_roles", organisation) is False
    # The admin site's pages of users and organisations: the model permissions.
    assert superuser.has_perm("accounts.change_user") is True
    assert superuser.has_module_perms("accounts") is True

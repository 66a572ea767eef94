"""The demo data: funders, organisations of every type in real municipalities, accounts."""

from collections import Counter

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate

from regionet.accounts.business_ids import normalise_business_id
from regionet.accounts.models import FunderRole, Membership, Organisation, User
from regionet.demo import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    assert services.load_demo() is True


def test_demo_has_both_funders(demo):
    funders = Organisation.objects.funders().order_by("country__code")
    assert [(f.country.code, f.name_fi) for f in funders] == [
        ("FI", "Työ- ja elinkeinoministeriö"),
        ("SE", "Tillväxtverket"),
    ]


def test_demo_organisations_cover_every_type_with_valid_business_ids(demo):
    organisations = Organisation.objects.select_related("country", "home_municipality")
    assert organisations.count() == 36
    assert set(Counter(o.type for o in organisations)) == set(Organisation.Type.values)
    for organisation in organisations:
        code = organisation.country.code
        assert normalise_business_id(code, organisation.business_id) == organisation.business_id
        assert organisation.home_municipality.country.code == code
        assert organisation.home_municipality.is_valid_in(2026)


def test_municipality_organisations_are_tied_to_their_municipality(demo):
    oulu = Organisation.objects.get(name_fi="Oulun kaupunki")
    assert oulu.type == Organisation.Type.MUNICIPALITY
    assert (oulu.municipality.code, oulu.municipality.name_fi) == ("564", "Oulu")


def test_one_account_per_role_and_all_sign_in(demo):
    roles = Counter(FunderRole.objects.values_list("role", flat=True))
    assert roles == {
        "administrator": 2,
        "programme_officer": 2,
        "decision_maker": 1,
        "reviewer": 1,
        "applicant": 3,
    }
    for account in services.ACCOUNTS:
        assert authenticate(email=account.email, password=services.DEMO_PASSWORD) is not None
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        "yllapitaja@regionet.example"
    ]


def test_coordinator_is_admin_of_oulu(demo):
    membership = Membership.objects.get(user__email="hakija@oulu.example")
    assert (membership.organisation.name_fi, membership.role) == ("Oulun kaupunki", "admin")


def test_staff_accounts_have_a_working_totp_and_applicants_none(demo):
    staff = {a.email for a in services.ACCOUNTS if a.is_staff_role_holder}
    assert staff == {
        "yllapitaja@regionet.example",
        "valmistelija@tem.example",
        "esittelija@tem.example",
        "arvioija@regionet.example",
        "handlaggare@tillvaxtverket.example",
    }
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert with_totp == staff
    authenticator = Authenticator.objects.get(user__email="valmistelija@tem.example")
    code = services.current_totp_code("valmistelija@tem.example")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert TOTP(authenticator).validate_code(wrong) is False
    assert TOTP(authenticator).validate_code(code) is True


def test_loading_twice_changes_nothing(demo):
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    assert services.load_demo() is False
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_every_demo_account_with_staff_rights_has_totp_and_a_valid_password(demo):
    """Superuser and staff status need two-factor sign-in as funder staff roles do (issue 11,
    item 5); the one demo password passes the password validators (at least 12 characters)."""
    from django.contrib.auth.password_validation import validate_password

    from regionet.accounts.rules import has_staff_rights

    with_rights = {user.email for user in User.objects.all() if has_staff_rights.test(user)}
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert with_rights == with_totp
    assert "yllapitaja@regionet.example" in with_rights
    for user in User.objects.all():
        validate_password(services.DEMO_PASSWORD, user)


def test_every_demo_account_has_a_verified_address(demo):
    """Acting for an organisation needs one (issue 11, item 13): the demo's accounts can."""
    users = User.objects.order_by("email")
    assert [user.has_perm("accounts.act_for_organisations") for user in users] == [True] * len(
        services.ACCOUNTS
    )

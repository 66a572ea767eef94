"""Users by e-mail and the invariants the database keeps for organisations."""

import pytest
from django.db import IntegrityError

from regionet.accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_by_email():
    user = User.objects.create_user("  Maija.Meikalainen@Example.FI ", "salasana-pitkä-123")
    assert user.email == "maija.meikalainen@example.fi"
    assert user.check_password("salasana-pitkä-123")
    assert (user.is_staff, user.is_superuser, user.preferred_language) == (False, False, "fi")
    assert User.objects.get_by_natural_key("MAIJA.meikalainen@example.fi") == user


def test_create_superuser():
    user = User.objects.create_superuser("root@example.fi", "salasana-pitkä-123")
    assert (user.is_staff, user.is_superuser) == (True, True)


def test_email_is_unique_ignoring_case():
    UserFactory(email="sama@example.fi")
    with pytest.raises(IntegrityError):
        User.objects.create(email="SAMA@example.fi")


def test_business_id_is_unique_per_country():
    OrganisationFactory(business_id="0112038-9")
    with pytest.raises(IntegrityError):
        OrganisationFactory(business_id="0112038-9")


def test_only_a_municipality_organisation_has_a_municipality(helsinki):
    with pytest.raises(IntegrityError):
        OrganisationFactory(type=Organisation.Type.COMPANY, municipality=helsinki)


def test_a_municipality_organisation_must_have_its_municipality():
    with pytest.raises(IntegrityError):
        OrganisationFactory(type=Organisation.Type.MUNICIPALITY, municipality=None)


def test_one_organisation_per_municipality(helsinki):
    OrganisationFactory(type="municipality", municipality=helsinki, home_municipality=helsinki)
    with pytest.raises(IntegrityError):
        OrganisationFactory(type="municipality", municipality=helsinki, home_municipality=helsinki)

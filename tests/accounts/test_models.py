"""Users by e-mail and the invariants the database keeps for organisations."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

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


# --- The business ID, held by the model and the database (issue 11, item 18) ---------------


def unsaved_organisation(country_code, business_id):
    organisation = OrganisationFactory.build(country_code=country_code)
    organisation.business_id = business_id
    return organisation


@pytest.mark.parametrize(
    ("country_code", "business_id", "message"),
    [
        (
            "FI",
            "0112038-8",
            "The Finnish business ID (Y-tunnus) 0112038-8 is not valid: its check digit (the "
            "last digit) does not match the other digits. Check the number.",
        ),
        (
            "SE",
            "212000-0141",
            "The Swedish organisation number 212000-0141 is not valid: its check digit (the "
            "last digit) does not match the other digits. Check the number.",
        ),
        (
            "SE",
            "0112038-9",
            "“0112038-9” is not a Swedish organisation number (organisationsnummer). Write ten "
            "digits as six digits, a hyphen and four digits, for example 212000-0142.",
        ),
        (
            "FI",
            "",
            "This field cannot be blank.",
        ),
    ],
)
def test_full_clean_refuses_a_wrong_business_id(country_code, business_id, message):
    organisation = unsaved_organisation(country_code, business_id)
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            organisation.full_clean()
        assert raised.value.message_dict["business_id"] == [message]


@pytest.mark.parametrize(
    ("country_code", "business_id"), [("FI", "1234567-8"), ("FI", "556036-0793")]
)
def test_saving_from_the_shell_or_an_importer_refuses_a_wrong_business_id(
    country_code, business_id
):
    """save() holds the rule too: a wrong check digit, or a Swedish number on a Finnish
    organisation, both in the standard form the database's constraint lets through."""
    organisation = unsaved_organisation(country_code, business_id)
    with pytest.raises(ValidationError) as raised:
        organisation.save()
    assert list(raised.value.message_dict) == ["business_id"]
    assert Organisation.objects.filter(business_id=business_id).count() == 0


def test_full_clean_refuses_in_the_language_of_the_user():
    organisation = unsaved_organisation("FI", "0112038-8")
    with translation.override("fi"):
        with pytest.raises(ValidationError) as raised:
            organisation.full_clean()
        assert raised.value.message_dict["business_id"] == [
            "Y-tunnus 0112038-8 ei kelpaa: sen tarkistusmerkki (viimeinen numero) ei täsmää "
            "muihin numeroihin. Tarkista tunnus."
        ]


@pytest.mark.parametrize("typed", ["01120389", "FI0112038-9", "112038-9", "2120000142"])
def test_full_clean_wants_the_standard_form_that_forms_make_of_what_is_typed(typed):
    organisation = unsaved_organisation("FI", typed)
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            organisation.full_clean()
        assert raised.value.message_dict["business_id"] == [
            f"“{typed}” is not a business ID in its standard form: write a Finnish business ID "
            "(Y-tunnus) as 0112038-9 and a Swedish organisation number as 212000-0142."
        ]


def test_full_clean_accepts_a_valid_business_id_of_the_country():
    unsaved_organisation("FI", "0112038-9").full_clean()
    unsaved_organisation("SE", "212000-0142").full_clean()


@pytest.mark.parametrize(
    "business_id",
    ["01120389", "0112038-9 ", "FI0112038-9", "21200-00142", "abcdefg-h", "0112038–9",
     "212000-014X", "1234567--", ""],
)  # fmt: skip
def test_the_database_refuses_a_business_id_in_no_standard_form(business_id):
    organisation = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(business_id=business_id)


@pytest.mark.parametrize("business_id", ["0112038-9", "212000-0142"])
def test_the_database_accepts_both_standard_forms(business_id):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(business_id=business_id)
    organisation.refresh_from_db()
    assert organisation.business_id == business_id

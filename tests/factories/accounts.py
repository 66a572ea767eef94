"""Factories for users, organisations, memberships, invitations and funder roles.

Organisations live in the real reference geography that the test database imports once
(tests/conftest.py): Finnish ones in current Finnish municipalities, Swedish ones in Swedish.
"""

import factory
from allauth.account.models import EmailAddress
from django.apps import apps
from django.utils import timezone

from regionet.accounts.business_ids import make_organisationsnummer, make_y_tunnus
from regionet.accounts.models import (
    FunderRole,
    Invitation,
    Membership,
    Organisation,
    User,
    hash_invitation_token,
)
from regionet.accounts.services import INVITATION_VALIDITY

__all__ = [
    "FunderRoleFactory",
    "InvitationFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "UserFactory",
    "country",
    "current_municipality",
    "unique_y_tunnus",
]

PASSWORD = "correct horse battery staple"


def country(code):
    return apps.get_model("places", "Country").objects.get(code=code)


def current_municipalities(code):
    return (
        apps.get_model("places", "Municipality")
        .objects.filter(country__code=code)
        .valid_in(timezone.localdate().year)
        .order_by("code")
    )


def current_municipality(code, index=0):
    """The `index`-th current municipality of the country `code`, by municipality code."""
    municipalities = current_municipalities(code)
    return municipalities[index % municipalities.count()]


def unique_y_tunnus(n):
    # Ten consecutive bodies have ten different remainders, so one of them has a check digit.
    return next(filter(None, (make_y_tunnus(3_000_000 + n * 10 + i) for i in range(10))))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    full_name = factory.Faker("name", locale="fi_FI")
    preferred_language = "fi"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """The sign-in address is verified, as every real user's is before they act for an
        organisation; ``UserFactory(email_verified=False)`` leaves it unverified."""
        if create:
            EmailAddress.objects.create(
                user=user, email=user.email, primary=True, verified=extracted is not False
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A Finnish development organisation; `country_code="SE"` makes a Swedish one."""

    class Meta:
        model = Organisation

    class Params:
        country_code = "FI"

    type = Organisation.Type.DEVELOPMENT_ORGANISATION
    country = factory.LazyAttribute(lambda o: country(o.country_code))
    name_fi = factory.Sequence(lambda n: f"Kehitysyhtiö {n} Oy")
    name_sv = factory.Sequence(lambda n: f"Utvecklingsbolag {n} Ab")
    business_id = factory.LazyAttributeSequence(
        lambda o, n: (
            unique_y_tunnus(n)
            if o.country_code == "FI"
            else make_organisationsnummer(556_000_000 + n)
        )
    )
    home_municipality = factory.LazyAttribute(lambda o: current_municipality(o.country_code))
    municipality = None
    is_funder = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its token is `token` (a parameter, only its hash is stored)."""

    class Meta:
        model = Invitation

    class Params:
        token = factory.Sequence(lambda n: f"test-invitation-token-{n}")

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.fi")
    role = Membership.Role.MEMBER
    token_hash = factory.LazyAttribute(lambda o: hash_invitation_token(o.token))
    invited_by = None
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + INVITATION_VALIDITY)


class FunderRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunderRole

    user = factory.SubFactory(UserFactory)
    funder = factory.SubFactory(
        OrganisationFactory,
        is_funder=True,
        type=Organisation.Type.STATE_AUTHORITY,
        name_fi=factory.Sequence(lambda n: f"Rahoittajavirasto {n}"),
    )
    role = FunderRole.Role.PROGRAMME_OFFICER

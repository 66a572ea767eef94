"""What a user manages as a funder's staff: one scope, the platform administrator's included."""

import pytest
from django.contrib.auth.models import AnonymousUser

from regionet.accounts.models import FunderRole
from regionet.programmes import queries
from tests.factories import (
    FunderRoleFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def funders():
    """Two funders with an officer, an administrator and a reviewer of the first, and an
    organisation that is no funder."""
    officer = FunderRoleFactory()
    first = officer.funder
    second = FunderRoleFactory().funder
    administrator = FunderRoleFactory(funder=first, role=FunderRole.Role.ADMINISTRATOR)
    reviewer = FunderRoleFactory(funder=first, role=FunderRole.Role.REVIEWER)
    OrganisationFactory()
    return {
        "first": first,
        "second": second,
        "officer": officer.user,
        "administrator": administrator.user,
        "reviewer": reviewer.user,
    }


def test_the_managed_funders_of_each_person(funders):
    first, second = funders["first"].pk, funders["second"].pk
    platform_administrator = UserFactory(is_superuser=True, is_staff=True)
    scopes = {
        name: set(queries.managed_funder_ids(user).values_list("pk", flat=True))
        for name, user in {
            "officer": funders["officer"],
            "administrator": funders["administrator"],
            "reviewer": funders["reviewer"],
            "platform_administrator": platform_administrator,
            "anonymous": AnonymousUser(),
        }.items()
    }
    assert scopes == {
        "officer": {first},
        "administrator": {first},
        "reviewer": set(),
        "platform_administrator": {first, second},
        "anonymous": set(),
    }


def test_programmes_are_scoped_by_the_managed_funders(funders):
    mine = ProgrammeFactory(funder=funders["first"])
    other = ProgrammeFactory(funder=funders["second"])
    platform_administrator = UserFactory(is_superuser=True, is_staff=True)
    assert set(queries.programmes_managed_by(funders["officer"])) == {mine}
    assert set(queries.programmes_managed_by(platform_administrator)) == {mine, other}
    assert set(queries.programmes_managed_by(funders["reviewer"])) == set()

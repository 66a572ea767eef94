"""Who may do what with an application, in each of its states: every permission of
applications/rules.py against everyone around it (and strangers), exactly."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from regionet.accounts.models import FunderRole, Membership, Organisation
from regionet.applications import services
from regionet.applications.models import Application
from regionet.programmes.deadlines import instant_at
from tests.applications.conftest import draft_in, member_of, phase_closing_at, staff_of
from tests.factories import OrganisationFactory, PartnerFactory

pytestmark = pytest.mark.django_db

DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
BEFORE = DEADLINE - timedelta(days=1)

# The columns of the matrices below, in this order.
PEOPLE = (
    "coordinator_member",
    "coordinator_admin",
    "partner_confirmed",
    "partner_unconfirmed",
    "outsider",
    "officer",
    "funder_admin",
    "other_funders_officer",
    "reviewer",
    "decision_maker",
    "anonymous",
)

# "x" allowed, "." refused, per person in PEOPLE's order.
#                    coordinator  partners  outsider  officer admin other reviewer dm anon
MATRICES = {
    "draft": {
        "view_application": "xx xx . .. . . . .",
        "view_submissions": "xx xx . .. . . . .",
        "download_attachment": "xx xx . .. . . . .",
        "edit_application": "xx .. . .. . . . .",
        "manage_consortium": "xx .. . .. . . . .",
        "submit_application": "xx .. . .. . . . .",
        "withdraw_application": "xx .. . .. . . . .",
        "handle_application": ".. .. . .. . . . .",
    },
    "submitted": {
        "view_application": "xx xx . .. . . . .",
        "view_submissions": "xx xx . xx . . . .",
        "download_attachment": "xx xx . .. . . . .",
        "edit_application": ".. .. . .. . . . .",
        "manage_consortium": ".. .. . .. . . . .",
        "submit_application": ".. .. . .. . . . .",
        "withdraw_application": "xx .. . .. . . . .",
        "handle_application": ".. .. . xx . . . .",
    },
    "completion_requested": {
        "view_application": "xx xx . .. . . . .",
        "view_submissions": "xx xx . xx . . . .",
        "download_attachment": "xx xx . .. . . . .",
        "edit_application": "xx .. . .. . . . .",
        "manage_consortium": "xx .. . .. . . . .",
        "submit_application": "xx .. . .. . . . .",
        "withdraw_application": "xx .. . .. . . . .",
        "handle_application": ".. .. . xx . . . .",
    },
    "withdrawn_after_submission": {
        "view_application": "xx xx . .. . . . .",
        "view_submissions": "xx xx . xx . . . .",
        "download_attachment": "xx xx . .. . . . .",
        "edit_application": ".. .. . .. . . . .",
        "manage_consortium": ".. .. . .. . . . .",
        "submit_application": ".. .. . .. . . . .",
        "withdraw_application": ".. .. . .. . . . .",
        "handle_application": ".. .. . xx . . . .",
    },
    "withdrawn_draft": {
        "view_application": "xx xx . .. . . . .",
        "view_submissions": "xx xx . .. . . . .",
        "download_attachment": "xx xx . .. . . . .",
        "edit_application": ".. .. . .. . . . .",
        "manage_consortium": ".. .. . .. . . . .",
        "submit_application": ".. .. . .. . . . .",
        "withdraw_application": ".. .. . .. . . . .",
        "handle_application": ".. .. . .. . . . .",
    },
}
# applications.handle_call takes the phase: the same in every state.
HANDLE_CALL = ".. .. . xx . . . ."


def expected(pattern: str) -> dict[str, bool]:
    marks = pattern.replace(" ", "")
    assert len(marks) == len(PEOPLE), pattern
    return {person: mark == "x" for person, mark in zip(PEOPLE, marks, strict=True)}


@pytest.fixture
def cast():
    """A draft with a confirmed partner, an organisation about to be an unconfirmed partner
    (see ``in_state``), and everyone around them."""
    application = draft_in(phase_closing_at(DEADLINE))
    confirmed = application.partners.get()
    unconfirmed = OrganisationFactory(type=Organisation.Type.NGO)
    funder = application.phase.call.programme.funder
    other_funder = OrganisationFactory(is_funder=True, type=Organisation.Type.STATE_AUTHORITY)
    people = {
        "coordinator_member": member_of(application.coordinator),
        "coordinator_admin": application.created_by,
        "partner_confirmed": member_of(confirmed.organisation),
        "partner_unconfirmed": member_of(unconfirmed, Membership.Role.ADMIN),
        "outsider": member_of(OrganisationFactory()),
        "officer": staff_of(funder),
        "funder_admin": staff_of(funder, FunderRole.Role.ADMINISTRATOR),
        "other_funders_officer": staff_of(other_funder),
        "reviewer": staff_of(funder, FunderRole.Role.REVIEWER),
        "decision_maker": staff_of(funder, FunderRole.Role.DECISION_MAKER),
        "anonymous": AnonymousUser(),
    }
    assert tuple(people) == PEOPLE
    return application, people


def in_state(application, state, people):
    """The application moved to ``state`` through the doors, then given an unconfirmed partner
    (a submitted application cannot have one: its row is made directly, for the matrix)."""
    coordinator = people["coordinator_admin"]
    if state != "draft" and state != "withdrawn_draft":
        services.submit_application(application, by=coordinator, now=BEFORE)
    if state == "completion_requested":
        services.request_completion(
            application,
            items=["budget"],
            closes_at=DEADLINE + timedelta(days=14),
            by=people["officer"],
            now=DEADLINE,
        )
    if state.startswith("withdrawn"):
        services.withdraw_application(application, reason="", by=coordinator)
    organisation = people["partner_unconfirmed"].memberships.get().organisation
    PartnerFactory(application=application, organisation=organisation)
    return Application.objects.get(pk=application.pk)


def fresh(user):
    """The user without the permission answers remembered on the object."""
    if not user.is_authenticated:
        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("state", list(MATRICES))
def test_the_permissions_of_each_person_in_each_state(cast, state):
    application, people = cast
    application = in_state(application, state, people)
    assert application.state == state.removesuffix("_after_submission").removesuffix("_draft")

    for perm, pattern in MATRICES[state].items():
        # Each answer from a fresh application and user: no remembered membership decides.
        answers = {
            person: fresh(user).has_perm(
                f"applications.{perm}", Application.objects.get(pk=application.pk)
            )
            for person, user in people.items()
        }
        assert answers == expected(pattern), perm


def test_only_the_funders_officers_and_administrators_handle_the_call(cast):
    application, people = cast
    application = in_state(application, "draft", people)

    answers = {
        person: fresh(user).has_perm("applications.handle_call", application.phase)
        for person, user in people.items()
    }

    assert answers == expected(HANDLE_CALL)


def test_officers_see_nothing_of_a_draft_until_it_is_first_submitted(cast):
    application, people = cast
    officer = people["officer"]

    assert fresh(officer).has_perm("applications.view_submissions", application) is False
    assert fresh(officer).has_perm("applications.handle_application", application) is False
    services.submit_application(application, by=people["coordinator_admin"], now=BEFORE)
    application = Application.objects.get(pk=application.pk)
    assert fresh(officer).has_perm("applications.view_submissions", application) is True
    assert fresh(officer).has_perm("applications.handle_application", application) is True
    # The draft itself (the work in progress of a later completion) stays the applicants'.
    assert fresh(officer).has_perm("applications.view_application", application) is False


def test_a_partner_removed_from_the_consortium_no_longer_sees_it(cast):
    application, people = cast
    application = in_state(application, "draft", people)
    partner = application.partners.get(organisation__type=Organisation.Type.NGO)
    member = people["partner_unconfirmed"]
    assert fresh(member).has_perm("applications.view_application", application) is True

    services.remove_partner(partner, by=people["coordinator_admin"])

    application = Application.objects.get(pk=application.pk)
    assert fresh(member).has_perm("applications.view_application", application) is False


def test_the_membership_lookup_is_shared_by_request_user_and_the_user_inside_it(
    django_assert_num_queries,
):
    """``request.user`` is a lazy wrapper, possibly not evaluated yet; the view asks with it
    and the door with the user inside: one lookup serves both."""
    from django.utils.functional import SimpleLazyObject

    from regionet.applications.rules import member_organisation_ids

    organisation = OrganisationFactory()
    user = member_of(organisation)
    lazy = SimpleLazyObject(lambda: user)

    with django_assert_num_queries(1):
        assert member_organisation_ids(lazy) == {organisation.pk}
        assert member_organisation_ids(user) == {organisation.pk}
        assert member_organisation_ids(lazy) == {organisation.pk}


@pytest.mark.parametrize("state", list(MATRICES))
def test_a_platform_administrator_holds_no_permission_on_applications(cast, state):
    """A superuser is Regionet's administrator (users, organisations, reference data), not an
    applicant nor the funder's officer: the rules give it nothing here, in any state."""
    from tests.factories import UserFactory

    application, people = cast
    application = in_state(application, state, people)
    administrator = UserFactory(is_staff=True, is_superuser=True)

    answers = {
        perm: fresh(administrator).has_perm(
            f"applications.{perm}", Application.objects.get(pk=application.pk)
        )
        for perm in [*MATRICES[state], "handle_call"]
        if perm != "handle_call"
    }
    answers["handle_call"] = fresh(administrator).has_perm(
        "applications.handle_call", application.phase
    )

    assert answers == dict.fromkeys([*MATRICES[state], "handle_call"], False)

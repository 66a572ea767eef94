"""Who may see, edit, submit and handle applications (django-rules).

The coordinator's members prepare, submit and withdraw. A partner's members see the
application once their organisation is in the consortium, confirm participation, and edit the
sections the coordinator opened to them. The funder's programme officers and administrators
handle applications once submitted (drafts stay the applicants' own). Predicates take
(user, application); membership lookups are remembered on the user object for one request.
"""

import rules
from django.utils.functional import LazyObject, empty

from regionet.accounts.models import Membership
from regionet.programmes.rules import manages_programme_of

from .models import ApplicationState


def member_organisation_ids(user) -> frozenset[int]:
    """The organisations ``user`` is a member of, remembered on the user for the request."""
    return _organisation_ids(user)


def _organisation_ids(user) -> frozenset[int]:
    # ``request.user`` is a lazy wrapper: remember on the user inside it, which is the object
    # that the permission checks (given the wrapper or the user) share.
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    cache = user.__dict__.setdefault("_applications_rules_cache", {})
    if "organisations" not in cache:
        cache["organisations"] = frozenset(
            Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
    return cache["organisations"]


def forget_memberships(user) -> None:
    """Drop the memo of ``member_organisation_ids``: ``user`` has just joined an organisation."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            return
        user = user._wrapped
    user.__dict__.get("_applications_rules_cache", {}).pop("organisations", None)


def _partner_organisation_ids(application) -> frozenset[int]:
    cached = application.__dict__.get("_partner_organisation_ids")
    if cached is None:
        cached = frozenset(partner.organisation_id for partner in application.partners.all())
        application.__dict__["_partner_organisation_ids"] = cached
    return cached


@rules.predicate
def is_coordinator_member(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.coordinator_id in _organisation_ids(user)


@rules.predicate
def is_partner_member(user, application):
    if application is None or not user.is_authenticated:
        return False
    return bool(_organisation_ids(user) & _partner_organisation_ids(application))


@rules.predicate
def is_handling_officer(user, application):
    """An officer or administrator of the call's funder, once the application is submitted."""
    if application is None or application.first_submitted_at is None:
        return False
    return manages_programme_of(user, application.phase)


@rules.predicate
def is_editable(user, application):
    return application is not None and application.state in {
        ApplicationState.DRAFT,
        ApplicationState.COMPLETION_REQUESTED,
    }


@rules.predicate
def is_not_withdrawn(user, application):
    return application is not None and application.state != ApplicationState.WITHDRAWN


# The draft (and the work in progress during a completion request) is the applicants' own;
# officers see what the registry received: the submissions, and in the workspace (under
# handle_application) the attachments as a submission received them.
is_applicant_member = is_coordinator_member | is_partner_member
can_view_submissions = is_applicant_member | is_handling_officer

rules.add_perm("applications.view_application", is_applicant_member)
rules.add_perm("applications.view_submissions", can_view_submissions)
rules.add_perm("applications.download_attachment", is_applicant_member)
rules.add_perm("applications.edit_application", is_coordinator_member & is_editable)
rules.add_perm("applications.manage_consortium", is_coordinator_member & is_editable)
rules.add_perm("applications.submit_application", is_coordinator_member & is_editable)
rules.add_perm("applications.withdraw_application", is_coordinator_member & is_not_withdrawn)
rules.add_perm("applications.handle_application", is_handling_officer)
rules.add_perm("applications.handle_call", manages_programme_of)

"""Reusable querysets: what a user manages as a funder's staff, and lists with what they show."""

from dataclasses import dataclass

from django.db.models import QuerySet

from regionet.accounts.models import FunderRole, Organisation
from regionet.accounts.rules import is_platform_administrator

from .models import Call, CallContact, Phase, Programme, PublicationState

# The funder roles that configure programmes (they create, edit and publish them) and the
# funder's questionnaires.
MANAGER_ROLES = (FunderRole.Role.PROGRAMME_OFFICER, FunderRole.Role.ADMINISTRATOR)


def funders_managed_by(user) -> QuerySet[Organisation]:
    """The funders whose programmes and questionnaires ``user`` configures (every funder for
    the platform administrator): the one place that makes the administrator's exception."""
    funders = Organisation.objects.funders()
    if not user.is_authenticated:
        return funders.none()
    if is_platform_administrator(user):
        return funders
    return funders.filter(funder_roles__user=user, funder_roles__role__in=MANAGER_ROLES).distinct()


def managed_funder_ids(user) -> QuerySet:
    """The ids of ``funders_managed_by(user)``, as a subquery: scope with
    ``filter(funder__in=managed_funder_ids(user))``."""
    return funders_managed_by(user).values("pk")


def programmes_managed_by(user) -> QuerySet[Programme]:
    return Programme.objects.filter(funder__in=managed_funder_ids(user))


def calls_managed_by(user) -> QuerySet[Call]:
    return Call.objects.filter(programme__in=programmes_managed_by(user))


def phases_managed_by(user) -> QuerySet[Phase]:
    return Phase.objects.filter(call__in=calls_managed_by(user))


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(state=PublicationState.PUBLISHED)


def published_calls() -> QuerySet[Call]:
    """Calls the public sees: published, in a published programme."""
    return Call.objects.filter(
        state=PublicationState.PUBLISHED, programme__state=PublicationState.PUBLISHED
    )


@dataclass(frozen=True)
class CallGuidance:
    """Who applicants of a call may ask, and what happens after they submit in a phase."""

    contacts: list[CallContact]
    next_steps: str
    decisions_expected: str


def call_guidance(call_id: int, phase_id: int | None = None) -> CallGuidance:
    """The call's contact persons in their order, the phase's next steps and when decisions
    are expected, as they stand now (texts in the active language); two queries.

    Receipts read this when they are shown, not from the submission's snapshot: the snapshot
    is what the applicant sent, while the people to ask and the expected date are the
    funder's to keep current.
    """
    contacts = list(CallContact.objects.filter(call_id=call_id).order_by("order", "pk"))
    phase = (
        Phase.objects.select_related("call").filter(pk=phase_id, call_id=call_id).first()
        if phase_id is not None
        else None
    )
    call = phase.call if phase is not None else Call.objects.filter(pk=call_id).first()
    return CallGuidance(
        contacts=contacts,
        next_steps=phase.next_steps if phase is not None else "",
        decisions_expected=call.decisions_expected if call is not None else "",
    )

"""Reusable querysets: what a user manages as a funder's staff, and lists with what they show."""

from django.db.models import QuerySet

from regionet.accounts.models import FunderRole, Organisation
from regionet.accounts.rules import is_platform_administrator

from .models import Call, Phase, Programme, PublicationState

# The funder roles that configure programmes: they create, edit and publish them.
MANAGER_ROLES = (FunderRole.Role.PROGRAMME_OFFICER, FunderRole.Role.ADMINISTRATOR)


def funders_managed_by(user) -> QuerySet[Organisation]:
    """The funders whose programmes ``user`` configures (every funder for the platform
    administrator)."""
    funders = Organisation.objects.funders()
    if not user.is_authenticated:
        return funders.none()
    if is_platform_administrator(user):
        return funders
    return funders.filter(funder_roles__user=user, funder_roles__role__in=MANAGER_ROLES).distinct()


def programmes_managed_by(user) -> QuerySet[Programme]:
    if is_platform_administrator(user):
        return Programme.objects.all()
    return Programme.objects.filter(funder__in=funders_managed_by(user))


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

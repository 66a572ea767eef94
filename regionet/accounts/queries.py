"""Querysets the accounts pages show, each in a fixed number of queries."""

from django.db.models import CharField, Count, F, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import translation

from .models import Invitation, Membership, Organisation


def localised_name(prefix=""):
    """The organisation's name as shown in the current language (with fallbacks), for sorting."""
    language = (translation.get_language() or "fi")[:2]
    languages = [language] + [code for code in ("fi", "sv", "en") if code != language]
    return Lower(
        Coalesce(
            *(NullIf(F(f"{prefix}name_{code}"), Value("")) for code in languages),
            Value(""),
            output_field=CharField(),
        )
    )


def memberships_of(user):
    """The user's memberships with their organisations and each organisation's member count."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation__country", "organisation__home_municipality")
        .annotate(member_count=Count("organisation__memberships", distinct=True))
        .order_by(localised_name("organisation__"), "organisation_id")
    )


def organisations_with_members():
    """Organisations with their members (and users), pending invitations and admin count."""
    return (
        Organisation.objects.select_related("country", "home_municipality")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by("user__email"),
            ),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.pending().select_related("invited_by"),
                to_attr="pending_invitations",
            ),
        )
        .annotate(admin_count=Count("memberships", filter=Q(memberships__role="admin")))
    )


__all__ = ["memberships_of", "organisations_with_members"]

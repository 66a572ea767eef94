"""Permission predicates and permissions for organisations and funders (django-rules).

Predicates take (user, object): an organisation's permissions take the Organisation, a
funder's take the funder Organisation. Views, templates and services ask the permissions
through `user.has_perm("accounts.…", obj)`; other apps compose the predicates.
"""

import rules

from .models import FunderRole, Membership


@rules.predicate
def is_organisation_member(user, organisation):
    """Any membership (admin or member) in the organisation."""
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


@rules.predicate
def is_organisation_admin(user, organisation):
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.ADMIN
    ).exists()


def _holds_funder_role(name, roles):
    wanted = sorted(roles)

    def predicate(user, funder):
        if funder is None or not user.is_authenticated:
            return False
        return FunderRole.objects.filter(user=user, funder=funder, role__in=wanted).exists()

    return rules.predicate(predicate, name=name)


is_applicant_of = _holds_funder_role("is_applicant_of", {FunderRole.Role.APPLICANT})
is_programme_officer_of = _holds_funder_role(
    "is_programme_officer_of", {FunderRole.Role.PROGRAMME_OFFICER}
)
is_reviewer_of = _holds_funder_role("is_reviewer_of", {FunderRole.Role.REVIEWER})
is_decision_maker_of = _holds_funder_role("is_decision_maker_of", {FunderRole.Role.DECISION_MAKER})
is_funder_administrator_of = _holds_funder_role(
    "is_funder_administrator_of", {FunderRole.Role.ADMINISTRATOR}
)
# Any staff role (programme officer, reviewer, decision maker, administrator) with this funder.
is_staff_of = _holds_funder_role("is_staff_of", FunderRole.STAFF_ROLES)


@rules.predicate
def has_staff_role(user):
    """A staff role with any funder: such users must use two-factor authentication."""
    if not user.is_authenticated:
        return False
    return FunderRole.objects.staff().filter(user=user).exists()


@rules.predicate
def is_platform_administrator(user):
    """Regionet's own administrator (Django's superuser flag): users, organisations, reference
    data and the configuration of every funder's programmes, questionnaires and events.

    The rules name where this role has rights, as they do for every other role; it gives
    nothing on applications: drafts are the applicants' own (``User.has_perm`` lets no
    superuser past the rules)."""
    return user.is_authenticated and user.is_active and user.is_superuser


@rules.predicate
def is_admin_site_user(user):
    """Django's "staff status": the admin site, with the model permissions given to the user."""
    return user.is_authenticated and user.is_active and user.is_staff


# Rights of the admin site beyond any funder role (the flags on the user, no query).
has_administrator_flags = is_platform_administrator | is_admin_site_user
# Rights that need two-factor authentication (TOTP) before any page is shown.
has_staff_rights = has_administrator_flags | has_staff_role


@rules.predicate
def is_funder(user, organisation):
    return organisation is not None and organisation.is_funder


@rules.predicate
def has_verified_email(user):
    """The sign-in address is proven the user's (allauth's link, or an invitation's).

    Acting for an organisation needs it: registering one, joining one, applying and every
    page of organisations and applications (regionet.accounts.verification). Remembered on
    the user object, which lives for one request.
    """
    if not user.is_authenticated:
        return False
    # getattr and setattr reach the user inside request.user's lazy wrapper.
    verified = getattr(user, "_has_verified_email", None)
    if verified is None:
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(
            user_id=user.pk, email__iexact=user.email, verified=True
        ).exists()
        user._has_verified_email = verified
    return verified


rules.add_perm("accounts.act_for_organisations", has_verified_email)
rules.add_perm("accounts.register_organisation", has_verified_email)
rules.add_perm("accounts.view_organisation", is_organisation_member)
rules.add_perm("accounts.view_members", is_organisation_member)
rules.add_perm("accounts.manage_members", is_organisation_admin & has_verified_email)
# Who is a funder's staff: its administrators, and the platform administrator (users).
rules.add_perm(
    "accounts.manage_funder_roles",
    is_funder & (is_funder_administrator_of | is_platform_administrator),
)

"""The doors through which organisations, memberships, invitations and funder roles change.

Each function checks what it is asked to do, changes the data in one transaction, writes
an audit event and queues any e-mail once the transaction has committed. `by` is the user
acting; None means the system itself (management commands, data imports), for which no
permission is checked.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regionet.audit.services import record
from regionet.texts import text_problems

from . import geography
from .business_ids import normalise_business_id
from .models import (
    FunderRole,
    Invitation,
    Membership,
    Organisation,
    hash_invitation_token,
    normalise_email,
)

INVITATION_VALIDITY = timedelta(days=14)


class Verb:
    """The audit verbs written by this module."""

    ORGANISATION_REGISTERED = "organisation.registered"
    MEMBER_INVITED = "member.invited"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_REVOKED = "invitation.revoked"
    MEMBER_REMOVED = "member.removed"
    FUNDER_ROLE_GRANTED = "funder_role.granted"
    FUNDER_ROLE_REVOKED = "funder_role.revoked"


class InvitationError(ValidationError):
    """An invitation that cannot be accepted; `code` says why (see the messages below)."""


INVITATION_ERRORS = {
    "invalid": _("This invitation link is not valid. Check that you copied the whole link."),
    "expired": _(
        "This invitation has expired. Ask the organisation's administrator for a new one."
    ),
    "revoked": _("This invitation has been withdrawn by the organisation."),
    "accepted": _("This invitation has already been used."),
    "wrong_user": _(
        "This invitation was sent to %(email)s. Sign in with that e-mail address to accept it."
    ),
    "unverified": _(
        "Verify your e-mail address %(email)s before you accept the invitation: open the "
        "link we sent to it, or send a new link."
    ),
    "already_member": _("You are already a member of the organisation %(organisation)s."),
}


# Per country, because a country's name cannot be inflected inside a Finnish sentence.
NOT_IN_COUNTRY = {
    "FI": _("%(municipality)s is not a Finnish municipality."),
    "SE": _("%(municipality)s is not a Swedish municipality."),
    "": _("%(municipality)s is not in the organisation's country."),
}


def _require(by, permission, obj):
    if by is not None and not by.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _duplicate_business_id_error(organisation):
    return ValidationError(
        _(
            "An organisation with the business ID %(business_id)s is already registered "
            "in Regionet: %(name)s. Ask its administrator to invite you as a member."
        ),
        code="duplicate",
        params={"business_id": organisation.business_id, "name": organisation.name},
    )


def _duplicate_municipality_error(organisation):
    return ValidationError(
        _(
            "The municipality %(municipality)s is already registered in Regionet as the "
            "organisation %(name)s. Ask its administrator to invite you as a member."
        ),
        code="duplicate_municipality",
        params={"municipality": str(organisation.municipality), "name": organisation.name},
    )


def _missing_names(country_code, names):
    """A Finnish organisation needs its Finnish or Swedish name, a Swedish one its Swedish name.

    Finland is bilingual and many organisations there have a Swedish name only; the other
    names are optional and the display falls back to the name that exists.
    """
    if country_code == "FI" and not (names.get("fi") or names.get("sv")):
        return {
            "name_fi": [
                ValidationError(
                    _("Give the name of the organisation in Finnish or Swedish."),
                    code="required",
                )
            ]
        }
    if country_code == "SE" and not names.get("sv"):
        return {
            "name_sv": [
                ValidationError(_("Give the name of the organisation in Swedish."), code="required")
            ]
        }
    return {}


def organisation_names(type, home_municipality, names):
    """The names by language, stripped; a municipality's missing names come from its record."""
    names = {language: (names.get(language) or "").strip() for language in ("fi", "sv", "en")}
    if type == Organisation.Type.MUNICIPALITY and home_municipality is not None:
        for language, name in geography.municipality_names(home_municipality).items():
            names[language] = names[language] or name
    return names


NAME_LABELS = {"fi": _("Name in Finnish"), "sv": _("Name in Swedish"), "en": _("Name in English")}


def _name_problems(names) -> dict[str, list[ValidationError]]:
    """Names longer than the register keeps, or with direction controls (regionet.texts)."""
    limit = Organisation._meta.get_field("name").max_length
    problems = {}
    for language, name in names.items():
        found = text_problems(name, limit=limit, label=str(NAME_LABELS[language]), single_line=True)
        if found:
            problems[language] = [ValidationError(problem, code="text") for problem in found]
    return problems


def check_organisation(
    *, country, type, business_id, home_municipality, names, today=None, exclude_pk=None
):
    """Validate registration data; return the normalised business ID or raise ValidationError.

    The errors are keyed by field (business_id, home_municipality, name_fi, name_sv), so a
    form shows each next to its field. Nothing is written.
    """
    errors = {}
    today = today or timezone.localdate()
    normalised = None
    try:
        normalised = normalise_business_id(geography.country_code(country), business_id)
    except ValidationError as error:
        errors["business_id"] = error.error_list
    else:
        existing = Organisation.objects.filter(country=country, business_id=normalised).exclude(
            pk=exclude_pk
        )
        if duplicate := existing.first():
            errors["business_id"] = [_duplicate_business_id_error(duplicate)]

    if home_municipality is None:
        errors["home_municipality"] = [
            ValidationError(_("Choose the home municipality."), code="required")
        ]
    elif geography.municipality_country_id(home_municipality) != country.pk:
        errors["home_municipality"] = [
            ValidationError(
                NOT_IN_COUNTRY.get(geography.country_code(country), NOT_IN_COUNTRY[""]),
                code="wrong_country",
                params={"municipality": str(home_municipality)},
            )
        ]
    elif not geography.municipality_is_valid(home_municipality, today.year):
        errors["home_municipality"] = [
            ValidationError(
                _("The municipality %(municipality)s no longer exists. Choose the current one."),
                code="not_valid",
                params={"municipality": str(home_municipality)},
            )
        ]
    elif type == Organisation.Type.MUNICIPALITY:
        existing = Organisation.objects.filter(municipality=home_municipality).exclude(
            pk=exclude_pk
        )
        if duplicate := existing.select_related("municipality").first():
            errors["home_municipality"] = [_duplicate_municipality_error(duplicate)]

    if type not in Organisation.Type.values:
        errors["type"] = [
            ValidationError(_("Choose the type of the organisation."), code="invalid_choice")
        ]

    names = organisation_names(type, home_municipality, names)
    errors.update(_missing_names(geography.country_code(country), names))
    for language, problems in _name_problems(names).items():
        errors.setdefault(f"name_{language}", []).extend(problems)

    if errors:
        raise ValidationError(errors)
    return normalised


@transaction.atomic
def register_organisation(
    *,
    by,
    country,
    type,
    business_id,
    home_municipality,
    name_fi="",
    name_sv="",
    name_en="",
    is_funder=False,
):
    """Create an organisation and make `by` its administrator.

    For an organisation of type municipality the home municipality is the municipality
    itself: the organisation is tied to it, and missing names are taken from it.
    Raises ValidationError (keyed by field) for bad input; nothing is saved then.
    `by` needs a verified e-mail address (PermissionDenied otherwise).
    """
    _require(by, "accounts.register_organisation", None)
    names = organisation_names(
        type, home_municipality, {"fi": name_fi, "sv": name_sv, "en": name_en}
    )
    business_id = check_organisation(
        country=country,
        type=type,
        business_id=business_id,
        home_municipality=home_municipality,
        names=names,
    )
    organisation = Organisation(
        type=type,
        country=country,
        business_id=business_id,
        home_municipality=home_municipality,
        municipality=home_municipality if type == Organisation.Type.MUNICIPALITY else None,
        is_funder=is_funder,
        name_fi=names["fi"],
        name_sv=names["sv"],
        name_en=names["en"],
    )
    # The model's own rules (business ID, lengths, choices); uniqueness was checked above
    # with messages that name the organisation, and the database holds it under races.
    organisation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Someone registered the same business ID or municipality a moment ago.
        check_organisation(
            country=country,
            type=type,
            business_id=business_id,
            home_municipality=home_municipality,
            names=names,
        )
        raise
    if by is not None:
        Membership.objects.create(user=by, organisation=organisation, role=Membership.Role.ADMIN)
    record(
        by,
        Verb.ORGANISATION_REGISTERED,
        organisation,
        country=geography.country_code(country),
        type=type,
        business_id=business_id,
        is_funder=is_funder,
    )
    return organisation


def _site_url(site_url):
    return (site_url or getattr(settings, "REGIONET_SITE_URL", "http://localhost:8000")).rstrip("/")


@transaction.atomic
def invite_member(*, organisation, email, role, by, site_url=None, now=None):
    """Invite `email` to join `organisation` with `role` and e-mail the invitation link.

    `site_url` (scheme and host, e.g. from request.build_absolute_uri("/")) makes the link
    absolute. Refuses to invite an existing member or an address with a pending invitation.
    """
    from .tasks import send_invitation_email

    _require(by, "accounts.manage_members", organisation)
    now = now or timezone.now()
    email = normalise_email(email)
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose the role of the new member.")})
    # Serialises concurrent invitations to the same organisation on PostgreSQL.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _("%(email)s is already a member of the organisation %(organisation)s."),
                    code="already_member",
                    params={"email": email, "organisation": organisation.name},
                )
            }
        )
    if organisation.invitations.pending(now).filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "%(email)s has already been invited to the organisation "
                        "%(organisation)s. Withdraw that invitation first if you want to send "
                        "a new one."
                    ),
                    code="already_invited",
                    params={"email": email, "organisation": organisation.name},
                )
            }
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_invitation_token(token),
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    record(
        by,
        Verb.MEMBER_INVITED,
        invitation,
        organisation=organisation.pk,
        email=email,
        role=role,
    )
    url = _site_url(site_url)
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk, token, url))
    return invitation


def find_invitation(token):
    """The invitation with this token, or None."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )


def user_emails(user):
    """The addresses proven to be `user`'s: every verified address (allauth's).

    An address typed at sign-up and never verified proves nothing: anyone can type one.
    """
    from allauth.account.models import EmailAddress

    return {
        normalise_email(email)
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def _is_sign_in_address(user, email):
    return normalise_email(user.email) == normalise_email(email)


def check_invitation(invitation, user, now=None):
    """Raise InvitationError unless `user` may accept `invitation` now.

    With `user` None only the invitation itself is checked (for a visitor not signed in).
    """
    now = now or timezone.now()
    if invitation is None:
        raise InvitationError(INVITATION_ERRORS["invalid"], code="invalid")
    if invitation.accepted_at is not None:
        raise InvitationError(INVITATION_ERRORS["accepted"], code="accepted")
    if invitation.revoked_at is not None:
        raise InvitationError(INVITATION_ERRORS["revoked"], code="revoked")
    if invitation.expires_at <= now:
        raise InvitationError(INVITATION_ERRORS["expired"], code="expired")
    if user is None:
        return
    if normalise_email(invitation.email) not in user_emails(user):
        code = "unverified" if _is_sign_in_address(user, invitation.email) else "wrong_user"
        raise InvitationError(
            INVITATION_ERRORS[code], code=code, params={"email": invitation.email}
        )
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise InvitationError(
            INVITATION_ERRORS["already_member"],
            code="already_member",
            params={"organisation": invitation.organisation.name},
        )


@transaction.atomic
def accept_invitation(*, token, user, now=None):
    """Make `user` a member of the invitation's organisation with the invited role.

    The invitation must be pending and addressed to one of the user's verified addresses.
    Raises InvitationError (with a `code`) otherwise.
    """
    now = now or timezone.now()
    invitation = None
    if token:
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_hash=hash_invitation_token(token))
            .first()
        )
    check_invitation(invitation, user, now)
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        user,
        Verb.INVITATION_ACCEPTED,
        invitation,
        organisation=invitation.organisation_id,
        membership=membership.pk,
        role=invitation.role,
    )
    return membership


@transaction.atomic
def revoke_invitation(*, invitation, by, now=None):
    """Withdraw a pending invitation so its link no longer works."""
    _require(by, "accounts.manage_members", invitation.organisation)
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending(now):
        raise ValidationError(
            _("The invitation to %(email)s is no longer pending."),
            code="not_pending",
            params={"email": invitation.email},
        )
    invitation.revoked_at = now
    invitation.revoked_by = by
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    record(
        by,
        Verb.INVITATION_REVOKED,
        invitation,
        organisation=invitation.organisation_id,
        email=invitation.email,
    )
    return invitation


@transaction.atomic
def remove_member(*, membership, by):
    """Remove a member from an organisation; the last administrator cannot be removed."""
    organisation = membership.organisation
    _require(by, "accounts.manage_members", organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if membership.role == Membership.Role.ADMIN and not (
        organisation.memberships.filter(role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _(
                "%(user)s is the only administrator of the organisation %(organisation)s "
                "and cannot be removed. Invite another administrator first."
            ),
            code="last_admin",
            params={"user": str(membership.user), "organisation": organisation.name},
        )
    data = {"user": membership.user_id, "email": membership.user.email, "role": membership.role}
    membership.delete()
    record(by, Verb.MEMBER_REMOVED, organisation, **data)


@transaction.atomic
def grant_funder_role(*, user, funder, role, by):
    """Give `user` the `role` (FunderRole.Role) with the funder organisation `funder`."""
    _require(by, "accounts.manage_funder_roles", funder)
    if not funder.is_funder:
        raise ValidationError(
            _("The organisation %(organisation)s is not a funder."),
            code="not_funder",
            params={"organisation": funder.name},
        )
    if role not in FunderRole.Role.values:
        raise ValidationError(
            _("Unknown role %(role)s."), code="invalid_role", params={"role": role}
        )
    if FunderRole.objects.filter(user=user, funder=funder, role=role).exists():
        raise ValidationError(
            _("%(user)s already has the role “%(role)s” with the funder %(funder)s."),
            code="duplicate",
            params={
                "user": str(user),
                "role": FunderRole.Role(role).label,
                "funder": funder.name,
            },
        )
    funder_role = FunderRole.objects.create(user=user, funder=funder, role=role)
    record(by, Verb.FUNDER_ROLE_GRANTED, funder_role, user=user.pk, funder=funder.pk, role=role)
    return funder_role


@transaction.atomic
def revoke_funder_role(*, funder_role, by):
    """Take a role with a funder away from a user."""
    _require(by, "accounts.manage_funder_roles", funder_role.funder)
    data = {"user": funder_role.user_id, "role": funder_role.role}
    funder = funder_role.funder
    funder_role.delete()
    record(by, Verb.FUNDER_ROLE_REVOKED, funder, **data)

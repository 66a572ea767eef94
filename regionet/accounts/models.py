"""Users, organisations, memberships, invitations, and the roles users hold with funders."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
    _auser_has_module_perms,
    _auser_has_perm,
    _user_has_module_perms,
    _user_has_perm,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Length, Lower, Replace, StrIndex
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .business_ids import NORMALISERS, scheme_of, validate_business_id


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared and stored in lower case (allauth does the same)."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.FINNISH,
        help_text=_("E-mail from Regionet is written in this language."),
    )
    # Access to the Django admin site; funder staff roles are FunderRole rows.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Django lets an active superuser past every permission check, the rules' too, and so
    # into applicants' drafts. Here the backends alone answer: the rules grant the platform
    # administrator what is its (accounts.rules.is_platform_administrator), and Django's
    # model backend the admin site's model permissions (never one on an object).
    def has_perm(self, perm, obj=None):
        return self.is_active and _user_has_perm(self, perm, obj)

    def has_module_perms(self, app_label):
        return self.is_active and _user_has_module_perms(self, app_label)

    async def ahas_perm(self, perm, obj=None):
        return self.is_active and await _auser_has_perm(self, perm, obj)

    async def ahas_module_perms(self, app_label):
        return self.is_active and await _auser_has_module_perms(self, app_label)


def _business_id_in_standard_form(field):
    """Digits and one hyphen, 7 + 1 (Y-tunnus) or 6 + 4 (organisationsnummer), in functions
    both SQLite and PostgreSQL have (SQLite has no regular expressions of its own)."""
    value = F(field)
    only_digits_and_hyphens = value
    for character in "0123456789-":
        only_digits_and_hyphens = Replace(only_digits_and_hyphens, Value(character), Value(""))
    hyphens = Length(value) - Length(Replace(value, Value("-"), Value("")))
    shape = Q(Exact(Length(only_digits_and_hyphens), 0)) & Q(Exact(hyphens, 1))
    y_tunnus = Q(Exact(Length(value), 9)) & Q(Exact(StrIndex(value, Value("-")), 8))
    organisationsnummer = Q(Exact(Length(value), 11)) & Q(Exact(StrIndex(value, Value("-")), 7))
    return shape & (y_tunnus | organisationsnummer)


class OrganisationQuerySet(models.QuerySet):
    def funders(self):
        return self.filter(is_funder=True)


class Organisation(models.Model):
    """A legal person taking part in Regionet: an applicant, a partner or a funder.

    `name` is translated (name_fi, name_sv, name_en) by modeltranslation. A funder is an
    organisation with `is_funder` set: it runs programmes and has staff (FunderRole).
    """

    class Type(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        JOINT_MUNICIPAL_AUTHORITY = "joint_municipal_authority", _("joint municipal authority")
        DEVELOPMENT_ORGANISATION = "development_organisation", _("development organisation")
        EDUCATIONAL_INSTITUTION = "educational_institution", _("educational institution")
        NGO = "ngo", _("organisation (NGO)")
        LEADER_GROUP = "leader_group", _("LEADER group")
        REGIONAL_COUNCIL = "regional_council", _("regional council / region")
        STATE_AUTHORITY = "state_authority", _("state authority")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices)
    country = models.ForeignKey(
        "places.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    business_id = models.CharField(
        _("business ID"),
        max_length=11,
        help_text=_("Finnish Y-tunnus (1234567-8) or Swedish organisationsnummer (123456-7890)."),
        validators=[validate_business_id],
    )
    home_municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set only for organisations of type municipality: the municipality they are.
    municipality = models.OneToOneField(
        "places.Municipality",
        verbose_name=_("municipality record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
    )
    is_funder = models.BooleanField(
        _("funder"), default=False, help_text=_("Runs funding programmes and has staff.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "business_id"], name="accounts_organisation_business_id_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(type="municipality", municipality__isnull=False)
                    | (~Q(type="municipality") & Q(municipality__isnull=True))
                ),
                name="accounts_organisation_municipality_iff_type",
            ),
            # The standard form of a Y-tunnus or an organisationsnummer; the check digit
            # is the model's (validate_business_id, clean): no portable SQL computes it.
            models.CheckConstraint(
                condition=_business_id_in_standard_form("business_id"),
                name="accounts_organisation_business_id_form",
            ),
        ]

    def __str__(self):
        return self.name or self.business_id

    def save(self, *args, **kwargs):
        # Every path that saves an organisation holds the business ID's rules: the admin and
        # the services through full_clean, the shell, importers and the API to come here
        # (the database's CHECK constraint holds its standard form, not its check digit).
        self.clean_fields(exclude=[f.name for f in self._meta.fields if f.name != "business_id"])
        self.clean()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # The field's validator accepts either scheme; the country decides which one.
        country_code = self.country.code if self.country_id else None
        scheme = scheme_of(self.business_id or "")
        if country_code in NORMALISERS and scheme is not None and scheme != country_code:
            try:
                NORMALISERS[country_code](self.business_id)
            except ValidationError as error:
                raise ValidationError({"business_id": error.error_list}) from None


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("administrator")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.organisation} ({self.role})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


def hash_invitation_token(token: str) -> str:
    """Only this hash of an invitation token is stored; the token itself is in the e-mail."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An organisation admin's invitation to an e-mail address to join as admin or member."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Membership.Role.choices,
        default=Membership.Role.MEMBER,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def is_pending(self, now=None):
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class FunderRoleQuerySet(models.QuerySet):
    def staff(self):
        """The staff roles: holding one needs two-factor authentication."""
        return self.filter(role__in=sorted(FunderRole.STAFF_ROLES))


class FunderRole(models.Model):
    """A role a user holds with one funder; a user may hold several with the same funder."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        PROGRAMME_OFFICER = "programme_officer", _("programme officer")
        REVIEWER = "reviewer", _("reviewer")
        DECISION_MAKER = "decision_maker", _("decision maker")
        ADMINISTRATOR = "administrator", _("administrator")

    # Holding any of these with a funder requires two-factor authentication.
    STAFF_ROLES = frozenset({"programme_officer", "reviewer", "decision_maker", "administrator"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="funder_roles",
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.CASCADE,
        related_name="funder_roles",
        limit_choices_to={"is_funder": True},
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = FunderRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("funder role")
        verbose_name_plural = _("funder roles")
        ordering = ["funder", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "funder", "role"], name="accounts_funder_role_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.funder}, {self.get_role_display()}"

    @property
    def is_staff_role(self):
        return self.role in self.STAFF_ROLES

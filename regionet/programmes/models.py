"""Programmes, calls and what can be applied for, stored as data so any funder can set one up.

Every public text is stored in fi, sv and en (django-modeltranslation, see translation.py);
publishing is refused while a Finnish or Swedish text is missing (services.publish_*).
Instants are stored in UTC; a programme's ``time_zone`` says how its deadlines are shown.
Money is ``Decimal`` with two places.
"""

import string
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import deadlines

MONEY = {"max_digits": 14, "decimal_places": 2}
# The languages a contact person may serve in: the site's.
LANGUAGE_CHOICES = settings.LANGUAGES
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}


def validate_half_points(value):
    """Scores and thresholds are given on the scale 0–5 in half points."""
    if value is not None and (value * 2) % 1 != 0:
        raise ValidationError(
            _("Use half points: %(value)s is not a multiple of 0.5."),
            code="half_points",
            params={"value": value},
        )


def validate_record_number_format(value):
    """A record number format must use {number} and {year} and nothing else in braces."""
    names = [parsed[1] for parsed in string.Formatter().parse(value) if parsed[1] is not None]
    if sorted(names) != ["number", "year"]:
        raise ValidationError(
            _("Use {number} and {year} exactly once each, e.g. TEM/{number}/{year}."),
            code="record_number_format",
        )


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Currency(models.TextChoices):
    EUR = "EUR", _("euro (EUR)")
    SEK = "SEK", _("Swedish krona (SEK)")


class Programme(models.Model):
    """A funding programme of one funder, e.g. the inter-regional network programme 2021–2023."""

    class TimeZone(models.TextChoices):
        HELSINKI = "Europe/Helsinki", _("Finnish time (Europe/Helsinki)")
        STOCKHOLM = "Europe/Stockholm", _("Swedish time (Europe/Stockholm)")

    funder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"is_funder": True},
        verbose_name=_("funder"),
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    appropriation_code = models.CharField(
        _("appropriation"), max_length=40, blank=True, help_text=_("For example AKKE.")
    )
    appropriation_name = models.CharField(_("appropriation name"), max_length=200, blank=True)
    legal_basis = models.TextField(
        _("legal basis"), blank=True, help_text=_("For example valtionavustuslaki 688/2001.")
    )
    total_budget = models.DecimalField(_("total budget"), **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    max_aid_percent = models.DecimalField(_("maximum aid share (%)"), **PERCENT)
    min_own_financing_percent = models.DecimalField(_("minimum own financing (%)"), **PERCENT)
    indirect_cost_percent = models.DecimalField(
        _("flat rate of indirect costs (% of personnel costs)"),
        **PERCENT,
        default=Decimal("0.00"),
        help_text=_("Indirect costs are computed from personnel costs at this rate; 0 for none."),
    )
    record_number_format = models.CharField(
        _("record number format"),
        max_length=60,
        default="{number}/{year}",
        validators=[validate_record_number_format],
        help_text=_("How the registry numbers applications, e.g. TEM/{number}/{year}."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.HELSINKI
    )
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    regional_towns = models.ManyToManyField(
        "places.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("regional towns"),
        help_text=_("The municipalities this programme counts as regional towns."),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-first_year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="programme_years_ordered"
            ),
            models.CheckConstraint(condition=Q(total_budget__gte=0), name="programme_budget_ge_0"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        years = (self.first_year, self.last_year)
        if None not in years and self.last_year < self.first_year:
            raise ValidationError(
                {"last_year": _("The last year cannot be before the first year.")}
            )

    @property
    def is_published(self):
        return self.state == PublicationState.PUBLISHED

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class YearlyBudget(models.Model):
    """The share of the programme's budget for one year; the years sum to the total."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="yearly_budgets",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["year"]
        verbose_name = _("yearly budget")
        verbose_name_plural = _("yearly budgets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="yearly_budget_unique_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="yearly_budget_ge_0"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Earmark(models.Model):
    """A sub-budget reserved for some applications, e.g. networks of regional towns.

    The rule is data: an application may use the earmark when it applies for one of
    ``instruments`` and, if ``regional_towns_only``, every participating municipality is one
    of the programme's ``regional_towns`` (see ``eligibility.usable_earmarks``).
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="earmarks", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    rule_description = models.TextField(
        _("description of the rule"),
        blank=True,
        help_text=_("Who may use the earmark, in plain language for applicants."),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    regional_towns_only = models.BooleanField(_("only networks of regional towns"), default=False)

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("earmark")
        verbose_name_plural = _("earmarks")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="earmark_unique_code"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="earmark_amount_ge_0"),
        ]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A theme of thematic networks, e.g. hydrogen economy."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="themes", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "order", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="theme_unique_code")
        ]

    def __str__(self):
        return self.name


class Zone(models.Model):
    """A development zone linking centres into a larger area, with its member places."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="zones", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    regions = models.ManyToManyField("places.Region", related_name="+", verbose_name=_("regions"))
    municipalities = models.ManyToManyField(
        "places.Municipality", related_name="+", blank=True, verbose_name=_("municipalities")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["programme", "order", "code"]
        verbose_name = _("development zone")
        verbose_name_plural = _("development zones")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="zone_unique_code")
        ]

    def __str__(self):
        return self.name


class Call(models.Model):
    """A call for applications (haku) within a programme; it has instruments and phases."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="calls", verbose_name=_("programme")
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    decision_info = models.TextField(
        _("decision information"),
        blank=True,
        help_text=_("When and by whom the decisions are made."),
    )
    # What an applicant's receipt promises: one sentence, kept as data because the date is
    # the funder's estimate and changes from call to call.
    decisions_expected = models.CharField(
        _("expected time of decisions"),
        max_length=200,
        blank=True,
        help_text=_(
            "One sentence for the applicants' receipts and the call page, e.g. "
            "“Decisions are expected in June 2021.”"
        ),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["programme", "slug"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="call_unique_slug")
        ]

    def __str__(self):
        return self.name

    @property
    def is_published(self):
        return self.state == PublicationState.PUBLISHED


class Instrument(models.Model):
    """What can be applied for in a call (hakukohde), with its eligibility rules as data."""

    class Kind(models.TextChoices):
        THEMATIC_NETWORK = "thematic_network", _("thematic network")
        DEVELOPMENT_ZONE = "development_zone", _("development zone")
        OTHER = "other", pgettext_lazy("instrument kind", "other")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="instruments", verbose_name=_("call")
    )
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Eligibility rules. Applicant types are accounts.Organisation.Type codes.
    allowed_applicant_types = models.JSONField(_("allowed applicant types"), default=list)
    countries = models.ManyToManyField(
        "places.Country", related_name="+", verbose_name=_("countries")
    )
    min_municipalities = models.PositiveSmallIntegerField(
        _("minimum number of participating municipalities"), default=0
    )
    min_regions = models.PositiveSmallIntegerField(
        _("minimum number of distinct regions"), default=0
    )
    min_partners = models.PositiveSmallIntegerField(_("minimum number of partners"), default=0)
    earmarks = models.ManyToManyField(
        Earmark, blank=True, related_name="instruments", verbose_name=_("earmarks it may use")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["call", "order", "code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="instrument_unique_code")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        from regionet.accounts.models import Organisation

        types = self.allowed_applicant_types
        if not isinstance(types, list) or any(t not in Organisation.Type.values for t in types):
            raise ValidationError(
                {"allowed_applicant_types": _("Choose applicant types from the list.")}
            )


class Phase(models.Model):
    """One phase of a call: the idea phase or the full-application phase, open between two
    instants. Whether an instant lies within it is decided by ``regionet.programmes.deadlines``.
    """

    class Kind(models.TextChoices):
        IDEA = "idea", _("idea phase")
        FULL = "full", _("full application phase")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="phases", verbose_name=_("call")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"), help_text=_("In the programme's time zone."))
    closes_at = models.DateTimeField(
        _("closes at"),
        help_text=_(
            "In the programme's time zone. Whatever arrives at this minute or before it "
            "(up to hh.mm:00.000) is in time."
        ),
    )
    requires_invitation = models.BooleanField(
        _("only for applicants invited from the previous phase"), default=False
    )
    next_steps = models.TextField(
        _("next steps after submitting"),
        blank=True,
        help_text=_(
            "Shown on the receipt of an application submitted in this phase and on the call "
            "page: how the applications are handled and when the applicants hear of them."
        ),
    )

    class Meta:
        ordering = ["call", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="phase_unique_order"),
        ]

    def __str__(self):
        return self.name

    def is_open(self, at) -> bool:
        """Whether the instant ``at`` lies within the phase (see ``deadlines.is_open``)."""
        return deadlines.is_open(self.opens_at, self.closes_at, at)

    def closing_year(self) -> int:
        """The year the phase closes in the programme's time zone: the municipal division of
        that year decides where applicants' municipalities belong."""
        return deadlines.local(self.closes_at, self.call.programme.time_zone).year

    def is_in_time(self, received_at) -> bool:
        """Whether something the server received at ``received_at`` meets the deadline."""
        return deadlines.is_in_time(self.closes_at, received_at)

    def clean_fields(self, exclude=None):
        # Compared here rather than in clean(), so that the two instants are compared only
        # when both were valid input: a rejected closes_at is not the saved one in disguise.
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ()) | set(errors)
        if not skipped & {"opens_at", "closes_at"} and self.closes_at <= self.opens_at:
            errors.setdefault("closes_at", []).append(
                ValidationError(_("A phase must close after it opens."), code="closes_first")
            )
        if errors:
            raise ValidationError(errors)


class CallContact(models.Model):
    """A person applicants of a call may ask: name, role, e-mail, phone and the languages they
    serve in. Shown on the call page, the application pages and the receipts.

    Contact persons change with the funder's staff, so they may be edited while the call is
    published (``rules.py``); their role is a public text and keeps the fi–sv parity then too.
    """

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("call")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"),
        max_length=200,
        help_text=_("What to ask this person about, e.g. “Programme officer: eligibility”."),
    )
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    # Language codes (fi, sv, en) the person answers in.
    # ``clean`` asks for at least one (with its own message, hence blank).
    languages = models.JSONField(_("languages served"), default=list, blank=True)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        codes = [code for code, _name in LANGUAGE_CHOICES]
        languages = self.languages
        if (
            not isinstance(languages, list)
            or not languages
            or any(code not in codes for code in languages)
        ):
            raise ValidationError({"languages": _("Choose the languages the person serves in.")})
        # Stored in the order of the site's languages, once each.
        self.languages = [code for code in codes if code in languages]

    @property
    def phone_uri(self) -> str:
        """The number as a ``tel:`` link: "+358 29 504 7000" → "tel:+358295047000"."""
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")

    @property
    def language_names(self) -> list[str]:
        """The languages served, named in the active language ("suomi, ruotsi")."""
        names = dict(LANGUAGE_CHOICES)
        return [str(names[code]) for code in self.languages if code in names]


def _same_call(phase_id, instrument_id) -> bool:
    """Whether a phase and an instrument belong to the same call (one query)."""
    return Phase.objects.filter(pk=phase_id, call__instruments__pk=instrument_id).exists()


class Criterion(models.Model):
    """An assessment criterion of a phase and instrument: scored 0–5 in half points with a
    weight and a threshold, or a yes/no gate (e.g. the general conditions of
    valtionavustuslaki 7 §) that an application must pass.
    """

    class Kind(models.TextChoices):
        SCORED = "scored", _("scored 0–5")
        GATE = "gate", _("yes/no condition")

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("phase")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("instrument")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SCORED)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(0)),
            MaxValueValidator(Decimal(5)),
            validate_half_points,
        ],
        help_text=_("The lowest acceptable score, 0–5 in half points; empty for none."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    # The scale every scored criterion uses.
    SCALE_MIN = Decimal(0)
    SCALE_MAX = Decimal(5)
    SCALE_STEP = Decimal("0.5")

    class Meta:
        ordering = ["phase", "instrument", "order"]
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")

    def __str__(self):
        return self.name

    @property
    def is_gate(self):
        return self.kind == self.Kind.GATE

    def clean(self):
        super().clean()
        errors = {}
        if self.is_gate and self.threshold is not None:
            errors["threshold"] = _("A yes/no condition has no threshold.")
        if (
            self.phase_id
            and self.instrument_id
            and not _same_call(self.phase_id, self.instrument_id)
        ):
            errors["instrument"] = _("Choose an instrument of the phase's call.")
        if errors:
            raise ValidationError(errors)


class AssessmentThreshold(models.Model):
    """The overall threshold (weighted average, 0–5) of a phase and instrument."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("phase")
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="thresholds",
        verbose_name=_("instrument"),
    )
    overall_threshold = models.DecimalField(
        _("overall threshold"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )

    class Meta:
        verbose_name = _("overall threshold")
        verbose_name_plural = _("overall thresholds")
        constraints = [
            models.UniqueConstraint(fields=["phase", "instrument"], name="threshold_unique")
        ]

    def __str__(self):
        return f"{self.phase} / {self.instrument}: {self.overall_threshold}"

    def clean(self):
        super().clean()
        if (
            self.phase_id
            and self.instrument_id
            and not _same_call(self.phase_id, self.instrument_id)
        ):
            raise ValidationError({"instrument": _("Choose an instrument of the phase's call.")})

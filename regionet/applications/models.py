"""Applications to a call: the consortium, answers, budget and attachments while a draft, and
the registry's immutable snapshots once submitted.

State changes go through ``services.py`` only (one door each). An application's draft is
edited section by section; ``section_versions`` holds each section's version number so that a
save made on an older version is refused instead of overwriting a partner's newer text.
Money is ``Decimal`` with two places.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regionet.programmes import deadlines

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    COMPLETION_REQUESTED = "completion_requested", _("completion requested")
    WITHDRAWN = "withdrawn", _("withdrawn")


# The allowed transitions: state → states it may move to (services.py checks these).
TRANSITIONS = {
    ApplicationState.DRAFT: {ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN},
    ApplicationState.SUBMITTED: {
        ApplicationState.COMPLETION_REQUESTED,
        ApplicationState.WITHDRAWN,
    },
    ApplicationState.COMPLETION_REQUESTED: {
        ApplicationState.SUBMITTED,
        ApplicationState.WITHDRAWN,
    },
    ApplicationState.WITHDRAWN: set(),
}

# States in which the applicant may edit (everything, or the requested items only).
EDITABLE_STATES = frozenset({ApplicationState.DRAFT, ApplicationState.COMPLETION_REQUESTED})


class Screening(models.TextChoices):
    """The officer's eligibility screening of a submitted application."""

    UNSCREENED = "unscreened", _("not screened")
    ELIGIBLE = "eligible", _("eligible")
    INELIGIBLE = "ineligible", _("not eligible")


class Section(models.TextChoices):
    """The parts of an application, each edited and versioned on its own.

    Questionnaire sections are ``answers:<section id>``; these are the fixed ones.
    """

    BASICS = "basics", _("Title, summary and theme")
    PARTNERS = "partners", _("Consortium")
    MUNICIPALITIES = "municipalities", _("Participating municipalities")
    BUDGET = "budget", _("Budget")
    FINANCING = "financing", _("Financing plan")
    ATTACHMENTS = "attachments", _("Attachments")


class Application(models.Model):
    """One consortium's application in one phase of a call, for one instrument."""

    phase = models.ForeignKey(
        "programmes.Phase",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("phase"),
    )
    instrument = models.ForeignKey(
        "programmes.Instrument",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("instrument"),
    )
    coordinator = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="coordinated_applications",
        verbose_name=_("coordinator"),
    )
    # The funder of the phase's programme, kept here so that record numbers are unique per
    # funder in the database (two funders may use the same format).
    funder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("funder"),
    )
    # The idea-phase application a full application was started from.
    idea = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="full_applications",
        verbose_name=_("idea application"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # The language receipts and notices to the coordinator are written in.
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"),
        max_length=24,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )

    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    theme = models.ForeignKey(
        "programmes.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("theme"),
    )
    zone = models.ForeignKey(
        "programmes.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("zone"),
    )
    municipalities = models.ManyToManyField(
        "places.Municipality",
        blank=True,
        related_name="applications",
        verbose_name=_("participating municipalities"),
    )
    questionnaire_version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("questionnaire version"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    aid_requested = models.DecimalField(
        _("aid requested"), **MONEY, default=Decimal("0.00"), validators=NON_NEGATIVE
    )
    own_financing = models.DecimalField(
        _("own financing"), **MONEY, default=Decimal("0.00"), validators=NON_NEGATIVE
    )
    other_public_funding = models.DecimalField(
        _("other public funding"), **MONEY, default=Decimal("0.00"), validators=NON_NEGATIVE
    )

    # Section code → version number of its last save (see the module docstring).
    section_versions = models.JSONField(_("section versions"), default=dict, blank=True)
    # Section code → True once the applicant marked it complete.
    completed_sections = models.JSONField(_("completed sections"), default=dict, blank=True)

    # Unique per funder (see ``funder``); two funders may share a format.
    record_number = models.CharField(
        _("record number"), max_length=40, blank=True, default="", editable=False, db_index=True
    )
    first_submitted_at = models.DateTimeField(
        _("first submitted at"), null=True, blank=True, editable=False
    )
    # The registry's latest submission: what officers see of the application (set by the
    # submit door; the draft may differ during and after a completion request). A pointer,
    # not a guard: submissions are kept by their own protection.
    last_submission = models.OneToOneField(
        "Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last submission"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    screening = models.CharField(
        _("eligibility screening"),
        max_length=16,
        choices=Screening.choices,
        default=Screening.UNSCREENED,
        db_index=True,
    )
    screening_note = models.TextField(_("screening note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["phase", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["funder", "record_number"],
                condition=~Q(record_number=""),
                name="application_record_number_unique_per_funder",
            ),
        ]

    def __str__(self):
        return self.record_number or self.title or gettext("Untitled application")

    def save(self, *args, **kwargs):
        if self.funder_id is None:
            from regionet.programmes.models import Programme

            self.funder_id = (
                Programme.objects.filter(calls__phases=self.phase_id)
                .values_list("funder_id", flat=True)
                .get()
            )
        super().save(*args, **kwargs)

    @property
    def call(self):
        return self.phase.call

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def section_version(self, section: str) -> int:
        return int(self.section_versions.get(section, 0))

    def total_financing(self) -> Decimal:
        return self.aid_requested + self.own_financing + self.other_public_funding


class Partner(models.Model):
    """A partner organisation of the consortium; it confirms its participation itself."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("implementing partner")
        CO_FINANCIER = "co_financier", _("co-financier")
        EXPERT = "expert", pgettext_lazy("consortium role", "expert partner")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("application"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    tasks = models.TextField(_("tasks in the project"), blank=True)
    # The sections (``Section`` codes, ``answers:<section id>``) its members may edit.
    editable_sections = models.JSONField(_("sections the partner may edit"), default=list)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("confirmed by"),
    )
    # The letter of commitment as the confirming user wrote it.
    commitment = models.TextField(_("letter of commitment"), blank=True, editable=False)

    class Meta:
        ordering = ["application", "added_at", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="application_partner_unique"
            ),
        ]

    def __str__(self):
        return str(self.organisation)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class PartnerInvitation(models.Model):
    """The coordinator's invitation, sent by e-mail to a contact person, to an organisation
    that may not be registered in Regionet yet.

    The contact signs up with the address it was sent to (verified), registers the
    organisation or chooses one they are a member of (matched by ``business_id`` when the
    coordinator gave one), and so joins the consortium as a ``Partner``; then they confirm
    participation as every partner does. The link's ``key`` is random: only the mailbox it
    reached knows it, and only a user with that verified address can answer.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="partner_invitations",
        verbose_name=_("application"),
    )
    organisation_name = models.CharField(_("name of the organisation"), max_length=200)
    country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    # In the standard form of the country's scheme; empty when the coordinator did not know it.
    business_id = models.CharField(_("business ID"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail address of the contact person"))
    role = models.CharField(
        _("role"), max_length=16, choices=Partner.Role.choices, default=Partner.Role.PARTNER
    )
    tasks = models.TextField(_("tasks in the project"), blank=True)
    editable_sections = models.JSONField(_("sections the partner may edit"), default=list)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("expires at"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The partnership the invitation became (gone again if the coordinator removed it).
    partner = models.OneToOneField(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    class Meta:
        ordering = ["application", "invited_at", "pk"]
        verbose_name = _("partner invitation")
        verbose_name_plural = _("partner invitations")

    def __str__(self):
        return f"{self.organisation_name} <{self.email}>"

    def is_pending(self, now) -> bool:
        """Waiting for an answer, and ``now`` within its validity (the deadline helper's rule:
        the instant it expires is still in time)."""
        return self.state == self.State.PENDING and deadlines.is_in_time(self.expires_at, now)


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("personnel costs")
    PURCHASED_SERVICES = "purchased_services", _("purchased services")
    TRAVEL = "travel", _("travel costs")
    OTHER = "other", _("other costs")
    INDIRECT = "indirect", _("flat-rate indirect costs")


class BudgetRow(models.Model):
    """The planned cost of one category in one year; flat-rate indirect costs are computed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_rows"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("cost category"), max_length=24, choices=CostCategory.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["application", "year", "category"]
        verbose_name = _("budget row")
        verbose_name_plural = _("budget rows")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year", "category"], name="application_budget_row_unique"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.category}: {self.amount}"


class IncomeRow(models.Model):
    """Income the project itself earns in a year (fees, sales); it reduces the aid base."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="income_rows"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["application", "year", "pk"]
        verbose_name = _("income row")
        verbose_name_plural = _("income rows")

    def __str__(self):
        return f"{self.year} {self.description}: {self.amount}"


def attachment_path(attachment, filename):
    # Never the user's file name on disk: a random name in the application's folder.
    return f"applications/{attachment.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an application, stored outside the public web root.

    Files are served only through a permission-checked view. An attachment that is part of a
    submitted snapshot is never deleted; removing it from a draft sets ``removed_at``.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=160)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The questionnaire question (of kind file) the attachment answers, if any.
    question_key = models.CharField(_("question"), max_length=60, blank=True)
    kind = models.CharField(_("file type"), max_length=8)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class RecordSequence(models.Model):
    """The registry's counter per funder and year; rows are locked while a number is taken,
    so numbers are unique and, because a rolled-back transaction returns its number, gap-free.
    """

    funder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["funder", "year"], name="record_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.funder_id}/{self.year}: {self.last_number}"


class Submission(models.Model):
    """An immutable snapshot of an application as the registry received it.

    The first submission has ``number`` 1; each resubmission after a completion request adds
    the next number under the same record number. ``content`` is the whole application as
    JSON (answers, questionnaire version, budget, partners, attachment hashes) and ``sha256``
    the hash of its canonical serialisation.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="submissions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    record_number = models.CharField(_("record number"), max_length=40)
    received_at = models.DateTimeField(_("received at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The drafts' versions this snapshot was taken from: a retry of the same submission (a
    # double click, a timeout) finds this row and gets the same receipt.
    draft_fingerprint = models.CharField(max_length=64)
    content = models.JSONField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # What the officers' lists filter, sort and search by, as ``content`` has it (written
    # with the submission, never changed).
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    aid_requested = models.DecimalField(_("aid requested"), **MONEY, default=Decimal("0.00"))
    theme = models.ForeignKey(
        "programmes.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    zone = models.ForeignKey(
        "programmes.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
    )
    municipalities = models.ManyToManyField(
        "places.Municipality",
        related_name="submissions",
        blank=True,
        verbose_name=_("participating municipalities"),
    )
    late_admission = models.ForeignKey(
        "LateAdmission", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_request = models.ForeignKey(
        "CompletionRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="submission_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.record_number} ({self.number})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A submission is immutable.")
        super().save(*args, **kwargs)


class PreparedSubmission(models.Model):
    """The snapshot of a draft as its check page showed it, built before the submit post.

    Submitting at the deadline then only locks the draft, compares its fingerprint with the
    one the snapshot was built from, and writes: the reading and the checks happened when the
    submitter opened the check page. A snapshot whose fingerprint no longer matches is
    ignored and the submit door builds the content itself. Only eligible drafts get one.
    What lies outside the draft (organisation names, the confirming users' addresses) is
    frozen as the check page read it, which is what the submitter saw.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="prepared"
    )
    fingerprint = models.CharField(_("draft fingerprint"), max_length=64)
    # ``snapshot.draft_content``: without the submission's number, instant and record number.
    content = models.JSONField(_("content"))
    prepared_at = models.DateTimeField(_("prepared at"))

    class Meta:
        verbose_name = _("prepared submission")
        verbose_name_plural = _("prepared submissions")

    def __str__(self):
        return f"{self.application_id}: {self.fingerprint[:12]}"


class LateAdmission(models.Model):
    """An officer's permission to submit after the deadline, with the recorded reason."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="late_admissions"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"))
    valid_until = models.DateTimeField(_("valid until"))
    reason = models.TextField(_("reason"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "-granted_at"]
        verbose_name = _("late admission")
        verbose_name_plural = _("late admissions")

    def __str__(self):
        return f"{self.application_id}: {self.valid_until:%Y-%m-%d %H:%M}"


class CompletionRequest(models.Model):
    """An officer's request to complete named parts of a submitted application by a deadline."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="completion_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    closes_at = models.DateTimeField(_("deadline"))
    message = models.TextField(_("message to the applicant"), blank=True)
    # The sections that may change: ``Section`` codes and ``answers:<questionnaire section id>``.
    items = models.JSONField(_("requested additions"), default=list)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "-requested_at"]
        verbose_name = _("completion request")
        verbose_name_plural = _("completion requests")

    def __str__(self):
        return f"{self.application_id}: {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class FullPhaseInvitation(models.Model):
    """An invitation to the full application phase for the consortium of an idea application."""

    phase = models.ForeignKey(
        "programmes.Phase", on_delete=models.CASCADE, related_name="invitations"
    )
    idea = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="invitation")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"))

    class Meta:
        ordering = ["phase", "invited_at"]
        verbose_name = _("invitation to the full application")
        verbose_name_plural = _("invitations to the full application")

    def __str__(self):
        return f"{self.phase_id}: {self.idea_id}"


class RefusedSave(models.Model):
    """The text of a save refused as stale, kept so nothing typed is lost."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="refused_saves"
    )
    section = models.CharField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    based_on_version = models.PositiveIntegerField()
    data = models.JSONField()
    refused_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "-refused_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(section=""), name="refused_save_has_section"),
        ]

    def __str__(self):
        return f"{self.application_id} {self.section} @{self.based_on_version}"


class Export(models.Model):
    """An officer's export of a phase's applications (CSV or XLSX), made by a background task."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phase = models.ForeignKey("programmes.Phase", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # The workspace filters the export was asked with (query parameters as a dict).
    filters = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=2, choices=settings.LANGUAGES)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.format} {self.created_at:%Y-%m-%d %H:%M}"

"""Questionnaires defined as data: a series, its numbered versions, sections, questions, choices.

A questionnaire is independent of programmes: applications, payment claims, reports and the
yearly follow-up all use the same models, and only ``QuestionnaireUse`` ties a questionnaire
to a phase and instrument. Texts are stored in fi, sv and en (modeltranslation, see
translation.py). A version with ``frozen_at`` set has been published: its sections,
questions and choices can no longer change (``FrozenVersionError``); edits go to a new
version made by ``services.edit_version``, and answers keep the version they were given to.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}

# Facts that statistics and decisions need are typed fields of the application, never
# free answers, so a question may not take their names.
RESERVED_KEYS = frozenset(
    {
        "title",
        "summary",
        "theme",
        "zone",
        "requested_amount",
        "budget",
        "municipalities",
        "regions",
        "partners",
        "coordinator",
    }
)

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    _("Use lower-case letters a–z, digits and underscores, starting with a letter."),
)


class FrozenVersionError(ValidationError):
    """Raised when something tries to change a published (frozen) questionnaire version."""

    def __init__(self):
        super().__init__(
            gettext(
                "This questionnaire version is published and cannot be changed. "
                "Make a new version to edit the questions."
            ),
            code="frozen",
        )


class Questionnaire(models.Model):
    """A series of versions of one questionnaire of a funder, e.g. "network application"."""

    class Purpose(models.TextChoices):
        APPLICATION = "application", _("application")
        PAYMENT_CLAIM = "payment_claim", _("payment claim")
        REPORT = "report", _("report")
        FOLLOW_UP = "follow_up", _("yearly follow-up")

    funder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="questionnaires",
        limit_choices_to={"is_funder": True},
        verbose_name=_("funder"),
    )
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=32, choices=Purpose.choices, default=Purpose.APPLICATION
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["funder", "code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["funder", "code"], name="questionnaire_unique_code"),
        ]

    def __str__(self):
        return self.name or self.code

    def delete(self, *args, **kwargs):
        if self.versions.filter(frozen_at__isnull=False).exists():
            raise ValidationError(
                gettext("A questionnaire with published versions cannot be deleted."),
                code="published",
            )
        return super().delete(*args, **kwargs)


class QuestionnaireVersion(models.Model):
    """Version ``number`` of a questionnaire: an editable draft until ``frozen_at`` is set.

    At most one version of a questionnaire is a draft, and it is the latest one.
    """

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveIntegerField(_("version number"), editable=False)
    created_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    frozen_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(frozen_at__isnull=True),
                name="questionnaire_version_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="questionnaire_version_number_ge_1"
            ),
        ]

    def __str__(self):
        return gettext("%(questionnaire)s, version %(number)s") % {
            "questionnaire": self.questionnaire,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        # Freezing happens only through services.freeze_version (a guarded UPDATE).
        if self._frozen_in_database():
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._frozen_in_database():
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self):
        return self.frozen_at is not None

    def _frozen_in_database(self):
        return (
            self.pk is not None
            and QuestionnaireVersion.objects.filter(pk=self.pk, frozen_at__isnull=False).exists()
        )


class FrozenGuardMixin:
    """Refuses to save or delete a part of a frozen version, before and after the change."""

    def _touches_frozen_version(self):
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if self._touches_frozen_version():
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._touches_frozen_version():
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)


class Section(FrozenGuardMixin, models.Model):
    """A titled group of questions in a questionnaire version."""

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    help_text = models.TextField(_("help text"), blank=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title

    def _touches_frozen_version(self):
        condition = Q(pk=self.version_id)
        if self.pk is not None:
            condition |= Q(sections=self.pk)
        return QuestionnaireVersion.objects.filter(condition, frozen_at__isnull=False).exists()


class Question(FrozenGuardMixin, models.Model):
    """One question; a ``table`` question's columns are questions with ``table`` set.

    ``version`` repeats ``section.version`` so that keys are unique per version in the
    database and a version's questions load in one query.
    """

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        NUMBER = "number", _("number")
        MONEY = "money", _("amount of money")
        DATE = "date", _("date")
        SINGLE_CHOICE = "single_choice", _("single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
        YES_NO = "yes_no", _("yes or no")
        FILE = "file", _("file")
        TABLE = "table", _("table of rows")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        CONFIDENTIAL = "confidential", _("confidential (business secret)")
        PERSONAL = "personal", _("personal data")

    TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
    NUMBER_KINDS = frozenset({Kind.NUMBER, Kind.MONEY})
    CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})
    # A table's columns hold single values: no nested tables and no files in cells.
    COLUMN_KINDS = frozenset(Kind) - {Kind.TABLE, Kind.FILE}
    SHORT_TEXT_DEFAULT_LENGTH = 300
    LONG_TEXT_DEFAULT_LENGTH = 5000
    TABLE_MAX_ROWS = 100

    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section")
    )
    table = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="columns",
        limit_choices_to={"kind": "table"},
        verbose_name=_("column of table"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.CharField(
        _("key"),
        max_length=60,
        validators=[key_validator],
        help_text=_(
            "A stable machine name, unique in the version, e.g. cooperation_goals. "
            "Answers are stored under it."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_("Public pages and open data show only public answers."),
    )
    max_length = models.PositiveIntegerField(
        _("maximum length (characters)"),
        null=True,
        blank=True,
        help_text=_("Required for long text; for short text the default is 300."),
    )
    min_value = models.DecimalField(_("minimum"), null=True, blank=True, **MONEY)
    max_value = models.DecimalField(_("maximum"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                condition=Q(table__isnull=True),
                name="question_unique_key_in_version",
                violation_error_message=_("Another question of this version has this key."),
            ),
            models.UniqueConstraint(
                fields=["table", "key"],
                condition=Q(table__isnull=False),
                name="question_unique_key_in_table",
                violation_error_message=_("Another column of this table has this key."),
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="question_min_le_max",
                violation_error_message=_("The minimum is larger than the maximum."),
            ),
        ]

    def __str__(self):
        return self.label or self.key

    def save(self, *args, **kwargs):
        self._place()
        super().save(*args, **kwargs)

    @property
    def is_column(self):
        return self.table_id is not None

    @property
    def text_limit(self):
        """The most characters an answer may have (text kinds only)."""
        if self.kind == self.Kind.SHORT_TEXT:
            return self.max_length or self.SHORT_TEXT_DEFAULT_LENGTH
        if self.kind == self.Kind.LONG_TEXT:
            # A long text saved without its limit (the admin asks for one) still has one.
            return self.max_length or self.LONG_TEXT_DEFAULT_LENGTH
        return self.max_length

    def _place(self):
        """A column lives where its table lives; a question in its section's version."""
        if self.table_id is not None:
            table = self.table
            self.section_id, self.version_id = table.section_id, table.version_id
        elif self.section_id is not None and self.version_id is None:
            self.version_id = self.section.version_id

    def clean(self):
        super().clean()
        self._place()
        errors = {}
        if self.key in RESERVED_KEYS:
            errors["key"] = gettext(
                "“%(key)s” is a typed field of the application (title, summary, theme or "
                "zone, amounts, municipalities, partners), not a question."
            ) % {"key": self.key}
        if (
            self.section_id is not None
            and self.version_id is not None
            and self.section.version_id != self.version_id
        ):
            errors["section"] = gettext("The section belongs to another version.")
        if self.table_id is not None:
            if self.table.kind != self.Kind.TABLE or self.table.table_id is not None:
                errors["table"] = gettext("Columns belong to a question of the kind table.")
            if self.kind not in self.COLUMN_KINDS:
                errors["kind"] = gettext("A table column cannot be a table or a file.")
        if self.kind == self.Kind.LONG_TEXT and not self.max_length:
            errors["max_length"] = gettext("A long text needs a maximum length.")
        if self.max_length is not None and self.kind not in self.TEXT_KINDS:
            errors["max_length"] = gettext("Only text questions have a maximum length.")
        if self.kind not in self.NUMBER_KINDS:
            for field in ("min_value", "max_value"):
                if getattr(self, field) is not None:
                    errors[field] = gettext("Only numbers and amounts have a minimum or maximum.")
        if self.pk is not None and self.kind != self.Kind.TABLE and self.columns.exists():
            errors["kind"] = gettext("This question has columns: it must stay a table.")
        if errors:
            raise ValidationError(errors)

    def _touches_frozen_version(self):
        condition = Q(pk=self.version_id)
        if self.pk is not None:
            condition |= Q(questions=self.pk)
        return QuestionnaireVersion.objects.filter(condition, frozen_at__isnull=False).exists()


class Choice(FrozenGuardMixin, models.Model):
    """An option of a choice question: a stable code (stored in answers) and its label."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    value = models.CharField(
        _("code"),
        max_length=60,
        validators=[key_validator],
        help_text=_("Stored in the answers; the label can be reworded in a later version."),
    )
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "value"],
                name="choice_unique_value",
                violation_error_message=_("Another choice of this question has this code."),
            ),
        ]

    def __str__(self):
        return self.label or self.value

    def clean(self):
        super().clean()
        if self.question_id is not None and self.question.kind not in Question.CHOICE_KINDS:
            raise ValidationError(gettext("Only choice questions have choices."))

    def _touches_frozen_version(self):
        condition = Q(questions=self.question_id)
        if self.pk is not None:
            condition |= Q(questions__choices=self.pk)
        return QuestionnaireVersion.objects.filter(condition, frozen_at__isnull=False).exists()


class QuestionnaireUse(models.Model):
    """The application questionnaire of one instrument in one phase of a call."""

    phase = models.ForeignKey(
        "programmes.Phase",
        on_delete=models.CASCADE,
        related_name="questionnaire_uses",
        verbose_name=_("phase"),
    )
    instrument = models.ForeignKey(
        "programmes.Instrument",
        on_delete=models.CASCADE,
        related_name="questionnaire_uses",
        verbose_name=_("instrument"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="uses",
        verbose_name=_("questionnaire"),
    )

    class Meta:
        ordering = ["phase", "instrument"]
        verbose_name = _("questionnaire of a phase")
        verbose_name_plural = _("questionnaires of phases")
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "instrument"],
                name="questionnaire_use_unique",
                violation_error_message=_(
                    "This phase and instrument already have a questionnaire."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.phase} / {self.instrument}: {self.questionnaire}"

    def clean(self):
        super().clean()
        if None in (self.phase_id, self.instrument_id, self.questionnaire_id):
            return
        errors = {}
        if self.instrument.call_id != self.phase.call_id:
            errors["instrument"] = gettext("The instrument belongs to another call.")
        if self.questionnaire.funder_id != self.phase.call.programme.funder_id:
            errors["questionnaire"] = gettext("The questionnaire belongs to another funder.")
        elif self.questionnaire.purpose != Questionnaire.Purpose.APPLICATION:
            errors["questionnaire"] = gettext("Choose an application questionnaire.")
        if errors:
            raise ValidationError(errors)

"""Input of the officers' workspace: list filters, bulk actions, exports, the officer's
actions on one application, and the choice of versions to compare."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regionet.ids import IdsField
from regionet.programmes import deadlines
from regionet.texts import StatedLimitsMixin

from . import limits, queries
from .models import Application, ApplicationState, Export, Screening, Section
from .services import BULK_ACTIONS, late_admission_limit, late_admission_validity_problem

ANY = ("", _("Any"))

SORT_CHOICES = [
    (f"{direction}{key}", f"{direction}{key}")
    for key in queries.SORT_KEYS
    for direction in ("", "-")
]


class WorkspaceFilterForm(forms.Form):
    """The filters of a phase's list (a GET form): each empty field leaves the list as it is."""

    q = forms.CharField(
        label=pgettext_lazy("workspace", "Search"),
        required=False,
        max_length=200,
        help_text=_(
            "A record number, or words in the title, the summary or the coordinator's name."
        ),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=None, required=False, empty_label=_("Any")
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=None, required=False, empty_label=_("Any")
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, required=False, empty_label=_("Any")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=None, required=False, empty_label=_("Any")
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label=_("Any")
    )
    screening = forms.ChoiceField(
        label=_("Eligibility screening"),
        required=False,
        choices=[ANY, *Screening.choices],
    )
    late = forms.ChoiceField(
        label=_("Submitted late with an admission"),
        required=False,
        choices=[ANY, ("yes", _("Yes")), ("no", _("No"))],
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    # The names that select applications (an export keeps these), in the form's order.
    FILTER_NAMES = (
        "q",
        "state",
        "instrument",
        "theme",
        "zone",
        "region",
        "municipality",
        "screening",
        "late",
        "sort",
    )

    def __init__(self, phase, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = phase.call.programme
        self.fields["state"].choices = [
            ANY,
            *(
                (value, label)
                for value, label in ApplicationState.choices
                if value != ApplicationState.DRAFT
            ),
        ]
        self.fields["instrument"].queryset = phase.call.instruments.order_by("order", "pk")
        self.fields["theme"].queryset = programme.themes.order_by("order", "pk")
        self.fields["zone"].queryset = programme.zones.order_by("order", "pk")
        self.fields["region"].queryset = queries.region_choices(phase)
        self.fields["municipality"].queryset = queries.municipality_choices(phase)

    def filters(self) -> dict:
        """The valid filters (an invalid one is shown with its error and not applied)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def query_parameters(self) -> dict[str, str]:
        """The valid filters as the query parameters they came in (stored with an export)."""
        self.is_valid()
        return {
            name: str(self.data[name])
            for name in self.FILTER_NAMES
            if self.cleaned_data.get(name) and self.data.get(name)
        }


class BulkActionForm(forms.Form):
    """One officer action on the applications ticked in the list."""

    action = forms.ChoiceField(label=_("Action for the selected applications"), choices=())
    applications = IdsField(
        queryset=None,
        error_messages={"required": _("Select at least one application.")},
    )

    def __init__(self, phase, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Choose an action")), *BULK_ACTIONS.items()]
        self.fields["applications"].queryset = Application.objects.filter(
            phase=phase, first_submitted_at__isnull=False
        )


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=Export.Format.choices)


def _local_instant(date, time, time_zone):
    """The instant at which the programme's clocks show ``date`` ``time``."""
    try:
        return deadlines.instant_at(datetime.combine(date, time), time_zone)
    except deadlines.NonExistentLocalTime:
        raise forms.ValidationError(
            _("This time does not exist on that day: the clocks skip it. Choose another time."),
            code="nonexistent",
        ) from None
    except deadlines.AmbiguousLocalTime:
        raise forms.ValidationError(
            _("This time happens twice on that day as the clocks go back. Choose another time."),
            code="ambiguous",
        ) from None


class LocalDeadlineMixin:
    """A date and a time (``<prefix>_date``, ``<prefix>_time``) in the programme's zone."""

    deadline_prefix = "deadline"

    def clean(self):
        cleaned = super().clean()
        date = cleaned.get(f"{self.deadline_prefix}_date")
        time = cleaned.get(f"{self.deadline_prefix}_time")
        if date is not None and time is not None:
            try:
                cleaned[self.deadline_prefix] = _local_instant(date, time, self.time_zone)
            except forms.ValidationError as error:
                self.add_error(f"{self.deadline_prefix}_time", error)
        return cleaned


def _date_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _time_field(label):
    return forms.TimeField(
        label=label,
        initial="16:15",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


def section_choices(application) -> list[tuple[str, str]]:
    """The parts of an application a completion request can name: the fixed sections and the
    sections of its questionnaire (``answers:<section id>``)."""
    choices = list(Section.choices)
    version = application.questionnaire_version
    if version is not None:
        for section in version.sections.order_by("order", "pk"):
            choices.append(
                (
                    f"answers:{section.pk}",
                    gettext("Questions: %(title)s") % {"title": section.title},
                )
            )
    return choices


class CompletionRequestForm(StatedLimitsMixin, LocalDeadlineMixin, forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Parts the applicant may complete"),
        help_text=_(
            "Parts whose checks depend on each other are opened together: the budget opens "
            "the financing plan, which must cover the costs, and questions answered with a "
            "file open the attachments."
        ),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one part to complete.")},
    )
    deadline_date = _date_field(_("Deadline (date)"))
    deadline_time = _time_field(_("Deadline (time)"))
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=limits.COMPLETION_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, application, *args, **kwargs):
        super().__init__(*args, prefix="completion", **kwargs)
        self.time_zone = application.phase.call.programme.time_zone
        self.fields["items"].choices = section_choices(application)
        self.fields["deadline_time"].help_text = deadlines.zone_name(self.time_zone)


class LateAdmissionForm(StatedLimitsMixin, LocalDeadlineMixin, forms.Form):
    deadline_prefix = "valid_until"

    reason = forms.CharField(
        label=_("Reason for the late admission"),
        max_length=limits.LATE_ADMISSION_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for the late admission.")},
    )
    valid_until_date = _date_field(_("Valid until (date)"))
    valid_until_time = _time_field(_("Valid until (time)"))

    def __init__(self, application, *args, now=None, **kwargs):
        super().__init__(*args, prefix="late", **kwargs)
        self.phase = application.phase
        self.now = now or timezone.now()
        self.time_zone = self.phase.call.programme.time_zone
        self.fields["valid_until_time"].help_text = deadlines.zone_name(self.time_zone)
        days = settings.REGIONET_LATE_ADMISSION_MAX_DAYS
        self.fields["valid_until_date"].help_text = ngettext(
            "At the latest %(limit)s: a late admission runs for at most %(days)d day after "
            "the phase's deadline, or after it is granted if that is later.",
            "At the latest %(limit)s: a late admission runs for at most %(days)d days after "
            "the phase's deadline, or after it is granted if that is later.",
            days,
        ) % {
            "days": days,
            "limit": deadlines.format_deadline(
                late_admission_limit(self.phase, self.now), self.time_zone
            ),
        }

    def clean(self):
        cleaned = super().clean()
        valid_until = cleaned.get("valid_until")
        # The door's own rule, asked here so that its refusal lands on the date field.
        if valid_until is not None and (
            problem := late_admission_validity_problem(self.phase, valid_until, self.now)
        ):
            self.add_error("valid_until_date", problem)
        return cleaned


class ScreeningForm(StatedLimitsMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("Result of the eligibility screening"),
        choices=Screening.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.SCREENING_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, application, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"result": application.screening, "note": application.screening_note}
        )
        super().__init__(*args, prefix="screening", **kwargs)


class CompareForm(forms.Form):
    """Two versions (submission numbers) of an application; by default the last two."""

    a = forms.TypedChoiceField(coerce=int, required=False, label=_("Earlier version"))
    b = forms.TypedChoiceField(coerce=int, required=False, label=_("Later version"))

    def __init__(self, numbers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = list(numbers)
        choices = [(number, str(number)) for number in self.numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def versions(self) -> tuple[int, int]:
        self.is_valid()
        last = self.numbers[-1]
        previous = self.numbers[-2] if len(self.numbers) > 1 else last
        a = self.cleaned_data.get("a") or previous
        b = self.cleaned_data.get("b") or last
        return min(a, b), max(a, b)

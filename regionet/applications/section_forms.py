"""The forms of an application's section pages: they parse what the applicant typed into the
data ``services.save_section`` (and the consortium and attachment doors) take.

Drafts are saved half-finished, so nothing here is required that the submission check
(``eligibility.application_checks``) asks for later. Amounts are read by the page's language
with the site's one money field (``programmes.money.MoneyField``): "1 250,50" in Finnish and
Swedish, "1,250.50" in English.
"""

import dataclasses

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from regionet.accounts.business_ids import NORMALISERS
from regionet.accounts.models import Organisation
from regionet.places.models import MunicipalityPeriod, valid_in_year
from regionet.programmes.models import Instrument
from regionet.programmes.money import MoneyField
from regionet.questionnaires.forms import QuestionnaireForm
from regionet.questionnaires.models import Question
from regionet.questionnaires.queries import questions_of
from regionet.texts import StatedLimitsMixin, state_limit

from . import budget as budget_math
from . import limits
from .models import CostCategory, Partner, Section
from .uploads import ALLOWED_KINDS, MEGABYTE, AttachmentField, max_upload_bytes

# --- Title, summary and theme -----------------------------------------------------------


class BasicsForm(StatedLimitsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the project"), max_length=limits.TITLE, required=False
    )
    summary = forms.CharField(
        label=pgettext_lazy("application", "Summary"),
        max_length=limits.SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, application, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": application.title,
                "summary": application.summary,
                "theme": application.theme_id,
                "zone": application.zone_id,
            },
        )
        super().__init__(*args, **kwargs)
        programme = application.phase.call.programme
        self.fields["summary"].help_text = gettext(
            "What the network does, with whom and for what, in plain language."
        )
        state_limit(self.fields["summary"])
        kind = application.instrument.kind
        if kind == Instrument.Kind.THEMATIC_NETWORK:
            self.fields["theme"] = forms.ModelChoiceField(
                label=_("Theme"),
                queryset=programme.themes.all(),
                required=False,
                empty_label=gettext("Choose a theme"),
            )
        elif kind == Instrument.Kind.DEVELOPMENT_ZONE:
            self.fields["zone"] = forms.ModelChoiceField(
                label=_("Development zone"),
                queryset=programme.zones.all(),
                required=False,
                empty_label=gettext("Choose a development zone"),
            )

    def section_data(self) -> dict:
        data = self.cleaned_data
        theme, zone = data.get("theme"), data.get("zone")
        return {
            "title": data["title"],
            "summary": data["summary"],
            "theme": theme.pk if theme else None,
            "zone": zone.pk if zone else None,
        }


# --- Participating municipalities -------------------------------------------------------


def municipality_periods(application, year: int) -> list[MunicipalityPeriod]:
    """Where each municipality of the instrument's countries belonged in ``year`` (one query),
    ordered by region and name."""
    return list(
        MunicipalityPeriod.objects.valid_in(year)
        .filter(
            valid_in_year(year, "municipality__"),
            municipality__country__in=application.instrument.countries.values("pk"),
        )
        .select_related("municipality", "region")
        .order_by("region__country__code", "region__code", "municipality__name")
    )


class MunicipalitiesForm(forms.Form):
    """The municipalities, as checkboxes grouped by region (``groups``)."""

    municipalities = forms.TypedMultipleChoiceField(
        label=_("Participating municipalities"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, application, periods, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"municipalities": [m.pk for m in application.municipalities.all()]}
        )
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.fields["municipalities"].choices = [
            (period.municipality_id, period.municipality.name) for period in periods
        ]

    def chosen_ids(self) -> set[int]:
        """The ids ticked on the page: the posted ones when bound, else the saved ones."""
        if self.is_bound:
            values = self.data.getlist(self.add_prefix("municipalities"))
        else:
            values = self.initial.get("municipalities") or []
        chosen = set()
        for value in values:
            try:
                chosen.add(int(value))
            except (TypeError, ValueError):
                continue
        return chosen

    def region_groups(self, query: str = "") -> list["RegionGroup"]:
        """The regions of the chooser with the municipalities that match ``query`` (all of
        them when it is empty), ticked or not; a region whose municipalities all fail to
        match is left out. A region with a ticked municipality, or with matches of a query,
        starts open."""
        chosen = self.chosen_ids()
        needle = query.strip().casefold()
        groups: list[RegionGroup] = []
        for period in self.periods:
            if not groups or groups[-1].region.pk != period.region_id:
                groups.append(RegionGroup(period.region))
            group = groups[-1]
            ticked = period.municipality_id in chosen
            group.chosen_count += ticked
            names = _search_names(period.municipality, period.region)
            if needle in names:
                group.municipalities.append((period.municipality, ticked, names))
            elif ticked:
                group.hidden_chosen.append(period.municipality_id)
        for group in groups:
            group.is_open = bool(group.chosen_count or (needle and group.municipalities))
        return groups

    def section_data(self) -> dict:
        return {"municipalities": list(self.cleaned_data["municipalities"])}


@dataclasses.dataclass
class RegionGroup:
    """One region of the municipality chooser (``MunicipalitiesForm.region_groups``)."""

    region: object
    # (municipality, ticked, its names as the filter reads them), for those shown.
    municipalities: list = dataclasses.field(default_factory=list)
    # Ticked municipalities the filter hides: the form still sends them.
    hidden_chosen: list = dataclasses.field(default_factory=list)
    chosen_count: int = 0
    is_open: bool = False


def _search_names(municipality, region) -> str:
    """The names a filter matches, in every language, case-folded and joined: typing
    "helsingfors" on a Finnish page or the region's name finds a municipality too."""
    names = {
        getattr(place, f"name_{code}", "") or ""
        for place in (municipality, region)
        for code in ("fi", "sv", "en")
    }
    return "|".join(sorted(name.casefold() for name in names if name))


class MunicipalityFilterForm(forms.Form):
    """The municipality chooser's filter: a part of a name (GET ``q``, or posted with the
    section form by its Filter button)."""

    q = forms.CharField(required=False, max_length=100, strip=True)

    @classmethod
    def query_of(cls, data) -> str:
        form = cls(data)
        return form.cleaned_data["q"] if form.is_valid() else ""


# --- Budget -----------------------------------------------------------------------------


def cost_field_name(year: int, category: str) -> str:
    return f"cost_{year}_{category}"


class IncomeRowForm(StatedLimitsMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    description = forms.CharField(label=_("Description"), max_length=limits.INCOME_DESCRIPTION)
    amount = MoneyField(label=pgettext_lazy("income row", "Amount"), required=True)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = years[0] if years else None

    def has_changed(self):
        # A row without a description or an amount is the empty row: its year select posts a
        # year whatever the user did.
        return any(self[name].data not in (None, "") for name in ("description", "amount"))


# A posted row count of 10^20 would otherwise build Django's default ceiling of 2 000 rows.
IncomeFormSet = forms.formset_factory(
    IncomeRowForm,
    extra=1,
    can_delete=True,
    max_num=limits.INCOME_ROWS,
    absolute_max=limits.INCOME_ROWS + 1,
    validate_max=True,
)


class BudgetForm(forms.Form):
    """One amount per year and entered cost category, and the income rows (``income``)."""

    def __init__(self, application, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = application.phase.call.programme
        self.years = list(programme.years)
        self.categories = [CostCategory(c) for c in budget_math.ENTERED_CATEGORIES]
        saved = {(row.year, row.category): row.amount for row in application.budget_rows.all()}
        for category in self.categories:
            for year in self.years:
                name = cost_field_name(year, category.value)
                self.fields[name] = MoneyField(
                    label=gettext("%(category)s %(year)d")
                    % {"category": category.label.capitalize(), "year": year}
                )
                if (year, category.value) in saved:
                    self.initial[name] = saved[(year, category.value)]
        rows = [
            {"year": row.year, "description": row.description, "amount": row.amount}
            for row in application.income_rows.all()
        ]
        self.income = IncomeFormSet(
            self.data if self.is_bound else None,
            initial=rows or None,
            prefix="income",
            form_kwargs={"years": self.years},
        )

    def rows(self):
        """[(category, [bound field per year])] for the table."""
        return [
            (
                category,
                [self[cost_field_name(year, category.value)] for year in self.years],
            )
            for category in self.categories
        ]

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self.income.is_valid():
            self.add_error(None, gettext("Check the income rows."))

    def summary_formsets(self):
        """The income rows, whose errors the error summary lists with their fields."""
        return [self.income]

    def section_data(self) -> dict:
        costs = {}
        for category in self.categories:
            for year in self.years:
                amount = self.cleaned_data.get(cost_field_name(year, category.value))
                if amount:
                    costs[(year, category.value)] = amount
        income = [
            {
                "year": row.cleaned_data["year"],
                "description": row.cleaned_data["description"],
                "amount": row.cleaned_data["amount"],
            }
            for row in self.income.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        return {"costs": costs, "income": income}


# --- Financing plan ---------------------------------------------------------------------


class FinancingForm(forms.Form):
    aid_requested = MoneyField(label=_("Aid requested"))
    own_financing = MoneyField(
        label=_("Own financing"),
        help_text=_("What the coordinator and the partners pay themselves."),
    )
    other_public_funding = MoneyField(
        label=_("Other public funding"),
        help_text=_("For example municipalities' or regions' funding for the project."),
    )

    def __init__(self, application, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "aid_requested": application.aid_requested,
                "own_financing": application.own_financing,
                "other_public_funding": application.other_public_funding,
            },
        )
        super().__init__(*args, **kwargs)

    def section_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or budget_math.ZERO
            for name in ("aid_requested", "own_financing", "other_public_funding")
        }


# --- Questionnaire answers --------------------------------------------------------------


class SectionAnswersForm(QuestionnaireForm):
    """The questions of one questionnaire section.

    A draft keeps half-finished answers, so no question is required here; the required ones
    are marked (``required_keys``) and the submission check asks for them. File questions are
    answered on the attachments page: they are listed (``file_questions``), not fields.
    """

    def __init__(self, version, section_id, data=None, *, answers=None):
        questions = [q for q in questions_of(version) if q.section_id == section_id]
        self.section = questions[0].section if questions else None
        self.required_keys = {q.key for q in questions if q.required}
        self.file_questions = [q for q in questions if q.kind == Question.Kind.FILE]
        answerable = []
        for question in questions:
            if question.kind == Question.Kind.FILE:
                continue
            question.required = False
            answerable.append(question)
        super().__init__(version, answerable, data, answers=answers)
        for key in self.required_keys & set(self.fields):
            field = self.fields[key]
            field.label = gettext("%(label)s (required before submitting)") % {"label": field.label}

    def section_data(self, stored_answers: dict) -> dict:
        """The answers of this section; the stored references of its file questions stay."""
        data = self.answers()
        for question in self.file_questions:
            if stored_answers.get(question.key) not in (None, "", []):
                data[question.key] = stored_answers[question.key]
        return data


# --- Consortium -------------------------------------------------------------------------


def partner_section_choices(version_sections) -> list[tuple[str, str]]:
    """The sections a partner's members can be allowed to edit (the consortium stays the
    coordinator's)."""
    choices = [(code, label) for code, label in Section.choices if code != Section.PARTNERS.value]
    choices += [(f"answers:{section.pk}", section.title) for section in version_sections]
    return choices


class BusinessIdField(forms.CharField):
    """A Finnish Y-tunnus or a Swedish organisationsnummer, normalised; cleans to
    [(country code, business ID)] — the readings its format allows."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return []
        readings, problems = [], []
        for country_code, normalise in NORMALISERS.items():
            try:
                readings.append((country_code, normalise(text)))
            except ValidationError as error:
                if error.code != "format":
                    problems.append(error)
        if readings:
            return readings
        if problems:
            raise problems[0]
        raise ValidationError(
            _(
                "Write a Finnish business ID (Y-tunnus), for example 0112038-9, or a Swedish "
                "organisation number (organisationsnummer), for example 212000-0142."
            ),
            code="format",
        )


class PartnerTermsForm(StatedLimitsMixin, forms.Form):
    """A partner's role, tasks and the sections its members may edit: asked when a registered
    organisation is added and when one is invited by e-mail."""

    role = forms.ChoiceField(label=_("Role"), choices=Partner.Role.choices)
    tasks = forms.CharField(
        label=_("Tasks in the project"),
        required=False,
        max_length=limits.PARTNER_TASKS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    editable_sections = forms.MultipleChoiceField(
        label=_("Parts of the application its members may edit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, section_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editable_sections"].choices = section_choices


class AddPartnerForm(PartnerTermsForm):
    business_id = BusinessIdField(
        label=_("Business ID of the partner"),
        help_text=_("Y-tunnus (1234567-8) or organisationsnummer (123456-7890)."),
    )
    field_order = ["business_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.organisation = None
        self.not_registered = False

    def clean_business_id(self):
        readings = self.cleaned_data["business_id"]
        for country_code, business_id in readings:
            organisation = Organisation.objects.filter(
                country__code=country_code, business_id=business_id
            ).first()
            if organisation is not None:
                self.organisation = organisation
                return business_id
        self.not_registered = True
        raise ValidationError(
            _(
                "No organisation with the business ID %(business_id)s is registered in "
                "Regionet. The partner must register its organisation first."
            ),
            code="not_registered",
            params={"business_id": readings[0][1]},
        )


class PartnerSectionsForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Parts of the application its members may edit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, partner, *args, section_choices=(), **kwargs):
        kwargs.setdefault("initial", {"sections": list(partner.editable_sections)})
        super().__init__(*args, prefix=f"partner-{partner.pk}", **kwargs)
        self.partner = partner
        self.fields["sections"].choices = section_choices


# --- Attachments ------------------------------------------------------------------------


class AttachmentForm(StatedLimitsMixin, forms.Form):
    file = AttachmentField(label=_("File"))
    description = forms.CharField(
        label=_("Description"), max_length=limits.ATTACHMENT_DESCRIPTION, required=False
    )
    question_key = forms.ChoiceField(
        label=_("The question the file answers"), required=False, choices=()
    )

    def __init__(self, *args, file_questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are read before choosing a file (help text comes before the input).
        self.fields["file"].help_text = gettext(
            "Accepted files: %(kinds)s, at most %(size)s MB each. Files are checked by their "
            "content: a file with macros, a password or another type under a changed name is "
            "refused."
        ) % {"kinds": accepted_kinds_text(), "size": max_upload_bytes() // MEGABYTE}
        if file_questions:
            self.fields["question_key"].choices = [("", gettext("None: another attachment"))] + [
                (question.key, question.label) for question in file_questions
            ]
        else:
            del self.fields["question_key"]


def accepted_kinds_text() -> str:
    """ "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT)" in the active language."""
    return ", ".join(str(kind.label) for kind in ALLOWED_KINDS.values())

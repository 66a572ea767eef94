"""Input of the applicant's pages: starting an application, submitting, withdrawing, confirming
a partnership, inviting a partner by e-mail and answering that invitation. Forms parse and
validate; the services in ``services.py`` act."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regionet.accounts import geography
from regionet.accounts.business_ids import normalise_business_id
from regionet.accounts.models import Organisation
from regionet.programmes import deadlines
from regionet.programmes.models import Instrument, Phase
from regionet.texts import StatedLimitsMixin

from . import limits
from .section_forms import PartnerTermsForm


class PhaseChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, time_zone, **kwargs):
        self.time_zone = time_zone
        super().__init__(*args, **kwargs)

    def label_from_instance(self, phase):
        closes = deadlines.format_deadline(phase.closes_at, self.time_zone)
        label = gettext("%(phase)s, closes %(deadline)s") % {
            "phase": phase.name,
            "deadline": closes,
        }
        if phase.requires_invitation:
            label = gettext("%(label)s (only for applicants invited after the previous phase)") % {
                "label": label
            }
        return label


class StartForm(forms.Form):
    """Which phase, instrument and coordinator a new application is for, and its language.

    Only phases open at ``now`` are offered; the start door decides the rest (invitations,
    membership) and its reasons are shown as errors of the form.
    """

    phase = PhaseChoiceField(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        widget=forms.RadioSelect,
        time_zone="Europe/Helsinki",
        empty_label=None,
    )
    instrument = forms.ModelChoiceField(
        label=_("What you apply for"),
        queryset=Instrument.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinating organisation"),
        help_text=_("The organisation that applies and answers for the project."),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    language = forms.ChoiceField(
        label=_("Language of the application"),
        help_text=_("The receipt and the messages about the application are in this language."),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, call, user, open_phases, **kwargs):
        super().__init__(*args, **kwargs)
        phase_field = self.fields["phase"]
        phase_field.time_zone = call.programme.time_zone
        phase_field.queryset = Phase.objects.filter(
            pk__in=[phase.pk for phase in open_phases]
        ).order_by("order")
        self.fields["instrument"].queryset = call.instruments.order_by("order", "pk")
        self.fields["coordinator"].queryset = user_organisations(user)
        self.fields["language"].initial = user.preferred_language or settings.LANGUAGE_CODE
        # A single choice is made for the user, and still shown.
        for name in ("phase", "instrument", "coordinator"):
            choices = list(self.fields[name].queryset[:2])
            if len(choices) == 1:
                self.fields[name].initial = choices[0].pk


def user_organisations(user):
    """The organisations ``user`` may apply for: the applicant organisations they belong to."""
    return Organisation.objects.filter(memberships__user=user, is_funder=False).order_by("name")


class SubmitForm(forms.Form):
    """The submit button; ``fingerprint`` names the draft the user checked."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class WithdrawForm(StatedLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawing (optional)"),
        help_text=_("The programme's officers see the reason."),
        required=False,
        max_length=limits.WITHDRAWAL_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommitmentForm(StatedLimitsMixin, forms.Form):
    commitment = forms.CharField(
        label=_("Letter of commitment"),
        help_text=_(
            "Your organisation commits to take part in the project. You can edit the text; "
            "it becomes part of the application."
        ),
        max_length=limits.LETTER_OF_COMMITMENT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# --- Inviting a partner by e-mail ---------------------------------------------------------


class BusinessIdText(forms.CharField):
    """A business ID as typed, read by the country chosen beside it (``clean``); a format,
    not free text, so no character count is stated."""


class InvitePartnerForm(PartnerTermsForm):
    """The coordinator invites an organisation by its contact person's e-mail address."""

    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    country = forms.ModelChoiceField(
        label=_("Country of the organisation"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    business_id = BusinessIdText(
        label=_("Business ID, if you know it"),
        help_text=_("Y-tunnus (1234567-8) or organisationsnummer (123456-7890)."),
        max_length=20,
        required=False,
    )
    email = forms.EmailField(
        label=_("E-mail address of its contact person"),
        help_text=_("The invitation goes to this address; only its owner can answer it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["organisation_name", "country", "business_id", "email"]

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)
        countries = geography.registrable_countries()
        self.fields["country"].queryset = countries
        self.fields["country"].label_from_instance = lambda country: country.name
        self.fields["country"].initial = application.coordinator.country_id

    def clean(self):
        cleaned = super().clean()
        country, business_id = cleaned.get("country"), cleaned.get("business_id")
        if country is not None and business_id:
            try:
                cleaned["business_id"] = normalise_business_id(country.code, business_id)
            except ValidationError as error:
                self.add_error("business_id", error)
        return cleaned


class JoinAsOrganisationForm(forms.Form):
    """The invited contact person chooses which of their organisations joins."""

    organisation = forms.ModelChoiceField(
        label=_("The organisation that takes part"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[organisation.pk for organisation in organisations]
        ).order_by("name", "pk")
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk

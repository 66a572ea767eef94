"""Input of the accounts pages: sign-up details, organisation registration, invitations."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from regionet.texts import StatedLimitsMixin

from . import geography, services
from .business_ids import normalise_business_id
from .models import Language, Membership, Organisation


class SignupDetailsForm(StatedLimitsMixin, forms.Form):
    """Extra sign-up fields, added to allauth's form through ACCOUNT_SIGNUP_FORM_CLASS."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Each language in its own name, so everyone finds theirs.
    preferred_language = forms.ChoiceField(
        label=_("Language of e-mail messages"),
        choices=[("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (translation.get_language() or "fi")[:2]
        self.fields["preferred_language"].initial = (
            language if language in Language.values else Language.FINNISH
        )

    def signup(self, request, user):
        # Called by allauth once it has saved the new user.
        user.full_name = self.cleaned_data["full_name"].strip()
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "preferred_language"])


# Per country, because a country's name cannot be inflected inside a Finnish sentence.
UNKNOWN_MUNICIPALITY_CODE = {
    "FI": _("There is no municipality in Finland with the code %(value)s."),
    "SE": _("There is no municipality in Sweden with the code %(value)s."),
}

COUNTRY_TEXTS = {
    "FI": {
        "title": _("Register a Finnish organisation"),
        "choice": _("A Finnish organisation, with a business ID (Y-tunnus)"),
    },
    "SE": {
        "title": _("Register a Swedish organisation"),
        "choice": _("A Swedish organisation, with an organisation number (organisationsnummer)"),
    },
}


class MunicipalityChoiceField(forms.ModelChoiceField):
    """Chooses a municipality by its official code; an unknown code gets a clear message."""

    def __init__(self, *, country, **kwargs):
        self.country = country
        super().__init__(
            queryset=geography.current_municipalities(country),
            to_field_name="code",
            **kwargs,
        )
        self.error_messages["invalid_choice"] = UNKNOWN_MUNICIPALITY_CODE[
            geography.country_code(country)
        ]

    def label_from_instance(self, obj):
        return obj.name


BUSINESS_ID_LABELS = {
    "FI": (_("Business ID (Y-tunnus)"), _("Seven digits, a hyphen and a check digit: 0112038-9.")),
    "SE": (
        _("Organisation number (organisationsnummer)"),
        _("Ten digits: 212000-0142."),
    ),
}

NAME_HELP = {
    "FI": _("Give at least the Finnish or the Swedish name, as in the Trade Register."),
    "SE": _("The Swedish name is required."),
}


class OrganisationRegistrationForm(StatedLimitsMixin, forms.Form):
    """Registering an organisation of one country; the country is chosen on the page before."""

    type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose a type")), *Organisation.Type.choices],
    )
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200, required=False)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    business_id = forms.CharField(label=_("Business ID"), max_length=20)

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        code = geography.country_code(country)
        label, help_text = BUSINESS_ID_LABELS[code]
        self.fields["business_id"].label = label
        self.fields["business_id"].help_text = help_text
        self.fields["name_en"].help_text = _("Optional.")
        if code == "SE":
            self.fields["name_fi"].help_text = _("Optional.")
            self.fields["name_sv"].help_text = NAME_HELP["SE"]
        else:
            self.fields["name_fi"].help_text = NAME_HELP["FI"]
            self.fields["name_sv"].help_text = NAME_HELP["FI"]
        self.fields["home_municipality"] = MunicipalityChoiceField(
            country=country,
            label=_("Home municipality"),
            empty_label=_("Choose a municipality"),
            help_text=_(
                "For a municipality, choose the municipality itself: "
                "the organisation is then tied to it."
            ),
        )
        self.order_fields(["type", "name_fi", "name_sv", "name_en", "business_id"])

    def clean(self):
        # Check everything the service will check, so that every error shows at once.
        cleaned = super().clean()
        if "business_id" not in cleaned:
            return cleaned
        try:
            cleaned["business_id"] = services.check_organisation(
                country=self.country,
                type=cleaned.get("type"),
                business_id=cleaned["business_id"],
                home_municipality=cleaned.get("home_municipality"),
                names={lang: cleaned.get(f"name_{lang}", "") for lang in ("fi", "sv", "en")},
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned

    def organisation_fields(self) -> dict:
        """The registration door's keyword arguments, from the valid form."""
        data = self.cleaned_data
        return {
            "country": self.country,
            "type": data["type"],
            "business_id": data["business_id"],
            "home_municipality": data["home_municipality"],
            "name_fi": data["name_fi"],
            "name_sv": data["name_sv"],
            "name_en": data["name_en"],
        }


class OrganisationAdminForm(forms.ModelForm):
    """The admin's organisation form: a business ID is read as it is typed (spaces, no
    hyphen, an "FI" prefix) and stored in its standard form; the model checks the rest."""

    # What is typed may be longer than the standard form stored (as on the registration form).
    business_id = forms.CharField(
        label=capfirst(Organisation._meta.get_field("business_id").verbose_name),
        help_text=Organisation._meta.get_field("business_id").help_text,
        max_length=20,
    )

    class Meta:
        model = Organisation
        # The admin chooses the fields (its fieldsets); naming some here would hide the rest.
        fields = "__all__"  # noqa: DJ007

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        business_id = cleaned.get("business_id")
        if country is not None and business_id:
            try:
                cleaned["business_id"] = normalise_business_id(country.code, business_id)
            except ValidationError as error:
                self.add_error("business_id", error)
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role in the organisation"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text=_("Administrators can invite and remove members."),
    )

"""Input of the event pages: the registration form."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from regionet.accounts.models import Language
from regionet.texts import StatedLimitsMixin


class RegistrationForm(StatedLimitsMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The organisation you represent at the event."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The confirmation and the link for cancelling are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Each language in its own name, so everyone finds theirs.
    language = forms.ChoiceField(
        label=_("Language of e-mail messages"),
        choices=[("fi", "Suomi"), ("sv", "Svenska"), ("en", "English")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (translation.get_language() or "fi")[:2]
        self.fields["language"].initial = (
            language if language in Language.values else Language.FINNISH
        )

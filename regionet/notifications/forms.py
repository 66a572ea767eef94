"""Input of the notice pages: the user's choice of the notices they get."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .kinds import all_kinds

REQUIRED_TEXT = _("Required by law: this notice is always sent and cannot be switched off.")


def field_name(code: str) -> str:
    return "kind_" + code.replace(".", "__")


class PreferencesForm(forms.Form):
    """One checkbox per kind; the kinds required by law are checked and cannot be changed."""

    def __init__(self, *args, enabled, **kwargs):
        super().__init__(*args, **kwargs)
        self.optional_codes = {}
        for kind in all_kinds():
            name = field_name(kind.code)
            if kind.legally_required:
                self.fields[name] = forms.BooleanField(
                    label=kind.label,
                    required=False,
                    disabled=True,
                    initial=True,
                    help_text=format_lazy("{} {}", kind.description, REQUIRED_TEXT),
                )
            else:
                self.fields[name] = forms.BooleanField(
                    label=kind.label,
                    required=False,
                    initial=kind.code in enabled,
                    help_text=kind.description,
                )
                self.optional_codes[name] = kind.code

    def enabled_codes(self) -> set[str]:
        """The optional kinds left checked."""
        return {code for name, code in self.optional_codes.items() if self.cleaned_data[name]}

"""Input of the places pages: the year to show."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class YearForm(forms.Form):
    """The year whose division a page shows; the current year when none (or a bad one) is given."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data["year"] is not None:
            return self.cleaned_data["year"]
        return timezone.localdate().year

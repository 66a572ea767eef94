"""Django forms made from a questionnaire version, so pages render questionnaires as data.

``build_form(version)`` gives a form with one field per question (named by its key, with
label and help text in the active language); a table question's field carries a formset
of rows. ``form.answers()`` turns the cleaned data into the JSON-ready answers that
``answers.validate_answers`` checks and the applications store.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regionet.programmes.money import MoneyField
from regionet.texts import state_limit

from .answers import is_empty
from .models import Question
from .queries import questions_of

Kind = Question.Kind


class TableWidget(forms.Widget):
    """Renders the rows formset of a table question; the form reads the rows itself."""

    template_name = "questionnaires/widgets/table.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.formset = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["formset"] = self.formset
        return context

    def value_from_datadict(self, data, files, name):
        return None

    def value_omitted_from_data(self, data, files, name):
        return False

    def id_for_label(self, id_):
        return ""


class TableField(forms.Field):
    """A table question: its value is the list of rows its formset cleaned (see the form)."""

    widget = TableWidget

    def __init__(self, *, row_form, **kwargs):
        super().__init__(**kwargs)
        self.row_form = row_form

    def clean(self, value):
        # The form validates the formset and puts the rows in cleaned_data.
        return value


YES, NO = "yes", "no"


def field_for(question) -> forms.Field:
    """The form field of one question (or table column)."""
    common = {
        "label": question.label,
        "help_text": escape(question.help_text),
        "required": question.required,
    }
    if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        widget = forms.Textarea(attrs={"rows": 6}) if question.kind == Kind.LONG_TEXT else None
        field = forms.CharField(max_length=question.text_limit, widget=widget, **common)
        return state_limit(field, single_line=question.kind == Kind.SHORT_TEXT)
    if question.kind == Kind.MONEY:
        return MoneyField(min_value=question.min_value, max_value=question.max_value, **common)
    if question.kind == Kind.NUMBER:
        return forms.DecimalField(
            max_digits=14,
            decimal_places=2,
            min_value=question.min_value,
            max_value=question.max_value,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    if question.kind == Kind.DATE:
        return forms.DateField(
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), **common
        )
    choices = [(choice.value, choice.label) for choice in question.choice_list]
    if question.kind == Kind.SINGLE_CHOICE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Kind.YES_NO:
        return forms.TypedChoiceField(
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=lambda value: value == YES,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == Kind.FILE:
        return forms.FileField(**common)
    if question.kind == Kind.TABLE:
        row_form = type(
            "RowForm",
            (forms.Form,),
            {column.key: field_for(column) for column in question.column_list},
        )
        return TableField(row_form=row_form, **common)
    raise ValueError(f"Unknown question kind {question.kind!r}")


def _initial(question, value):
    """A stored answer as the initial value of its field."""
    if question.kind == Kind.YES_NO and isinstance(value, bool):
        return YES if value else NO
    if question.kind == Kind.MONEY and isinstance(value, str):
        # Stored as "1250.50": shown as the page's language writes amounts.
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def _json_ready(question, value):
    if is_empty(value):
        return None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if question.kind == Kind.TABLE:
        rows = []
        for row in value:
            cells = {
                column.key: _json_ready(column, row.get(column.key))
                for column in question.column_list
            }
            rows.append({key: cell for key, cell in cells.items() if cell is not None})
        return rows
    return value


class QuestionnaireForm(forms.Form):
    """The fields of one questionnaire version, grouped by section (``sections()``)."""

    def __init__(self, version, questions, data=None, files=None, *, answers=None, prefix=None):
        super().__init__(data, files, prefix=prefix)
        self.version = version
        self.questions = {question.key: question for question in questions}
        answers = answers or {}
        self.formsets = {}
        for question in questions:
            field = field_for(question)
            self.fields[question.key] = field
            if question.kind == Kind.TABLE:
                rows = [
                    {
                        column.key: _initial(column, row.get(column.key))
                        for column in question.column_list
                    }
                    for row in answers.get(question.key) or []
                    if isinstance(row, dict)
                ]
                # A posted row count cannot make the page build thousands of rows.
                formset_class = forms.formset_factory(
                    field.row_form,
                    extra=1,
                    can_delete=True,
                    max_num=Question.TABLE_MAX_ROWS,
                    absolute_max=Question.TABLE_MAX_ROWS + 1,
                    validate_max=True,
                )
                formset = formset_class(
                    data, files, initial=rows or None, prefix=self.add_prefix(question.key)
                )
                field.widget.formset = formset
                self.formsets[question.key] = formset
            elif question.key in answers:
                self.initial[question.key] = _initial(question, answers[question.key])

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for key, formset in self.formsets.items():
            question = self.questions[key]
            if not formset.is_valid():
                self.add_error(
                    key, gettext("%(label)s: check the rows.") % {"label": question.label}
                )
                continue
            # Stored rows count even when unchanged; an extra row only when filled in.
            rows = [
                row.cleaned_data
                for index, row in enumerate(formset.forms)
                if (index < formset.initial_form_count() or row.has_changed())
                and not row.cleaned_data.get("DELETE")
            ]
            if question.required and not rows:
                self.add_error(
                    key,
                    gettext("%(label)s: this answer is required.") % {"label": question.label},
                )
            elif hasattr(self, "cleaned_data"):
                self.cleaned_data[key] = [
                    {k: v for k, v in row.items() if k != "DELETE"} for row in rows
                ]

    def sections(self):
        """[(section, [bound fields])] in the order of the questionnaire."""
        grouped = []
        for question in self.questions.values():
            if not grouped or grouped[-1][0].pk != question.section_id:
                grouped.append((question.section, []))
            grouped[-1][1].append(self[question.key])
        return grouped

    def answers(self) -> dict:
        """The cleaned answers, JSON-ready (see answers.py); empty answers are left out.

        Uploaded files stay ``UploadedFile`` objects: the caller stores them and keeps a
        reference in their place.
        """
        result = {}
        for key, question in self.questions.items():
            value = _json_ready(question, self.cleaned_data.get(key))
            if value is not None:
                result[key] = value
        return result


def build_form(version, data=None, files=None, *, answers=None, prefix=None):
    """A form for answering ``version``; ``answers`` (stored ones) fill it in."""
    return QuestionnaireForm(
        version, questions_of(version), data, files, answers=answers, prefix=prefix
    )

"""Typed text: a stated and enforced limit on every text field, no direction controls on a
single line (regionet.texts)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from regionet.texts import (
    DIRECTION_CONTROLS,
    StatedLimitsMixin,
    refuse_direction_controls,
    state_limit,
    text_problems,
)


class NoteForm(StatedLimitsMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=10, required=False)
    note = forms.CharField(
        label="Note", max_length=20, required=False, help_text="Why.", widget=forms.Textarea
    )
    email = forms.EmailField(required=False)
    code = forms.CharField(max_length=5, required=False, widget=forms.HiddenInput)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_form_states_each_free_text_limit_in_its_help_text():
    form = NoteForm()

    assert form.fields["title"].help_text == "At most 10 characters."
    assert form.fields["note"].help_text == "Why. At most 20 characters."
    assert (form.fields["title"].stated_limit, form.fields["note"].stated_limit) == (10, 20)
    assert not hasattr(form.fields["email"], "stated_limit")
    assert not hasattr(form.fields["code"], "stated_limit")


def test_the_limit_is_stated_in_the_users_language_and_number_format():
    with translation.override("fi"):
        field = state_limit(forms.CharField(max_length=2000, widget=forms.Textarea))
        assert field.help_text == "Enintään 2\xa0000 merkkiä."
    with translation.override("sv"):
        field = state_limit(forms.CharField(max_length=2000))
        assert field.help_text == "Högst 2\xa0000 tecken."


def test_exactly_the_limit_is_accepted_and_one_more_refused_with_the_count():
    assert NoteForm({"title": "x" * 10, "note": "y" * 20}).is_valid()

    form = NoteForm({"title": "x" * 11, "note": "y" * 21})

    assert form.errors == {
        "title": ["Write at most 10 characters: now there are 11."],
        "note": ["Write at most 20 characters: now there are 21."],
    }


def test_the_browser_does_not_cut_a_long_paste():
    html = str(NoteForm()["note"])
    assert "maxlength" not in html


@pytest.mark.parametrize("control", sorted(DIRECTION_CONTROLS))
def test_direction_controls_are_refused_on_a_single_line(control):
    form = NoteForm({"title": f"abc{control}fdp"})

    assert form.errors == {
        "title": [
            "Remove the invisible characters that change the direction of text (such as "
            "U+202E): they would make the text read differently from what you typed."
        ]
    }


def test_a_multi_line_text_keeps_direction_controls():
    # Mixed Finnish and Arabic paragraphs may need an isolate; the limit still holds.
    assert NoteForm({"note": "Nimi: \u2067مرحبا\u2069"}).is_valid()


def test_the_validator_is_the_one_the_file_names_use():
    from regionet.applications import uploads

    assert uploads.has_direction_controls is not None
    with pytest.raises(ValidationError) as raised:
        refuse_direction_controls("tarjous\u202efdp.exe")
    assert raised.value.code == "direction_controls"


def test_a_text_field_without_a_limit_cannot_state_one():
    with pytest.raises(ValueError):
        state_limit(forms.CharField())


def test_the_service_check_names_the_field():
    assert text_problems("x" * 300, limit=300, label="Title", single_line=True) == []
    assert text_problems("x" * 301 + "\u202e", limit=300, label="Title", single_line=True) == [
        "Title: Write at most 300 characters: now there are 302.",
        "Title: Remove the invisible characters that change the direction of text (such as "
        "U+202E): they would make the text read differently from what you typed.",
    ]
    assert text_problems(["not", "text"], limit=10, label="Title") == ["Title: enter text."]
    assert text_problems("x" * 1_048_576, limit=2000, label="Tasks") == [
        "Tasks: Write at most 2,000 characters: now there are 1,048,576."
    ]

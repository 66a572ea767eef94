"""A version becomes a form whose fields follow its questions, in the user's language."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from regionet.questionnaires.answers import validate_answers
from regionet.questionnaires.forms import TableField, build_form

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    data = {
        "contact_person": "Maija Meikäläinen",
        "cooperation_goals": "Verkosto",
        "staff_years": "2,5",
        "own_financing": "12000",
        "starts_on": "2021-09-01",
        "focus": "hydrogen",
        "areas": ["skills", "innovation"],
        "vat_liable": "no",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-organisation": "Oulun kaupunki",
        "members-0-share": "1500,50",
        "members-1-organisation": "",
    }
    data.update(overrides)
    return data


def test_fields_follow_the_questions_with_their_kinds_and_required_flags(version):
    with translation.override("fi"):
        form = build_form(version)
    kinds = {key: (type(field).__name__, field.required) for key, field in form.fields.items()}
    assert kinds == {
        "contact_person": ("CharField", True),
        "cooperation_goals": ("CharField", True),
        "staff_years": ("DecimalField", False),
        # Every amount of money is typed into the site's one money field.
        "own_financing": ("MoneyField", True),
        "starts_on": ("DateField", False),
        "focus": ("ChoiceField", True),
        "areas": ("MultipleChoiceField", False),
        "vat_liable": ("TypedChoiceField", True),
        "cv": ("FileField", False),
        "members": ("TableField", False),
    }
    assert isinstance(form.fields["cooperation_goals"].widget, forms.Textarea)
    assert form.fields["cooperation_goals"].max_length == 100
    assert form.fields["contact_person"].max_length == 50
    # The limit is stated and counted, not enforced by the browser (a long paste is kept).
    assert "maxlength" not in form.fields["cooperation_goals"].widget.attrs
    assert form.fields["cooperation_goals"].stated_limit == 100
    assert form.fields["own_financing"].max_value == Decimal("1000000.00")
    assert form.fields["own_financing"].decimal_places == 2
    assert isinstance(form.fields["focus"].widget, forms.RadioSelect)
    assert list(form.fields["focus"].choices) == [
        ("hydrogen", "Vetytalous"),
        ("circular", "Kiertotalous"),
    ]
    assert isinstance(form.fields["members"], TableField)
    row = form.formsets["members"].empty_form
    assert {key: (type(f).__name__, f.required) for key, f in row.fields.items()} == {
        "organisation": ("CharField", True),
        "share": ("MoneyField", False),
        "email": ("CharField", False),
        "DELETE": ("BooleanField", False),
    }


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_labels_help_texts_and_choices_render_in_the_active_language(version, language):
    with translation.override(language):
        form = build_form(version)
        html = form.as_div()
    assert form.fields["contact_person"].label == f"contact_person {language}"
    for key in ("contact_person", "cooperation_goals", "focus", "vat_liable", "members"):
        assert f"{key} {language}" in html
    other = "sv" if language == "fi" else "fi"
    assert f"contact_person {other}" not in html
    choice = {"fi": "Vetytalous", "sv": "Vätgasekonomi"}[language]
    assert choice in html
    yes = {"fi": "Kyllä", "sv": "Ja"}[language]
    assert f"{yes}</label>" in html
    assert f"organisation {language}" in html


def test_help_texts_written_by_officers_are_escaped(version):
    with translation.override("fi"):
        html = build_form(version).as_div()
    assert "Kuvaa &lt;b&gt;tavoitteet&lt;/b&gt;." in html
    assert "<b>tavoitteet</b>" not in html


def test_sections_group_the_fields_in_order(version):
    with translation.override("fi"):
        sections = [
            (str(section), [field.name for field in fields])
            for section, fields in build_form(version).sections()
        ]
    assert sections == [
        ("Perustiedot", ["contact_person"]),
        (
            "Suunnitelma",
            [
                "cooperation_goals",
                "staff_years",
                "own_financing",
                "starts_on",
                "focus",
                "areas",
                "vat_liable",
                "cv",
                "members",
            ],
        ),
    ]


def test_a_valid_submission_gives_answers_that_validate(version):
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4", content_type="application/pdf")
    with translation.override("fi"):
        form = build_form(version, post_data(), {"cv": upload})
        assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers["cv"] is upload
    answers["cv"] = "attachments/cv.pdf"
    assert answers == {
        "contact_person": "Maija Meikäläinen",
        "cooperation_goals": "Verkosto",
        "staff_years": "2.5",
        "own_financing": "12000.00",
        "starts_on": "2021-09-01",
        "focus": "hydrogen",
        "areas": ["skills", "innovation"],
        "vat_liable": False,
        "cv": "attachments/cv.pdf",
        "members": [{"organisation": "Oulun kaupunki", "share": "1500.50"}],
    }
    assert validate_answers(version, answers) == {}


def test_required_questions_and_bad_values_are_form_errors(version):
    data = post_data(contact_person="", focus="", vat_liable="", own_financing="1,001")
    data["members-0-organisation"] = ""
    with translation.override("fi"):
        form = build_form(version, data)
        assert form.is_valid() is False
        assert sorted(form.errors) == [
            "contact_person",
            "focus",
            "members",
            "own_financing",
            "vat_liable",
        ]
        assert form.errors["members"] == ["members fi: tarkista rivit."]
        assert form.formsets["members"].errors[0] == {"organisation": ["Tämä kenttä vaaditaan."]}
        # The comma is the decimal sign on a Finnish page: "1,001" is not a thousand and one.
        assert form.errors["own_financing"] == [
            "”1,001” olisi luku, jossa on yli kaksi desimaalia: desimaalierotin on pilkku ja "
            "tuhannet erotetaan välilyönnillä. Tarkoititko 1\xa0001,00?"
        ]


def test_a_required_table_needs_a_row(version):
    version.questions.filter(key="members").update(required=True)
    data = post_data()
    data["members-0-organisation"] = ""
    data["members-0-share"] = ""
    with translation.override("en"):
        form = build_form(version, data)
        assert form.is_valid() is False
    assert form.errors["members"] == ["members en: this answer is required."]


def test_stored_answers_fill_the_form_in(version, answers):
    form = build_form(version, answers=answers)
    assert form["vat_liable"].value() == "no"
    assert form["focus"].value() == "hydrogen"
    rows = form.formsets["members"]
    assert [f["organisation"].value() for f in rows.forms] == [
        "Oulun kaupunki",
        "Kemin kaupunki",
        None,
    ]


def test_unchanged_stored_rows_are_kept(version, answers):
    form = build_form(version, answers=answers)
    data = post_data(
        **{
            "members-TOTAL_FORMS": "3",
            "members-INITIAL_FORMS": "2",
            "members-0-organisation": "Oulun kaupunki",
            "members-0-share": "1500,50",
            "members-0-email": "a@example.fi",
            "members-1-organisation": "Kemin kaupunki",
            "members-1-DELETE": "on",
            "members-2-organisation": "",
        }
    )
    with translation.override("fi"):
        bound = build_form(version, data, answers=answers)
        assert bound.is_valid(), bound.errors
    assert form.is_bound is False
    assert bound.answers()["members"] == [
        {"organisation": "Oulun kaupunki", "share": "1500.50", "email": "a@example.fi"}
    ]
    assert bound.cleaned_data["starts_on"] == datetime.date(2021, 9, 1)

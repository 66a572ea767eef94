"""The fi–sv parity check: one function, driven by what translation.py registers."""

import pytest
from django.apps import apps
from django.utils import translation
from modeltranslation.translator import translator

from regionet.programmes.texts import missing_translations, translated_fields
from tests.factories import (
    CallContactFactory,
    CallFactory,
    CriterionFactory,
    EarmarkFactory,
    InstrumentFactory,
    PhaseFactory,
    ProgrammeFactory,
    ThemeFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "Programme": ProgrammeFactory,
    "Earmark": EarmarkFactory,
    "Theme": ThemeFactory,
    "Zone": ZoneFactory,
    "Call": CallFactory,
    "CallContact": CallContactFactory,
    "Instrument": InstrumentFactory,
    "Phase": PhaseFactory,
    "Criterion": CriterionFactory,
}


def test_every_translated_model_of_the_app_has_a_factory_here():
    registered = {
        model.__name__
        for model in translator.get_registered_models(abstract=False)
        if model._meta.app_label == "programmes"
    }
    assert registered == set(FACTORIES)


def test_a_theme_without_its_swedish_name():
    theme = ThemeFactory(name_fi="Vetytalous", name_sv="", name_en="Hydrogen economy")
    with translation.override("en"):
        assert missing_translations(theme) == ["Theme 'Hydrogen economy' has no Swedish name"]
    with translation.override("fi"):
        assert missing_translations(theme) == ["Teema 'Vetytalous': nimi ruotsiksi puuttuu"]
    with translation.override("sv"):
        assert missing_translations(theme) == ["Tema 'Vetytalous': namn på svenska saknas"]


def test_a_theme_without_its_finnish_name_is_named_in_swedish():
    theme = ThemeFactory(name_fi="", name_sv="Väteekonomi", name_en="")
    with translation.override("en"):
        assert missing_translations(theme) == ["Theme 'Väteekonomi' has no Finnish name"]


def test_english_is_optional():
    assert missing_translations(ThemeFactory(name_en="", description_en="")) == []


def test_an_optional_text_left_empty_in_every_language_is_not_missing():
    theme = ThemeFactory(description_fi="", description_sv="", description_en="")
    assert missing_translations(theme) == []


def test_an_optional_text_written_in_one_language_needs_the_other():
    theme = ThemeFactory(
        name_fi="Vetytalous", name_en="", description_fi="", description_en="Hydrogen"
    )
    with translation.override("en"):
        assert missing_translations(theme) == [
            "Theme 'Vetytalous' has no Finnish description",
            "Theme 'Vetytalous' has no Swedish description",
        ]


def test_white_space_is_no_text():
    theme = ThemeFactory(name_fi="Vetytalous", name_sv="  \n", name_en="")
    with translation.override("en"):
        assert missing_translations(theme) == ["Theme 'Vetytalous' has no Swedish name"]


@pytest.mark.parametrize("model_name", sorted(FACTORIES))
def test_every_registered_text_of_every_model_is_checked_in_both_languages(model_name):
    model = apps.get_model("programmes", model_name)
    fields = translated_fields(model)
    assert fields == list(translator.get_options_for_model(model).all_fields)
    for field in fields:
        for language in ("fi", "sv"):
            obj = FACTORIES[model_name]()
            # A text written in the other language, missing in this one.
            other = "sv" if language == "fi" else "fi"
            setattr(obj, f"{field}_{other}", "Teksti")
            setattr(obj, f"{field}_{language}", "")
            language_name = {"fi": "Finnish", "sv": "Swedish"}[language]
            with translation.override("en"):
                verbose = str(model._meta.get_field(field).verbose_name)
                label = str(obj)
                messages = missing_translations(obj)
                object_name = str(model._meta.verbose_name).capitalize()
            assert messages == [f"{object_name} '{label}' has no {language_name} {verbose}"], (
                field,
                language,
            )

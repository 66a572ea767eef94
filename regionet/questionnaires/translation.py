"""Which questionnaire texts are stored in fi, sv and en (django-modeltranslation).

Finnish and Swedish are required by the forms; services.freeze_version checks them again
before a version is published, because texts can also be written without a form.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, Questionnaire, Section

FINNISH_AND_SWEDISH = ("fi", "sv")


@register(Questionnaire)
class QuestionnaireTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = FINNISH_AND_SWEDISH


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("title", "help_text")
    required_languages = FINNISH_AND_SWEDISH


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("label", "help_text")
    required_languages = FINNISH_AND_SWEDISH


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("label",)
    required_languages = FINNISH_AND_SWEDISH

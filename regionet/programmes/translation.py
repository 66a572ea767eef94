"""Which programme texts are stored in fi, sv and en (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Call,
    CallContact,
    Criterion,
    Earmark,
    Instrument,
    Phase,
    Programme,
    Theme,
    Zone,
)


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("name", "description", "appropriation_name", "legal_basis")


@register(Earmark)
class EarmarkTranslationOptions(TranslationOptions):
    fields = ("name", "rule_description")


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Zone)
class ZoneTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Call)
class CallTranslationOptions(TranslationOptions):
    fields = ("name", "description", "decision_info", "decisions_expected")


@register(Instrument)
class InstrumentTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Phase)
class PhaseTranslationOptions(TranslationOptions):
    fields = ("name", "description", "next_steps")


@register(CallContact)
class CallContactTranslationOptions(TranslationOptions):
    fields = ("role",)


@register(Criterion)
class CriterionTranslationOptions(TranslationOptions):
    fields = ("name", "description")

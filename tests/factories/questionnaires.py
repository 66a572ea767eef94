"""Factories for questionnaires: a funder's series, its versions, sections, questions, choices.

Texts are filled in all three languages so that a version can be published.
``QuestionFactory(section=...)`` puts the question in the section's version;
``QuestionFactory(table=...)`` makes a column of a table question.
"""

import factory

from regionet.accounts.models import Organisation
from regionet.questionnaires.models import (
    Choice,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)

from .accounts import OrganisationFactory

__all__ = [
    "ChoiceFactory",
    "FunderFactory",
    "QuestionFactory",
    "QuestionnaireFactory",
    "QuestionnaireVersionFactory",
    "SectionFactory",
]


class FunderFactory(OrganisationFactory):
    is_funder = True
    type = Organisation.Type.STATE_AUTHORITY
    name_fi = factory.Sequence(lambda n: f"Rahoittaja {n}")
    name_sv = factory.Sequence(lambda n: f"Finansiär {n}")
    name_en = factory.Sequence(lambda n: f"Funder {n}")


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    funder = factory.SubFactory(FunderFactory)
    code = factory.Sequence(lambda n: f"questionnaire-{n}")
    name_fi = factory.Sequence(lambda n: f"Hakulomake {n}")
    name_sv = factory.Sequence(lambda n: f"Ansökningsblankett {n}")
    name_en = factory.Sequence(lambda n: f"Application form {n}")
    purpose = Questionnaire.Purpose.APPLICATION


class QuestionnaireVersionFactory(factory.django.DjangoModelFactory):
    """A draft version; numbers count up per questionnaire."""

    class Meta:
        model = QuestionnaireVersion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    number = factory.LazyAttribute(lambda o: o.questionnaire.versions.count() + 1)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    version = factory.SubFactory(QuestionnaireVersionFactory)
    order = factory.Sequence(int)
    title_fi = factory.Sequence(lambda n: f"Osio {n}")
    title_sv = factory.Sequence(lambda n: f"Avsnitt {n}")
    title_en = factory.Sequence(lambda n: f"Section {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    table = None
    section = factory.LazyAttribute(
        lambda o: o.table.section if o.table is not None else SectionFactory()
    )
    version = factory.LazyAttribute(lambda o: o.section.version)
    order = factory.Sequence(int)
    key = factory.Sequence(lambda n: f"question_{n}")
    kind = Question.Kind.SHORT_TEXT
    label_fi = factory.Sequence(lambda n: f"Kysymys {n}")
    label_sv = factory.Sequence(lambda n: f"Fråga {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    required = False
    visibility = Question.Visibility.PUBLIC


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE_CHOICE)
    order = factory.Sequence(int)
    value = factory.Sequence(lambda n: f"choice_{n}")
    label_fi = factory.Sequence(lambda n: f"Vaihtoehto {n}")
    label_sv = factory.Sequence(lambda n: f"Alternativ {n}")
    label_en = factory.Sequence(lambda n: f"Option {n}")

"""Fixtures of the questionnaire tests: a version with a question of every kind."""

import copy
import datetime
from decimal import Decimal

import pytest

from regionet.questionnaires.models import Question
from tests.factories import ChoiceFactory, QuestionFactory, SectionFactory

Kind = Question.Kind
NOW = datetime.datetime(2021, 3, 1, 10, 0, tzinfo=datetime.UTC)


def question(section, key, kind, **fields):
    return QuestionFactory(
        section=section,
        key=key,
        kind=kind,
        label_fi=f"{key} fi",
        label_sv=f"{key} sv",
        label_en=f"{key} en",
        **fields,
    )


@pytest.fixture
def version(db):
    """A draft version whose questions cover every kind, visibility and limit.

    Labels are "<key> fi", "<key> sv", "<key> en".
    """
    basics = SectionFactory(order=1, title_fi="Perustiedot", title_sv="Grunduppgifter")
    draft = basics.version
    plans = SectionFactory(version=draft, order=2, title_fi="Suunnitelma", title_sv="Plan")
    question(
        basics,
        "contact_person",
        Kind.SHORT_TEXT,
        required=True,
        max_length=50,
        visibility=Question.Visibility.PERSONAL,
        order=1,
    )
    question(
        plans,
        "cooperation_goals",
        Kind.LONG_TEXT,
        required=True,
        max_length=100,
        order=1,
        help_text_fi="Kuvaa <b>tavoitteet</b>.",
        help_text_sv="Beskriv målen.",
    )
    question(
        plans, "staff_years", Kind.NUMBER, min_value=Decimal(0), max_value=Decimal(100), order=2
    )
    question(
        plans,
        "own_financing",
        Kind.MONEY,
        required=True,
        min_value=Decimal(0),
        max_value=Decimal(1_000_000),
        visibility=Question.Visibility.CONFIDENTIAL,
        order=3,
    )
    question(plans, "starts_on", Kind.DATE, order=4)
    theme = question(plans, "focus", Kind.SINGLE_CHOICE, required=True, order=5)
    ChoiceFactory(
        question=theme,
        value="hydrogen",
        label_fi="Vetytalous",
        label_sv="Vätgasekonomi",
        label_en="Hydrogen economy",
        order=1,
    )
    ChoiceFactory(
        question=theme,
        value="circular",
        label_fi="Kiertotalous",
        label_sv="Cirkulär ekonomi",
        label_en="Circular economy",
        order=2,
    )
    areas = question(plans, "areas", Kind.MULTIPLE_CHOICE, order=6)
    for order, value in enumerate(["skills", "innovation", "accessibility"]):
        ChoiceFactory(
            question=areas,
            value=value,
            order=order,
            label_fi=f"{value} fi",
            label_sv=f"{value} sv",
            label_en=f"{value} en",
        )
    question(
        plans,
        "vat_liable",
        Kind.YES_NO,
        required=True,
        order=7,
        visibility=Question.Visibility.CONFIDENTIAL,
    )
    question(plans, "cv", Kind.FILE, order=8, visibility=Question.Visibility.PERSONAL)
    members = question(plans, "members", Kind.TABLE, order=9)
    for order, (key, kind, fields) in enumerate(
        [
            ("organisation", Kind.SHORT_TEXT, {"required": True}),
            ("share", Kind.MONEY, {"min_value": Decimal(0)}),
            ("email", Kind.SHORT_TEXT, {"visibility": Question.Visibility.PERSONAL}),
        ]
    ):
        QuestionFactory(
            table=members,
            key=key,
            kind=kind,
            order=order,
            label_fi=f"{key} fi",
            label_sv=f"{key} sv",
            label_en=f"{key} en",
            **fields,
        )
    return draft


VALID_ANSWERS = {
    "contact_person": "Maija Meikäläinen",
    "cooperation_goals": "Vetytalouden verkosto neljässä maakunnassa.",
    "staff_years": "2.5",
    "own_financing": "12000.00",
    "starts_on": "2021-09-01",
    "focus": "hydrogen",
    "areas": ["skills", "innovation"],
    "vat_liable": False,
    "cv": "attachments/cv.pdf",
    "members": [
        {"organisation": "Oulun kaupunki", "share": "1500.50", "email": "a@example.fi"},
        {"organisation": "Kemin kaupunki"},
    ],
}


@pytest.fixture
def answers():
    return copy.deepcopy(VALID_ANSWERS)


@pytest.fixture
def now():
    return NOW

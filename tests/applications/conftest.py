"""Helpers of the application service tests: phases closing at a given instant, drafts that can
be submitted in them, the people around an application, and English messages."""

from datetime import timedelta

import pytest
from django.utils import translation

from regionet.accounts.models import FunderRole, Membership
from regionet.applications.services import facts_year
from regionet.questionnaires.models import Question, QuestionnaireUse, QuestionnaireVersion
from tests.factories import (
    FunderRoleFactory,
    MembershipFactory,
    QuestionFactory,
    QuestionnaireFactory,
    QuestionnaireVersionFactory,
    SectionFactory,
    eligible_draft,
    municipalities_in_regions,
    open_phase,
)


@pytest.fixture
def english():
    """Messages in English: the assertions do not change when the translations do."""
    with translation.override("en"):
        yield


def phase_closing_at(closes_at, *, funder=None, record_number_format=None, **fields):
    """An open idea phase of a new published programme that closes at ``closes_at``."""
    phase = open_phase(
        now=closes_at - timedelta(days=7), closes_in=timedelta(days=7), funder=funder, **fields
    )
    if record_number_format is not None:
        programme = phase.call.programme
        programme.record_number_format = record_number_format
        programme.save(update_fields=["record_number_format"])
    return phase


def draft_in(phase, **fields):
    """An ``eligible_draft`` whose 4 municipalities (2 regions) existed when ``phase`` closes."""
    application = eligible_draft(phase, **fields)
    year = facts_year(application)
    application.municipalities.set(municipalities_in_regions(4, 2, year=year))
    return application


def member_of(organisation, role=Membership.Role.MEMBER):
    return MembershipFactory(organisation=organisation, role=role).user


def staff_of(funder, role=FunderRole.Role.PROGRAMME_OFFICER):
    """A user holding ``role`` (programme officer unless told) with ``funder``."""
    return FunderRoleFactory(funder=funder, role=role).user


def officer_of(application_or_phase):
    phase = getattr(application_or_phase, "phase", application_or_phase)
    return staff_of(phase.call.programme.funder)


def questionnaire_for(phase, instrument, keys, *, required=()):
    """A published questionnaire of one section of short-text questions ``keys`` that
    applicants of ``instrument`` in ``phase`` answer; ``required`` keys must be answered."""
    questionnaire = QuestionnaireFactory(funder=phase.call.programme.funder)
    version = QuestionnaireVersionFactory(questionnaire=questionnaire)
    section = SectionFactory(version=version, order=1)
    for order, key in enumerate(keys, start=1):
        QuestionFactory(
            section=section,
            key=key,
            kind=Question.Kind.SHORT_TEXT,
            required=key in required,
            order=order,
        )
    QuestionnaireVersion.objects.filter(pk=version.pk).update(frozen_at=phase.opens_at)
    QuestionnaireUse.objects.create(phase=phase, instrument=instrument, questionnaire=questionnaire)
    version.refresh_from_db()
    return version

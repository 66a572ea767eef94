"""Fixtures of the programme tests: the two real funders and their staff."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from regionet.accounts.models import FunderRole, Organisation
from tests.factories import FunderRoleFactory, OrganisationFactory, UserFactory


@pytest.fixture
def tem(db):
    return OrganisationFactory(
        is_funder=True,
        type=Organisation.Type.STATE_AUTHORITY,
        name_fi="Työ- ja elinkeinoministeriö",
        name_sv="Arbets- och näringsministeriet",
        name_en="Ministry of Economic Affairs and Employment",
    )


@pytest.fixture
def tillvaxtverket(db):
    return OrganisationFactory(
        country_code="SE",
        is_funder=True,
        type=Organisation.Type.STATE_AUTHORITY,
        name_fi="Tillväxtverket",
        name_sv="Tillväxtverket",
        name_en="Swedish Agency for Economic and Regional Growth",
    )


def staff(funder, role=FunderRole.Role.PROGRAMME_OFFICER, **user):
    """A user holding ``role`` with ``funder``, with admin access and a TOTP authenticator
    (staff without one are sent to set it up first)."""
    person = UserFactory(is_staff=True, **user)
    FunderRoleFactory(user=person, funder=funder, role=role)
    TOTP.activate(person, generate_totp_secret())
    return person


@pytest.fixture
def tem_officer(tem):
    return staff(tem, email="valmistelija@tem.example")


@pytest.fixture
def tillvaxtverket_officer(tillvaxtverket):
    return staff(tillvaxtverket, email="handlaggare@tillvaxtverket.example")


def attach_forms(call, funder):
    """A complete application form for every phase and instrument of ``call``."""
    from regionet.questionnaires.models import QuestionnaireUse
    from tests.factories import QuestionFactory, QuestionnaireFactory, SectionFactory

    questionnaire = QuestionnaireFactory(funder=funder)
    QuestionFactory(section=SectionFactory(version__questionnaire=questionnaire), key="goals")
    for phase in call.phases.all():
        for instrument in call.instruments.all():
            QuestionnaireUse.objects.create(
                phase=phase, instrument=instrument, questionnaire=questionnaire
            )
    return questionnaire

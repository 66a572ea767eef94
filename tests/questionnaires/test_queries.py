"""Staff scopes of questionnaires: the funders' own, every one for the platform administrator."""

import pytest

from regionet.accounts.models import FunderRole
from regionet.questionnaires.queries import managed_funder_ids, questionnaires_for_staff
from tests.factories import FunderRoleFactory, QuestionnaireFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_each_person_edits_the_questionnaires_of_the_funders_they_manage():
    officer = FunderRoleFactory()
    reviewer = FunderRoleFactory(funder=officer.funder, role=FunderRole.Role.REVIEWER)
    mine = QuestionnaireFactory(funder=officer.funder)
    other = QuestionnaireFactory(funder=FunderRoleFactory().funder)
    platform_administrator = UserFactory(is_superuser=True, is_staff=True)

    def scope(user):
        return (
            set(questionnaires_for_staff(user)),
            set(managed_funder_ids(user).values_list("pk", flat=True)),
        )

    assert scope(officer.user) == ({mine}, {officer.funder_id})
    assert scope(reviewer.user) == (set(), set())
    assert scope(platform_administrator) == (
        {mine, other},
        {officer.funder_id, other.funder_id},
    )

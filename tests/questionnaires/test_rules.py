"""Programme officers and administrators of a funder manage its questionnaires; nobody else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from regionet.questionnaires.models import Choice
from tests.factories import FunderRoleFactory, QuestionnaireFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire():
    return QuestionnaireFactory()


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("programme_officer", True),
        ("administrator", True),
        ("reviewer", False),
        ("decision_maker", False),
        ("applicant", False),
    ],
)
def test_roles_of_the_funder(questionnaire, role, allowed):
    user = FunderRoleFactory(funder=questionnaire.funder, role=role).user
    assert user.has_perm("questionnaires.change_questionnaire", questionnaire) is allowed
    assert user.has_perm("questionnaires.change_questionnaire") is allowed
    assert user.has_module_perms("questionnaires") is allowed


def test_an_officer_of_another_funder_may_not(questionnaire):
    officer = FunderRoleFactory(role="programme_officer").user
    assert officer.has_perm("questionnaires.change_questionnaire", questionnaire) is False
    assert officer.has_perm("questionnaires.view_questionnaire", questionnaire) is False
    assert officer.has_perm("questionnaires.change_questionnaire") is True


def test_parts_of_a_questionnaire_follow_its_funder(version):
    officer = FunderRoleFactory(funder=version.questionnaire.funder).user
    stranger = FunderRoleFactory().user
    choice = Choice.objects.filter(question__version=version).first()
    for obj in (version, version.sections.first(), version.questions.first(), choice):
        assert officer.has_perm("questionnaires.change_questionnaire", obj) is True
        assert stranger.has_perm("questionnaires.change_questionnaire", obj) is False


def test_superuser_and_anonymous(questionnaire):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert superuser.has_perm("questionnaires.change_questionnaire", questionnaire) is True
    assert AnonymousUser().has_perm("questionnaires.change_questionnaire", questionnaire) is False
    assert UserFactory().has_perm("questionnaires.change_questionnaire") is False

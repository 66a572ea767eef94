"""Who may create and edit questionnaires: programme officers and administrators of the funder.

The predicates take (user, object) where the object is a questionnaire, one of its versions,
sections, questions or choices, or a funder organisation; with no object they ask whether
the user manages questionnaires of any funder (the admin's list and index pages).
"""

import rules

from regionet.accounts.models import FunderRole, Organisation
from regionet.accounts.rules import (
    is_funder_administrator_of,
    is_platform_administrator,
    is_programme_officer_of,
)
from regionet.programmes.queries import MANAGER_ROLES

from .models import Choice, Question, Questionnaire, QuestionnaireUse, QuestionnaireVersion, Section

# (user, funder)
manages_questionnaires_of = is_programme_officer_of | is_funder_administrator_of


def funder_of(obj):
    """The funder organisation (or its id) that owns a questionnaire or a part of one."""
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, Questionnaire):
        return obj.funder_id
    if isinstance(obj, QuestionnaireVersion):
        return obj.questionnaire.funder_id
    if isinstance(obj, Section | Question):
        return obj.version.questionnaire.funder_id
    if isinstance(obj, Choice):
        return obj.question.version.questionnaire.funder_id
    if isinstance(obj, QuestionnaireUse):
        return obj.questionnaire.funder_id
    raise TypeError(f"No funder for {type(obj).__name__}")


@rules.predicate
def manages_questionnaire(user, obj):
    if not user.is_authenticated:
        return False
    if obj is None:
        return FunderRole.objects.filter(user=user, role__in=MANAGER_ROLES).exists()
    return manages_questionnaires_of.test(user, funder_of(obj))


can_manage = is_platform_administrator | manages_questionnaire

# The module permission opens the app in the admin index.
rules.add_perm("questionnaires", can_manage)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"questionnaires.{action}_questionnaire", can_manage)

"""The staff interface's own fields: a read-only foreign key shown as text, not as a link."""

import pytest
from django.contrib import admin

from regionet.programmes.admin_widgets import related_as_text
from regionet.programmes.models import Programme
from regionet.questionnaires.models import QuestionnaireVersion
from tests.factories import ProgrammeFactory, QuestionnaireVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


class Shown(admin.ModelAdmin):
    funder_text = related_as_text(Programme, "funder")
    frozen_by_name = related_as_text(
        QuestionnaireVersion, "frozen_by", lambda user: user.full_name or user.email
    )


def test_a_foreign_key_is_its_text_under_the_fields_own_name():
    programme = ProgrammeFactory()
    shown = Shown(Programme, admin.site)
    assert (Shown.funder_text.short_description, shown.funder_text(programme)) == (
        Programme._meta.get_field("funder").verbose_name,
        str(programme.funder),
    )


def test_the_text_is_the_given_one_and_nothing_is_the_admins_empty_value():
    version = QuestionnaireVersionFactory()
    shown = Shown(QuestionnaireVersion, admin.site)
    assert shown.frozen_by_name(version) is None
    version.frozen_by = UserFactory(full_name="", email="kirjaaja@example.fi")
    assert shown.frozen_by_name(version) == "kirjaaja@example.fi"
    version.frozen_by = UserFactory(full_name="Kaisa Kirjaaja")
    assert shown.frozen_by_name(version) == "Kaisa Kirjaaja"

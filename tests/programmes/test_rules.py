"""Who may see, change and publish programme objects: each role against each funder's objects."""

import pytest
from django.contrib.auth.models import AnonymousUser

from regionet.accounts.models import FunderRole
from regionet.programmes import services
from regionet.programmes.rules import funder_of, programme_of
from tests.factories import (
    AssessmentThresholdFactory,
    CriterionFactory,
    UserFactory,
    network_programme,
)

from .conftest import attach_forms, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tem):
    return network_programme(funder=tem)


def perms(user, obj, model):
    names = (
        ["view", "change", "delete", "publish", "unpublish"]
        if model != "phase"
        else [
            "view",
            "change",
            "delete",
        ]
    )
    return {name: user.has_perm(f"programmes.{name}_{model}", obj) for name in names} | {
        "manage": user.has_perm("programmes.manage_programme", obj)
    }


ALL = {
    "view": True,
    "change": True,
    "delete": True,
    "publish": True,
    "unpublish": True,
    "manage": True,
}
NOTHING = dict.fromkeys(ALL, False)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (FunderRole.Role.PROGRAMME_OFFICER, ALL),
        (FunderRole.Role.ADMINISTRATOR, ALL),
        (FunderRole.Role.REVIEWER, NOTHING),
        (FunderRole.Role.DECISION_MAKER, NOTHING),
        (FunderRole.Role.APPLICANT, NOTHING),
    ],
)
def test_roles_with_the_funder_on_a_draft(programme, tem, role, expected):
    user = staff(tem, role)
    call = programme.calls.get()
    phase = call.phases.first()
    assert perms(user, programme, "programme") == expected
    assert perms(user, call, "call") == expected
    assert perms(user, phase, "phase") == {
        k: v for k, v in expected.items() if k not in ("publish", "unpublish")
    }


def test_officers_of_another_funder_and_outsiders_get_nothing_on_a_draft(
    programme, tillvaxtverket_officer
):
    call = programme.calls.get()
    for user in (tillvaxtverket_officer, UserFactory(), AnonymousUser()):
        assert perms(user, programme, "programme") == NOTHING
        assert perms(user, call, "call") == NOTHING


def test_published_ones_are_public_and_read_only(programme, tem_officer, tillvaxtverket_officer):
    services.publish_programme(programme, by=tem_officer)
    programme.refresh_from_db()
    call = programme.calls.get()
    for outsider in (tillvaxtverket_officer, UserFactory(), AnonymousUser()):
        assert perms(outsider, programme, "programme") == NOTHING | {"view": True}
        # The call itself is still a draft.
        assert perms(outsider, call, "call") == NOTHING
    assert perms(tem_officer, programme, "programme") == ALL | {"change": False, "delete": False}
    assert perms(tem_officer, call, "call") == ALL
    attach_forms(call, programme.funder)
    services.publish_call(call, by=tem_officer)
    call.refresh_from_db()
    phase = call.phases.first()
    assert perms(UserFactory(), call, "call") == NOTHING | {"view": True}
    assert perms(AnonymousUser(), phase, "phase") == {
        "view": True,
        "change": False,
        "delete": False,
        "manage": False,
    }
    assert perms(tem_officer, phase, "phase") == {
        "view": True,
        "change": False,
        "delete": False,
        "manage": True,
    }


def test_the_staff_interface_is_for_officers_and_administrators(tem):
    for role, allowed in [
        (FunderRole.Role.PROGRAMME_OFFICER, True),
        (FunderRole.Role.ADMINISTRATOR, True),
        (FunderRole.Role.REVIEWER, False),
    ]:
        user = staff(tem, role)
        assert user.has_perm("programmes.use_staff_interface") is allowed
        assert user.has_perm("programmes.add_programme") is allowed
    assert AnonymousUser().has_perm("programmes.use_staff_interface") is False


def test_every_object_reaches_its_funder(programme, tem):
    call = programme.calls.get()
    phase = call.phases.first()
    instrument = call.instruments.first()
    criterion = CriterionFactory(phase=phase, instrument=instrument)
    threshold = AssessmentThresholdFactory(phase=phase, instrument=instrument)
    objects = [
        programme,
        programme.yearly_budgets.first(),
        programme.earmarks.first(),
        programme.themes.first(),
        programme.zones.first(),
        call,
        instrument,
        phase,
        criterion,
        threshold,
    ]
    assert [programme_of(obj) for obj in objects] == [programme] * len(objects)
    assert [funder_of(obj) for obj in objects] == [tem] * len(objects)


def test_the_platform_administrator_configures_every_funders_programmes(programme):
    """Named in the rules (accounts.rules.is_platform_administrator), as the superuser's
    shortcut past them is gone: configuration yes, a funder's applications no."""
    from tests.factories import CallContactFactory

    administrator = UserFactory(is_superuser=True, is_staff=True)
    call = programme.calls.get()
    assert perms(administrator, programme, "programme") == ALL
    assert perms(administrator, call, "call") == ALL
    assert administrator.has_perm("programmes.use_staff_interface") is True
    contact = CallContactFactory(call=call)
    assert [
        administrator.has_perm(f"programmes.{action}_callcontact", contact)
        for action in ("view", "add", "change", "delete")
    ] == [True, True, True, True]
    assert administrator.has_perm("applications.handle_call", call.phases.first()) is False

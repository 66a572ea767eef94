"""The accounts doors: exact effects, audit events, e-mails, refusals that save nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from regionet.accounts import services
from regionet.accounts.models import FunderRole, Invitation, Membership, Organisation
from regionet.accounts.services import InvitationError, Verb
from regionet.audit.models import AuditEvent
from tests.factories import (
    FunderRoleFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    current_municipality,
)

pytestmark = pytest.mark.django_db

TOKEN_LINK = re.compile(r"https?://\S+/organisations/invitations/(?P<token>[\w-]+)/")


def register(by, country, municipality, **overrides):
    data = {
        "by": by,
        "country": country,
        "type": Organisation.Type.DEVELOPMENT_ORGANISATION,
        "business_id": "0112038-9",
        "home_municipality": municipality,
        "name_fi": "Testikehitys Oy",
        "name_sv": "",
        "name_en": "",
    }
    data.update(overrides)
    return services.register_organisation(**data)


# --- register_organisation ----------------------------------------------------------------


def test_register_organisation_creates_it_and_makes_the_registrant_admin(finland, helsinki):
    user = UserFactory()
    organisation = register(user, finland, helsinki, business_id="FI 01120389")

    organisation.refresh_from_db()
    assert organisation.business_id == "0112038-9"
    assert organisation.name_fi == "Testikehitys Oy"
    assert organisation.home_municipality == helsinki
    assert organisation.municipality is None
    assert list(Membership.objects.values_list("user", "organisation", "role")) == [
        (user.pk, organisation.pk, "admin")
    ]
    event = AuditEvent.objects.get()
    assert (event.verb, event.actor, event.target) == (
        Verb.ORGANISATION_REGISTERED,
        user,
        organisation,
    )
    assert event.data == {
        "country": "FI",
        "type": "development_organisation",
        "business_id": "0112038-9",
        "is_funder": False,
    }


def test_register_municipality_ties_it_to_its_municipality_and_takes_its_names(finland, helsinki):
    organisation = register(
        UserFactory(),
        finland,
        helsinki,
        type=Organisation.Type.MUNICIPALITY,
        name_fi="",
        business_id="0201256-6",
    )
    assert organisation.municipality == helsinki
    assert organisation.home_municipality == helsinki
    assert (organisation.name_fi, organisation.name_sv) == ("Helsinki", "Helsingfors")


def test_register_swedish_organisation_needs_swedish_name(sweden, stockholm):
    with pytest.raises(ValidationError) as raised:
        register(UserFactory(), sweden, stockholm, business_id="212000-0142", name_fi="Nimi")
    assert list(raised.value.error_dict) == ["name_sv"]
    assert Organisation.objects.count() == 0

    organisation = register(
        UserFactory(), sweden, stockholm, business_id="2120000142", name_fi="", name_sv="Bolaget"
    )
    assert (organisation.business_id, organisation.name_sv) == ("212000-0142", "Bolaget")


def test_register_finnish_organisation_with_swedish_name_only(finland, helsinki):
    organisation = register(UserFactory(), finland, helsinki, name_fi="", name_sv="Bolaget Ab")
    assert (organisation.name_fi, organisation.name_sv) == ("", "Bolaget Ab")


def test_register_collects_every_error_and_saves_nothing(finland, stockholm):
    with pytest.raises(ValidationError) as raised:
        register(
            UserFactory(),
            finland,
            stockholm,
            business_id="0112038-8",
            name_fi="",
            type="pirate_ship",
        )
    errors = raised.value.error_dict
    assert sorted(errors) == ["business_id", "home_municipality", "name_fi", "type"]
    assert errors["business_id"][0].code == "check_digit"
    assert errors["home_municipality"][0].code == "wrong_country"
    assert (
        Organisation.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == (
        0,
        0,
        0,
    )


def test_register_refuses_a_duplicate_business_id(finland, helsinki):
    existing = OrganisationFactory(business_id="0112038-9", name_fi="Olemassa Oy")
    with pytest.raises(ValidationError) as raised, translation.override("en"):
        register(UserFactory(), finland, helsinki, business_id="01120389")
    error = raised.value.error_dict["business_id"][0]
    assert error.code == "duplicate"
    with translation.override("en"):
        assert raised.value.message_dict["business_id"] == [
            "An organisation with the business ID 0112038-9 is already registered in "
            "Regionet: Olemassa Oy. Ask its administrator to invite you as a member."
        ]
    assert list(Organisation.objects.all()) == [existing]
    assert Membership.objects.count() == 0


def test_register_refuses_a_second_organisation_for_a_municipality(finland, helsinki):
    register(UserFactory(), finland, helsinki, type="municipality", business_id="0201256-6")
    with pytest.raises(ValidationError) as raised:
        register(UserFactory(), finland, helsinki, type="municipality", business_id="0112038-9")
    assert raised.value.error_dict["home_municipality"][0].code == "duplicate_municipality"
    assert Organisation.objects.count() == 1


def test_register_refuses_a_municipality_that_no_longer_exists(finland):
    from django.apps import apps

    pertunmaa = apps.get_model("places", "Municipality").objects.get(country__code="FI", code="588")
    assert pertunmaa.valid_until == 2024
    with pytest.raises(ValidationError) as raised:
        register(UserFactory(), finland, pertunmaa)
    assert raised.value.error_dict["home_municipality"][0].code == "not_valid"


# --- invite_member ------------------------------------------------------------------------


@pytest.fixture
def admin_membership(db):
    return MembershipFactory(
        role=Membership.Role.ADMIN,
        organisation__name_fi="Kehitys Oy",
        organisation__name_sv="Utveckling Ab",
    )


def test_invite_member_stores_hash_and_mails_the_link_in_finnish(admin_membership, on_commit):
    organisation, admin = admin_membership.organisation, admin_membership.user
    with on_commit():
        invitation = services.invite_member(
            organisation=organisation,
            email=" Uusi.Jasen@Example.FI ",
            role="member",
            by=admin,
            site_url="https://regionet.example/",
        )
    assert invitation.email == "uusi.jasen@example.fi"
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["uusi.jasen@example.fi"]
    assert message.subject == "[Regionet] Kutsu liittyä organisaatioon Kehitys Oy Regionetissä"
    match = TOKEN_LINK.search(message.body)
    assert match.group(0).startswith("https://regionet.example/fi/organisations/invitations/")
    token = match["token"]
    assert Invitation.objects.get().token_hash == services.hash_invitation_token(token)
    assert token not in Invitation.objects.values_list("token_hash", flat=True).get()
    event = AuditEvent.objects.get(verb=Verb.MEMBER_INVITED)
    assert (event.actor, event.target) == (admin, invitation)
    assert event.data == {
        "organisation": organisation.pk,
        "email": "uusi.jasen@example.fi",
        "role": "member",
    }


def test_invitation_mail_uses_the_invitees_language(admin_membership, on_commit):
    UserFactory(email="svensk@example.se", preferred_language="sv")
    with on_commit():
        services.invite_member(
            organisation=admin_membership.organisation,
            email="svensk@example.se",
            role="admin",
            by=admin_membership.user,
            site_url="https://regionet.example",
        )
    message = mail.outbox[0]
    assert (
        message.subject
        == "[Regionet] Inbjudan att gå med i organisationen Utveckling Ab i Regionet"
    )
    assert "https://regionet.example/sv/organisations/invitations/" in message.body
    assert "Din roll: administratör" in message.body


def test_invitation_mail_to_a_newcomer_uses_the_organisations_country_language(on_commit):
    admin = MembershipFactory(
        role="admin", organisation__country_code="SE", organisation__name_sv="Verket"
    )
    with on_commit():
        services.invite_member(
            organisation=admin.organisation, email="ny@example.se", role="member", by=admin.user
        )
    assert (
        mail.outbox[0].subject
        == "[Regionet] Inbjudan att gå med i organisationen Verket i Regionet"
    )


def test_invite_refuses_existing_member_and_pending_invitee(admin_membership, on_commit):
    organisation, admin = admin_membership.organisation, admin_membership.user
    MembershipFactory(organisation=organisation, user__email="jasen@example.fi")
    with pytest.raises(ValidationError) as raised:
        services.invite_member(
            organisation=organisation, email="JASEN@example.fi", role="member", by=admin
        )
    assert raised.value.error_dict["email"][0].code == "already_member"

    with on_commit():
        services.invite_member(
            organisation=organisation, email="uusi@example.fi", role="member", by=admin
        )
    with pytest.raises(ValidationError) as raised, on_commit():
        services.invite_member(
            organisation=organisation, email="Uusi@example.fi", role="admin", by=admin
        )
    assert raised.value.error_dict["email"][0].code == "already_invited"
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_only_an_admin_may_invite(admin_membership):
    organisation = admin_membership.organisation
    member = MembershipFactory(organisation=organisation, role="member").user
    other_admin = MembershipFactory(role="admin").user
    for user in (member, other_admin, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.invite_member(
                organisation=organisation, email="x@example.fi", role="member", by=user
            )
    assert (Invitation.objects.count(), len(mail.outbox)) == (0, 0)


def test_no_mail_when_the_transaction_rolls_back(
    admin_membership, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invite_member(
            organisation=admin_membership.organisation,
            email="x@example.fi",
            role="member",
            by=admin_membership.user,
        )
        raise RuntimeError("the surrounding work failed")
    assert (len(callbacks), len(mail.outbox), Invitation.objects.count()) == (0, 0, 0)


# --- accept_invitation --------------------------------------------------------------------


def test_accept_invitation_makes_the_invitee_a_member():
    invitation = InvitationFactory(token="secret-1", email="kutsuttu@example.fi", role="admin")
    user = UserFactory(email="kutsuttu@example.fi")
    membership = services.accept_invitation(token="secret-1", user=user)
    assert (membership.user, membership.organisation, membership.role) == (
        user,
        invitation.organisation,
        "admin",
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    event = AuditEvent.objects.get()
    assert (event.verb, event.actor, event.target) == (Verb.INVITATION_ACCEPTED, user, invitation)
    assert event.data == {
        "organisation": invitation.organisation_id,
        "membership": membership.pk,
        "role": "admin",
    }


def test_accept_with_a_verified_secondary_address():
    from allauth.account.models import EmailAddress

    InvitationFactory(token="secret-2", email="tyo@example.fi")
    user = UserFactory(email="koti@example.fi")
    EmailAddress.objects.create(user=user, email="tyo@example.fi", verified=True, primary=False)
    assert services.accept_invitation(token="secret-2", user=user).user == user


def test_unverified_secondary_address_is_not_enough():
    from allauth.account.models import EmailAddress

    InvitationFactory(token="secret-3", email="tyo@example.fi")
    user = UserFactory(email="koti@example.fi")
    EmailAddress.objects.create(user=user, email="tyo@example.fi", verified=False, primary=False)
    with pytest.raises(InvitationError) as raised:
        services.accept_invitation(token="secret-3", user=user)
    assert raised.value.code == "wrong_user"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: None, "invalid"),
        (
            lambda: InvitationFactory(token="t", email="a@example.fi", accepted_at=timezone.now()),
            "accepted",
        ),
        (
            lambda: InvitationFactory(token="t", email="a@example.fi", revoked_at=timezone.now()),
            "revoked",
        ),
        (
            lambda: InvitationFactory(
                token="t",
                email="a@example.fi",
                created_at=timezone.now() - timedelta(days=15),
            ),
            "expired",
        ),
        (lambda: InvitationFactory(token="t", email="someone.else@example.fi"), "wrong_user"),
    ],
)
def test_accept_refusals(make, code):
    make()
    user = UserFactory(email="a@example.fi")
    with pytest.raises(InvitationError) as raised:
        services.accept_invitation(token="t", user=user)
    assert raised.value.code == code
    assert Membership.objects.filter(user=user).count() == 0
    assert AuditEvent.objects.count() == 0


def test_accept_by_an_existing_member_is_refused():
    invitation = InvitationFactory(token="t", email="a@example.fi")
    user = MembershipFactory(user__email="a@example.fi", organisation=invitation.organisation).user
    with pytest.raises(InvitationError) as raised:
        services.accept_invitation(token="t", user=user)
    assert raised.value.code == "already_member"


def test_expiry_is_exact():
    invitation = InvitationFactory(token="t", email="a@example.fi")
    user = UserFactory(email="a@example.fi")
    with pytest.raises(InvitationError):
        services.accept_invitation(token="t", user=user, now=invitation.expires_at)
    just_before = invitation.expires_at - timedelta(microseconds=1)
    assert services.accept_invitation(token="t", user=user, now=just_before).user == user


# --- revoke_invitation --------------------------------------------------------------------


def test_revoke_invitation(admin_membership):
    invitation = InvitationFactory(organisation=admin_membership.organisation, token="t")
    services.revoke_invitation(invitation=invitation, by=admin_membership.user)
    invitation.refresh_from_db()
    assert invitation.revoked_by == admin_membership.user
    assert AuditEvent.objects.get().verb == Verb.INVITATION_REVOKED
    with pytest.raises(ValidationError) as raised:
        services.revoke_invitation(invitation=invitation, by=admin_membership.user)
    assert raised.value.code == "not_pending"


def test_revoke_needs_admin_of_that_organisation(admin_membership):
    invitation = InvitationFactory(token="t")
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(invitation=invitation, by=admin_membership.user)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- remove_member ------------------------------------------------------------------------


def test_remove_member(admin_membership):
    member = MembershipFactory(organisation=admin_membership.organisation)
    services.remove_member(membership=member, by=admin_membership.user)
    assert list(Membership.objects.all()) == [admin_membership]
    event = AuditEvent.objects.get()
    assert (event.verb, event.target) == (Verb.MEMBER_REMOVED, admin_membership.organisation)
    assert event.data == {"user": member.user_id, "email": member.user.email, "role": "member"}


def test_the_last_admin_cannot_be_removed(admin_membership):
    with pytest.raises(ValidationError) as raised:
        services.remove_member(membership=admin_membership, by=admin_membership.user)
    assert raised.value.code == "last_admin"
    second = MembershipFactory(organisation=admin_membership.organisation, role="admin")
    services.remove_member(membership=admin_membership, by=second.user)
    assert list(Membership.objects.all()) == [second]


def test_member_cannot_remove_anyone(admin_membership):
    member = MembershipFactory(organisation=admin_membership.organisation)
    with pytest.raises(PermissionDenied):
        services.remove_member(membership=admin_membership, by=member.user)
    assert Membership.objects.count() == 2


# --- funder roles -------------------------------------------------------------------------


@pytest.fixture
def funder(db):
    return OrganisationFactory(is_funder=True, type="state_authority", name_fi="TEM")


def test_grant_and_revoke_funder_role(funder):
    administrator = FunderRoleFactory(funder=funder, role="administrator").user
    officer = UserFactory()
    role = services.grant_funder_role(
        user=officer, funder=funder, role=FunderRole.Role.PROGRAMME_OFFICER, by=administrator
    )
    assert (role.user, role.funder, role.role) == (officer, funder, "programme_officer")
    granted = AuditEvent.objects.get()
    assert (granted.verb, granted.target, granted.data) == (
        Verb.FUNDER_ROLE_GRANTED,
        role,
        {"user": officer.pk, "funder": funder.pk, "role": "programme_officer"},
    )
    with pytest.raises(ValidationError) as raised:
        services.grant_funder_role(
            user=officer, funder=funder, role="programme_officer", by=administrator
        )
    assert raised.value.code == "duplicate"

    services.revoke_funder_role(funder_role=role, by=administrator)
    assert FunderRole.objects.filter(user=officer).count() == 0
    revoked = AuditEvent.objects.filter(verb=Verb.FUNDER_ROLE_REVOKED).get()
    assert (revoked.target, revoked.data) == (
        funder,
        {"user": officer.pk, "role": "programme_officer"},
    )


def test_funder_roles_need_a_funder_and_its_administrator(funder):
    officer = FunderRoleFactory(funder=funder, role="programme_officer").user
    other_admin = FunderRoleFactory(role="administrator").user
    for by in (officer, other_admin):
        with pytest.raises(PermissionDenied):
            services.grant_funder_role(user=UserFactory(), funder=funder, role="reviewer", by=by)
    with pytest.raises(ValidationError) as raised:
        services.grant_funder_role(
            user=UserFactory(), funder=OrganisationFactory(), role="reviewer", by=None
        )
    assert raised.value.code == "not_funder"
    assert FunderRole.objects.count() == 2


def test_factories_place_organisations_in_current_municipalities():
    assert OrganisationFactory().home_municipality == current_municipality("FI")


# --- Typed text (regionet.texts) ----------------------------------------------------------


def test_a_name_over_the_limit_or_with_direction_controls_is_refused(finland, helsinki):
    user = UserFactory()
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        register(user, finland, helsinki, name_fi="n" * 201, name_sv="Test\u202eAB")

    assert raised.value.message_dict == {
        "name_fi": ["Name in Finnish: Write at most 200 characters: now there are 201."],
        "name_sv": [
            "Name in Swedish: Remove the invisible characters that change the direction of "
            "text (such as U+202E): they would make the text read differently from what you "
            "typed."
        ],
    }
    assert not Organisation.objects.exists()

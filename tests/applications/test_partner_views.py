"""Inviting a partner organisation by e-mail through the pages: the coordinator's invitation
and its withdrawal, the contact person's answer (signing up, registering the organisation or
choosing it, joining), and who is kept out."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from regionet.accounts.models import Membership, Organisation
from regionet.applications.models import Partner, PartnerInvitation
from regionet.audit.models import AuditEvent
from regionet.notifications.models import Notice
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    country,
    current_municipality,
    unique_y_tunnus,
)

pytestmark = pytest.mark.django_db

CONTACT = "yhteys@kumppani.example"


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"applications:{name}", kwargs=kwargs)


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body).strip()


@pytest.fixture
def application():
    return ApplicationFactory()


@pytest.fixture
def coordinator_client(client, application):
    client.force_login(application.created_by)
    return client


INVITE = {
    "invite-organisation_name": "Kumppani ry",
    "invite-business_id": "",
    "invite-email": CONTACT,
    "invite-role": Partner.Role.PARTNER,
    "invite-tasks": "Työpajat",
}


def invite(client, application, **fields):
    data = INVITE | {"invite-country": country("FI").pk} | fields
    return client.post(url("invite_partner", pk=application.pk), data)


def test_the_consortium_page_leads_to_the_invitation_by_e_mail(coordinator_client, application):
    page = coordinator_client.get(url("partners", pk=application.pk))
    assert f'href="{url("invite_partner", pk=application.pk)}"' in page.content.decode()
    page = coordinator_client.get(url("invite_partner", pk=application.pk))
    assert page.status_code == 200
    assert page.context["form"]["country"].value() == application.coordinator.country_id


def test_the_coordinator_invites_and_the_page_lists_the_invitation(coordinator_client, application):
    response = invite(coordinator_client, application)

    assert response.status_code == 302
    assert response["Location"] == url("partners", pk=application.pk)
    invitation = PartnerInvitation.objects.get()
    assert (invitation.organisation_name, invitation.email, invitation.tasks) == (
        "Kumppani ry",
        CONTACT,
        "Työpajat",
    )
    assert Notice.objects.filter(kind="application.partner_invitation", email=CONTACT).count() == 1
    page = coordinator_client.get(response["Location"])
    assert "An invitation to Kumppani ry has been sent to yhteys@kumppani.example." in text(page)
    assert "Withdraw the invitation to yhteys@kumppani.example" in text(page)
    # The link's key is the invited mailbox's alone: opening it proves the address.
    assert str(invitation.key) not in page.content.decode()


def test_a_business_id_is_checked_by_the_countrys_rule(coordinator_client, application):
    response = invite(coordinator_client, application, **{"invite-business_id": "1234567-8"})
    assert response.status_code == 200
    assert response.context["form"].errors["business_id"] == [
        "The Finnish business ID (Y-tunnus) 1234567-8 is not valid: its check digit (the last "
        "digit) does not match the other digits. Check the number."
    ]
    assert PartnerInvitation.objects.count() == 0


def test_a_refused_invitation_keeps_what_was_typed(coordinator_client, application):
    registered = OrganisationFactory()
    response = invite(
        coordinator_client, application, **{"invite-business_id": registered.business_id}
    )
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        f"{registered.name} is already registered in Regionet with the business ID "
        f"{registered.business_id}: add it as a partner by its business ID."
    ]
    assert 'value="Kumppani ry"' in response.content.decode()


def test_the_coordinator_withdraws_an_invitation(coordinator_client, application):
    invite(coordinator_client, application)
    invitation = PartnerInvitation.objects.get()
    response = coordinator_client.post(
        url("withdraw_partner_invitation", pk=application.pk, invitation=invitation.pk)
    )
    assert response["Location"] == url("partners", pk=application.pk)
    invitation.refresh_from_db()
    assert invitation.state == PartnerInvitation.State.WITHDRAWN
    assert (
        coordinator_client.get(
            url("withdraw_partner_invitation", pk=application.pk, invitation=invitation.pk)
        ).status_code
        == 405
    )


def test_others_cannot_invite_or_withdraw(client, application):
    partner = Partner.objects.create(application=application, organisation=OrganisationFactory())
    partner_member = MembershipFactory(organisation=partner.organisation).user
    client.force_login(application.created_by)
    invite(client, application)
    invitation = PartnerInvitation.objects.get()
    for user in (partner_member, UserFactory()):
        client.force_login(user)
        assert client.get(url("invite_partner", pk=application.pk)).status_code == 404
        assert invite(client, application, **{"invite-email": "x@y.example"}).status_code == 404
        assert (
            client.post(
                url("withdraw_partner_invitation", pk=application.pk, invitation=invitation.pk)
            ).status_code
            == 404
        )
    assert PartnerInvitation.objects.get().state == PartnerInvitation.State.PENDING


# --- The contact person's answer ------------------------------------------------------------


@pytest.fixture
def invitation(coordinator_client, application):
    invite(coordinator_client, application)
    coordinator_client.logout()
    return PartnerInvitation.objects.get()


def test_the_invitation_page_is_kept_by_no_cache(client, invitation):
    response = client.get(url("partner_invitation", key=invitation.key))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_visitor_sees_whom_the_invitation_is_for_and_how_to_answer(client, invitation):
    page = client.get(url("partner_invitation", key=invitation.key))
    assert page.status_code == 200
    application = invitation.application
    assert (
        f"{application.coordinator} invites Kumppani ry to take part as a partner in the "
        f"application “{application.title}”."
    ) in text(page)
    signup = url("partner_invitation", key=invitation.key)
    assert f'?next={signup}"' in page.content.decode()
    # Opening the link proves the address, as an invitation to an organisation does: a
    # sign-up with it that follows is verified at once.
    assert client.session["regionet_invited_email"] == CONTACT


def test_an_unknown_link_is_404(client):
    assert (
        client.get(
            url("partner_invitation", key="6c4b0b4e-2f4e-4c55-9a49-111111111111")
        ).status_code
        == 404
    )


def test_the_contact_registers_the_organisation_and_is_led_to_confirm(client, invitation):
    contact = UserFactory(email=CONTACT)
    client.force_login(contact)
    page = client.get(url("partner_invitation", key=invitation.key))
    assert page.status_code == 200
    register = url("register_invited_organisation", key=invitation.key, country="fi")
    assert f'href="{register}"' in page.content.decode()

    form = client.get(register)
    assert form.context["form"]["name_fi"].value() == "Kumppani ry"
    home = current_municipality("FI", 5)
    response = client.post(
        register,
        {
            "type": Organisation.Type.NGO,
            "name_fi": "Kumppani ry",
            "business_id": unique_y_tunnus(911),
            "home_municipality": home.code,
        },
    )

    partner = Partner.objects.get(organisation__business_id=unique_y_tunnus(911))
    assert response.status_code == 302
    assert response["Location"] == url("confirm_partner", pk=partner.pk)
    assert Membership.objects.get(organisation=partner.organisation).user == contact
    # The whole way on: the letter of commitment, and the coordinator is told.
    client.post(response["Location"], {"commitment": "Sitoudumme."})
    partner.refresh_from_db()
    assert partner.confirmed_by == contact
    (notice,) = Notice.objects.filter(kind="application.partner_confirmed")
    assert notice.recipient == invitation.application.created_by
    # The link leads an answered invitation's member to the confirmation page.
    assert client.get(url("partner_invitation", key=invitation.key))["Location"] == url(
        "confirm_partner", pk=partner.pk
    )


def test_a_registration_checks_the_invitation_once(client, invitation, monkeypatch):
    from regionet.applications import services

    checks = []
    problems = services.partner_invitation_problems

    def counted(*args, **kwargs):
        checks.append(args)
        return problems(*args, **kwargs)

    monkeypatch.setattr(services, "partner_invitation_problems", counted)
    client.force_login(UserFactory(email=CONTACT))
    response = client.post(
        url("register_invited_organisation", key=invitation.key, country="fi"),
        {
            "type": Organisation.Type.NGO,
            "name_fi": "Kumppani ry",
            "business_id": unique_y_tunnus(912),
            "home_municipality": current_municipality("FI", 5).code,
        },
    )
    partner = Partner.objects.get(organisation__business_id=unique_y_tunnus(912))
    assert response["Location"] == url("confirm_partner", pk=partner.pk)
    assert len(checks) == 1


def test_a_registration_the_invitation_no_longer_allows_keeps_the_form(client, invitation):
    PartnerInvitation.objects.filter(pk=invitation.pk).update(
        state=PartnerInvitation.State.WITHDRAWN
    )
    client.force_login(UserFactory(email=CONTACT))
    response = client.post(
        url("register_invited_organisation", key=invitation.key, country="fi"),
        {
            "type": Organisation.Type.NGO,
            "name_fi": "Kumppani ry",
            "business_id": unique_y_tunnus(913),
            "home_municipality": current_municipality("FI", 5).code,
        },
    )
    assert response.status_code == 403
    assert response.context["form"].non_field_errors() == [
        "The coordinator has withdrawn this invitation."
    ]
    assert response.context["form"]["name_fi"].value() == "Kumppani ry"
    assert not Organisation.objects.filter(business_id=unique_y_tunnus(913)).exists()


def test_a_registration_error_keeps_the_form_and_registers_nothing(client, invitation):
    client.force_login(UserFactory(email=CONTACT))
    register = url("register_invited_organisation", key=invitation.key, country="fi")
    response = client.post(
        register,
        {
            "type": Organisation.Type.NGO,
            "name_fi": "Kumppani ry",
            "business_id": "1234567-8",
            "home_municipality": current_municipality("FI", 5).code,
        },
    )
    assert response.status_code == 200
    assert "business_id" in response.context["form"].errors
    assert Partner.objects.filter(application=invitation.application).count() == 0
    assert invitation.application.partner_invitations.get().state == "pending"


def test_the_contact_joins_with_an_organisation_of_theirs(client, invitation):
    contact = UserFactory(email=CONTACT)
    organisation = OrganisationFactory()
    MembershipFactory(user=contact, organisation=organisation)
    client.force_login(contact)

    page = client.get(url("partner_invitation", key=invitation.key))
    assert list(page.context["join_form"].fields["organisation"].queryset) == [organisation]
    response = client.post(
        url("join_partner_invitation", key=invitation.key), {"organisation": organisation.pk}
    )

    partner = Partner.objects.get(organisation=organisation)
    assert response["Location"] == url("confirm_partner", pk=partner.pk)
    events = AuditEvent.objects.for_target(invitation.application).order_by("pk")
    assert [event.verb for event in events] == [
        "application.partner_invited_by_email",
        "application.partner_invitation_accepted",
    ]


def test_someone_else_cannot_answer(client, invitation):
    stranger = UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=stranger, organisation=organisation)
    client.force_login(stranger)
    page = client.get(url("partner_invitation", key=invitation.key))
    assert page.status_code == 403
    assert (
        "This invitation was sent to yhteys@kumppani.example. Sign in with that address, "
        "verified, to answer it."
    ) in text(page)
    response = client.post(
        url("join_partner_invitation", key=invitation.key), {"organisation": organisation.pk}
    )
    assert response.status_code == 403
    register = url("register_invited_organisation", key=invitation.key, country="fi")
    assert client.get(register)["Location"] == url("partner_invitation", key=invitation.key)
    assert Partner.objects.filter(application=invitation.application).count() == 0


def test_an_expired_invitation_cannot_be_answered(client, invitation):
    PartnerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(UserFactory(email=CONTACT))
    page = client.get(url("partner_invitation", key=invitation.key))
    assert page.status_code == 403
    assert "This invitation has expired. Ask the coordinator for a new one." in text(page)


def test_the_invitation_email_leads_to_the_page(invitation, django_capture_on_commit_callbacks):
    from regionet.notifications.services import send_due_notices

    send_due_notices()
    (message,) = [m for m in mail.outbox if m.to == [CONTACT]]
    assert f"/partner-invitations/{invitation.key}/" in message.body

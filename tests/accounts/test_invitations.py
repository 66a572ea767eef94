"""Invitations end to end: admin invites, the invitee signs up through the link and joins."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from regionet.accounts.models import Membership, User
from tests.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def test_admin_invites_newcomer_who_signs_up_and_joins(client, on_commit):
    admin = MembershipFactory(role="admin", organisation__name_fi="Kutsuva Oy")
    organisation = admin.organisation
    client.force_login(admin.user)
    with on_commit():
        client.post(
            url("accounts:invite_member", "fi", pk=organisation.pk),
            {"email": "uusi@example.fi", "role": "member"},
        )
    client.logout()

    (message,) = mail.outbox
    assert message.to == ["uusi@example.fi"]
    link = re.search(r"http://testserver(/fi/organisations/invitations/[\w-]+/)", message.body)[1]

    page = client.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kutsuva Oy" in body
    assert f'href="{url("account_signup", "fi")}?next=' in body

    response = client.post(
        f"{url('account_signup', 'fi')}?next={link}",
        {
            "email": "uusi@example.fi",
            "full_name": "Uusi Jäsen",
            "preferred_language": "fi",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": link,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == link

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == url("accounts:organisation_detail", "fi", pk=organisation.pk)
    newcomer = User.objects.get(email="uusi@example.fi")
    assert list(
        Membership.objects.filter(organisation=organisation).values_list("user", "role")
    ) == [(admin.user_id, "admin"), (newcomer.pk, "member")]
    assert client.get(response["Location"]).status_code == 200


def test_existing_user_signs_in_through_the_link_and_accepts(client):
    invitation = InvitationFactory(token="abc", email="olemassa@example.fi")
    user = UserFactory(email="olemassa@example.fi")
    link = url("accounts:invitation_accept", token="abc")
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == f"{url('account_login')}?next={link}"
    response = client.post(
        f"{url('account_login')}?next={link}",
        {"login": user.email, "password": PASSWORD, "next": link},
    )
    assert response["Location"] == link
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=user).organisation == invitation.organisation


def test_wrong_user_sees_whom_the_invitation_is_for(client):
    InvitationFactory(token="abc", email="oikea@example.fi")
    wrong = UserFactory(email="vaara@example.fi")
    client.force_login(wrong)
    link = url("accounts:invitation_accept", token="abc")
    page = client.get(link)
    assert page.status_code == 200
    assert (
        "This invitation was sent to oikea@example.fi. Sign in with that e-mail address to "
        "accept it." in page.content.decode()
    )
    response = client.post(link)
    assert response.status_code == 400
    assert Membership.objects.filter(user=wrong).count() == 0


def test_unknown_link_is_404_with_a_message(client):
    page = client.get(url("accounts:invitation_accept", "sv", token="nonexistent"))
    assert page.status_code == 404
    assert (
        "Inbjudningslänken är inte giltig. Kontrollera att du kopierade hela länken."
        in page.content.decode()
    )


def test_revoked_and_expired_links_explain_themselves(client):
    InvitationFactory(token="revoked", revoked_at=timezone.now())
    InvitationFactory(token="expired", expires_at=timezone.now())
    assert (
        "This invitation has been withdrawn by the organisation."
        in client.get(url("accounts:invitation_accept", token="revoked")).content.decode()
    )
    assert (
        "This invitation has expired. Ask the organisation's administrator for a new one."
        in html.unescape(
            client.get(url("accounts:invitation_accept", token="expired")).content.decode()
        )
    )


def test_the_invitation_page_is_kept_by_no_cache_before_signing_in(client):
    InvitationFactory(token="abc", email="oikea@example.fi")
    page = client.get(url("accounts:invitation_accept", token="abc"))
    assert page.status_code == 200
    assert "oikea@example.fi" in page.content.decode()
    assert "no-store" in page["Cache-Control"]

"""Acting for an organisation needs a verified e-mail address (issue 11, item 13).

An unverified user may sign in, but registering an organisation, applying, accepting an
invitation and every other page of organisations and applications answer with a page that
says to verify the address and offers to send the link again.
"""

import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from regionet.accounts import services
from regionet.accounts.models import Membership, Organisation
from regionet.applications import services as applications
from regionet.applications.models import Application
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    country,
    current_municipality,
    open_phase,
)
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY_HEADING = {
    "fi": "Vahvista sähköpostiosoitteesi",
    "sv": "Bekräfta din e-postadress",
    "en": "Verify your e-mail address",
}


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", html.unescape(match.group(1))).strip()


def text(response) -> str:
    body = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", body).strip()


def registration_data():
    return {
        "type": "development_organisation",
        "name_fi": "Vahvistamaton Oy",
        "name_sv": "",
        "name_en": "",
        "business_id": "0112038-9",
        "home_municipality": "091",
    }


@pytest.fixture(autouse=True)
def _no_rate_limits_left_by_other_tests():
    """allauth counts the links sent to an address in the cache (one in three minutes)."""
    cache.clear()


@pytest.fixture
def unverified(client):
    user = UserFactory(email="uusi@example.fi", email_verified=False)
    client.force_login(user)
    return user


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_registering_an_organisation_asks_to_verify_the_address_first(client, unverified, language):
    page = client.get(url("accounts:organisation_register", language, country="fi"))
    assert page.status_code == 403
    assert h1(page) == VERIFY_HEADING[language]
    assert "uusi@example.fi" in text(page)
    # A button that sends the link again, coming back to this page.
    body = page.content.decode()
    assert f'action="{url("accounts:send_verification", language)}"' in body
    assert (
        f'name="next" value="{url("accounts:organisation_register", language, country="fi")}"'
        in body
    )

    response = client.post(
        url("accounts:organisation_register", language, country="fi"), registration_data()
    )
    assert response.status_code == 403
    assert Organisation.objects.count() == 0


def test_every_organisation_and_application_page_asks_to_verify(client):
    membership = MembershipFactory(role="admin", user__email_verified=False)
    client.force_login(membership.user)
    organisation = membership.organisation
    phase = open_phase()
    pages = [
        url("accounts:organisation_list"),
        url("accounts:organisation_register_country"),
        url("accounts:organisation_detail", pk=organisation.pk),
        url("applications:list"),
        url("applications:start", call=phase.call_id),
    ]
    for page in pages:
        response = client.get(page)
        assert (response.status_code, h1(response)) == (403, VERIFY_HEADING["en"]), page
    response = client.post(
        url("accounts:invite_member", pk=organisation.pk),
        {"email": "kutsuttu@example.fi", "role": "member"},
    )
    assert response.status_code == 403
    assert organisation.invitations.count() == 0
    response = client.post(
        url("applications:start", call=phase.call_id),
        {
            "phase": phase.pk,
            "instrument": phase.call.instruments.get().pk,
            "coordinator": organisation.pk,
            "language": "fi",
        },
    )
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_a_verified_user_reaches_the_same_pages(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(url("accounts:organisation_register", country="fi")).status_code == 200


def test_the_link_is_sent_again_and_the_user_comes_back(client, unverified):
    back = url("accounts:organisation_register", country="fi")
    response = client.post(url("accounts:send_verification"), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    (message,) = mail.outbox
    assert message.to == ["uusi@example.fi"]
    link = re.search(r"http://testserver(/en/accounts/confirm-email/[^/\s]+/)", message.body)[1]

    # Opening the link verifies the address; the page that asked for it now opens.
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=unverified).verified is True
    assert client.get(back).status_code == 200


def test_a_second_link_within_minutes_is_not_sent_and_the_page_says_why(client, unverified):
    back = url("accounts:organisation_register", country="fi")
    client.post(url("accounts:send_verification"), {"next": back})
    response = client.post(url("accounts:send_verification"), {"next": back}, follow=True)
    assert len(mail.outbox) == 1
    assert (
        "A link was sent to uusi@example.fi a moment ago. Look for it in your inbox, and in "
        "the spam folder." in text(response)
    )


def test_a_verified_user_gets_no_link(client):
    client.force_login(UserFactory())
    response = client.post(url("accounts:send_verification"), {"next": "/en/organisations/"})
    assert response["Location"] == "/en/organisations/"
    assert mail.outbox == []


def test_sending_again_refuses_a_foreign_next_address(client, unverified):
    response = client.post(url("accounts:send_verification"), {"next": "https://evil.example/"})
    assert response["Location"] == url("portal:dashboard")


def test_sending_again_needs_sign_in(client):
    response = client.post(url("accounts:send_verification"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))
    assert mail.outbox == []


def test_registration_door_refuses_an_unverified_user():
    user = UserFactory(email_verified=False)
    with pytest.raises(PermissionDenied):
        services.register_organisation(
            by=user,
            country=country("FI"),
            type=Organisation.Type.COMPANY,
            business_id="0112038-9",
            home_municipality=current_municipality("FI"),
            name_fi="Yhtiö Oy",
        )
    assert Organisation.objects.count() == 0


def test_starting_door_refuses_an_unverified_member():
    phase = open_phase()
    membership = MembershipFactory(user__email_verified=False)
    with translation.override("en"):
        problems = applications.start_problems(
            phase, phase.call.instruments.get(), membership.organisation, membership.user
        )
    assert problems == ["Verify your e-mail address before you act for an organisation."]


# --- Invitations ---------------------------------------------------------------------------


def test_an_unverified_account_with_the_invited_address_cannot_accept(client):
    """The bug of the issue: the address was typed at sign-up, never proven."""
    invitation = InvitationFactory(token="kutsu", email="uusi@example.fi")
    user = UserFactory(email="uusi@example.fi", email_verified=False)
    client.force_login(user)
    link = url("accounts:invitation_accept", token="kutsu")

    page = client.get(link)
    assert page.status_code == 200
    assert (
        "Verify your e-mail address uusi@example.fi before you accept the invitation: open "
        "the link we sent to it, or send a new link." in text(page)
    )
    assert f'action="{url("accounts:send_verification")}"' in page.content.decode()
    assert "Join " not in text(page)

    response = client.post(link)
    assert response.status_code == 400
    assert Membership.objects.filter(organisation=invitation.organisation).count() == 0
    with pytest.raises(services.InvitationError) as raised:
        services.accept_invitation(token="kutsu", user=user)
    assert raised.value.code == "unverified"


def test_the_same_account_accepts_once_the_address_is_verified(client):
    invitation = InvitationFactory(token="kutsu", email="uusi@example.fi")
    user = UserFactory(email="uusi@example.fi", email_verified=False)
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.force_login(user)
    response = client.post(url("accounts:invitation_accept", token="kutsu"))
    assert response.status_code == 302
    assert Membership.objects.get(user=user).organisation == invitation.organisation


def test_signing_up_through_the_link_with_the_invited_address_verifies_it(client):
    """The invitation's secret link reached that mailbox: it proves the address as allauth's
    own verification link would (allauth's documented way for invitations)."""
    InvitationFactory(token="kutsu", email="uusi@example.fi")
    link = url("accounts:invitation_accept", "fi", token="kutsu")
    assert client.get(link).status_code == 200
    client.post(
        f"{url('account_signup', 'fi')}?next={link}",
        {
            "email": "Uusi@Example.fi",
            "full_name": "Uusi Jäsen",
            "preferred_language": "fi",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": link,
        },
    )
    address = EmailAddress.objects.get(email="uusi@example.fi")
    assert (address.verified, address.primary) == (True, True)
    assert mail.outbox == []  # nothing to verify: no verification e-mail
    assert client.post(link).status_code == 302


def test_signing_up_with_another_address_after_opening_the_link_proves_nothing(client):
    InvitationFactory(token="kutsu", email="kutsuttu@example.fi")
    link = url("accounts:invitation_accept", token="kutsu")
    client.get(link)
    client.post(
        f"{url('account_signup')}?next={link}",
        {
            "email": "joku.muu@example.fi",
            "full_name": "Joku Muu",
            "preferred_language": "fi",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": link,
        },
    )
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("joku.muu@example.fi", False, True)
    ]
    assert client.post(link).status_code == 400
    assert Membership.objects.count() == 0


def test_a_revoked_invitation_link_proves_nothing(client):
    from django.utils import timezone

    InvitationFactory(token="kutsu", email="uusi@example.fi", revoked_at=timezone.now())
    client.get(url("accounts:invitation_accept", token="kutsu"))
    client.post(
        url("account_signup"),
        {
            "email": "uusi@example.fi",
            "full_name": "Uusi",
            "preferred_language": "fi",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert EmailAddress.objects.get(email="uusi@example.fi").verified is False


def test_an_organisation_of_an_unverified_user_cannot_invite_through_the_door():
    """Members join only through verified addresses; a member whose address is not verified
    (an account from before verification was required) is asked to verify first."""
    organisation = OrganisationFactory()
    admin = MembershipFactory(
        organisation=organisation, role="admin", user__email_verified=False
    ).user
    assert admin.has_perm("accounts.manage_members", organisation) is False
    assert admin.has_perm("accounts.act_for_organisations") is False

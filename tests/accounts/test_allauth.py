"""Sign-up, sign-in and two-factor set-up through allauth, in the site layout, in fi/sv/en."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse
from django.utils import translation

from regionet.accounts.models import User
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def assert_site_page(response, language):
    """Rendered inside base.html: its language, skip link and footer, and exactly one h1."""
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert 'class="skip-link"' in body
    assert 'class="site-footer"' in body
    assert len(re.findall(r"<h1[\s>]", body)) == 1


def sign_in(client, user, language="en"):
    response = client.post(
        url("account_login", language), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


def reauthenticate(client, language="en"):
    """allauth asks for the password again before two-factor settings change."""
    response = client.post(url("account_reauthenticate", language), {"password": PASSWORD})
    assert response.status_code == 302


def current_code(secret):
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["account_signup", "account_login", "account_reset_password"])
def test_entrance_pages_render_in_the_site_layout(client, language, name):
    response = client.get(url(name, language))
    assert response.status_code == 200
    assert_site_page(response, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_in_account_pages_render(client, language):
    user = UserFactory()
    sign_in(client, user, language)
    page = client.get(url("account_reauthenticate", language))
    assert page.status_code == 200
    assert_site_page(page, language)
    reauthenticate(client, language)
    for name in ["account_logout", "mfa_index", "mfa_activate_totp", "account_email"]:
        response = client.get(url(name, language))
        assert response.status_code == 200, name
        assert_site_page(response, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_mfa_pages_of_a_user_with_totp_render(client, language):
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post(
        url("account_login", language), {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == url("mfa_authenticate", language)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert_site_page(page, language)
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302
    reauthenticate(client, language)
    for name in ["mfa_generate_recovery_codes", "mfa_deactivate_totp"]:
        page = client.get(url(name, language))
        assert page.status_code == 200, name
        assert_site_page(page, language)


def test_sign_up_with_name_and_language(client):
    response = client.post(
        url("account_signup", "sv"),
        {
            "email": "Ny.Anvandare@Example.SE",
            "full_name": "Ny Användare",
            "preferred_language": "sv",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.full_name, user.preferred_language) == (
        "ny.anvandare@example.se",
        "Ny Användare",
        "sv",
    )
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_with_a_taken_address_is_refused(client):
    UserFactory(email="taken@example.fi")
    response = client.post(
        url("account_signup", "en"),
        {
            "email": "TAKEN@example.fi",
            "full_name": "Someone",
            "preferred_language": "en",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in response.content.decode()
    assert User.objects.count() == 1


def test_sign_in_and_out(client):
    user = UserFactory(email="kirjautuja@example.fi")
    sign_in(client, user)
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(url("account_logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_the_error_summary(client):
    user = UserFactory()
    response = client.post(url("account_login", "fi"), {"login": user.email, "password": "väärä"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert "_auth_user_id" not in client.session


def test_activate_totp_end_to_end(client):
    user = UserFactory()
    sign_in(client, user)
    reauthenticate(client)
    page = client.get(url("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(url("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    # allauth generates recovery codes with the first authenticator and shows them.
    assert response["Location"] == url("mfa_view_recovery_codes")
    codes_page = client.get(response["Location"])
    assert codes_page.status_code == 200
    assert_site_page(codes_page, "en")

    client.post(url("account_logout"))
    response = client.post(url("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == url("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_allauth_template_overrides_are_in_effect():
    """regionet.accounts must precede allauth in INSTALLED_APPS (system check accounts.W001)."""
    from regionet.accounts.checks import allauth_templates_are_overridden

    assert allauth_templates_are_overridden(None) == []


# --- English in sentence case, as the rest of the site (issue 11, item 34) -----------------


def heading_and_title(response):
    body = response.content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)[1]
    title = re.search(r"<title>(.*?)</title>", body, re.S)[1]
    return re.sub(r"\s+", " ", h1).strip(), re.sub(r"\s+", " ", title).strip()


@pytest.mark.parametrize(
    ("name", "heading"),
    [("account_login", "Sign in"), ("account_signup", "Create account")],
)
def test_english_entrance_pages_are_in_sentence_case(client, name, heading):
    response = client.get(url(name, "en"))
    h1, title = heading_and_title(response)
    assert h1 == heading
    assert title.startswith(f"{heading} ")
    body = response.content.decode()
    for title_case in ("Sign In", "Sign Up", "Signup", "Forgot Password", "Remember Me"):
        assert title_case not in body, title_case


def test_english_two_factor_page_is_in_sentence_case(client):
    user = UserFactory()
    sign_in(client, user)
    response = client.get(url("mfa_index", "en"))
    h1, title = heading_and_title(response)
    assert h1 == "Two-factor authentication"
    assert title.startswith("Two-factor authentication ")
    body = response.content.decode()
    for title_case in ("Two-Factor Authentication", "Authenticator App", "Recovery Codes"):
        assert title_case not in body, title_case


def test_finnish_pages_keep_allauths_finnish(client):
    h1, _title = heading_and_title(client.get(url("account_login", "fi")))
    assert h1 == "Kirjaudu sisään"


# --- E-mail from Regionet, with links to where the site runs (issue 11, item 20) -----------


def test_sign_up_email_greets_from_regionet_and_links_to_the_host_it_was_asked_on(client):
    response = client.post(
        url("account_signup", "fi"),
        {
            "email": "uusi@example.fi",
            "full_name": "Uusi Käyttäjä",
            "preferred_language": "fi",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_HOST="127.0.0.1:8200",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[Regionet] Vahvista sähköpostiosoitteesi"
    assert message.body.startswith("Tervehdys Regionet-palvelusta!")
    assert "127.0.0.1:8200!" not in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert len(links) == 1
    assert re.fullmatch(r"http://127\.0\.0\.1:8200/fi/accounts/confirm-email/[^/\s]+/", links[0])
    assert message.body.endswith("Kiitos, että käytät Regionet-palvelua!\n127.0.0.1:8200")

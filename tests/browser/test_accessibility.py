"""Every page of the site in a real browser, in Finnish, Swedish and English: no axe-core
violations at WCAG 2.1 A and AA, exactly one h1, and html[lang] equal to the URL's language."""

import re

import pytest
from playwright.sync_api import expect

from regionet.demo.services import DEMO_PASSWORD

from .conftest import axe_violations
from .helpers import (
    LANGUAGES,
    assert_accessible,
    label,
    new_page,
    sign_in,
    t,
    url,
    y_tunnus,
)

APPLICANT = "hakija@oulu.example"  # administrator of Oulun kaupunki in the demo
PROGRAMME_OFFICER = "valmistelija@tem.example"  # a staff role: signs in with a TOTP code
OULU_CODE = "564"

PUBLIC_PAGES = {
    "front page": ("portal:home", {}),
    "accessibility statement": ("portal:accessibility", {}),
    "privacy notice": ("portal:privacy", {}),
    "sign-in": ("account_login", {}),
    "sign-up": ("account_signup", {}),
    "password reset": ("account_reset_password", {}),
    "sign-in code request": ("account_request_login_code", {}),
}

MEMBER_PAGES = {
    "my pages": ("portal:dashboard", {}),
    "organisation list": ("accounts:organisation_list", {}),
    "registration, country choice": ("accounts:organisation_register_country", {}),
    "registration, Finland": ("accounts:organisation_register", {"country": "fi"}),
    "registration, Sweden": ("accounts:organisation_register", {"country": "se"}),
    "two-factor authentication": ("mfa_index", {}),
    "password change": ("account_change_password", {}),
    "e-mail addresses": ("account_email", {}),
}


def open_page(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    # No redirect (to the sign-in page, a re-authentication, the two-factor set-up…).
    assert page.url.endswith(path)


@pytest.fixture(scope="module")
def applicant(browser, demo_server):
    """The demo applicant signed in once: the session each test starts its own browser
    context from (one sign-in instead of dozens), and their organisation's number."""
    page = new_page(browser, demo_server)
    sign_in(page, APPLICANT)
    expect(page).to_have_url(re.compile(re.escape(url("fi", "portal:dashboard")) + "$"))
    page.goto(url("fi", "accounts:organisation_list"))
    href = page.get_by_role("link", name="Oulun kaupunki", exact=True).get_attribute("href")
    organisation_pk = int(re.search(r"/(\d+)/$", href)[1])
    state = page.context.storage_state()
    page.context.close()
    return {"storage_state": state, "organisation_pk": organisation_pk}


@pytest.fixture
def applicant_page(browser, demo_server, applicant):
    page = new_page(browser, demo_server, storage_state=applicant["storage_state"])
    yield page
    page.context.close()


def test_the_check_finds_a_violation(page):
    """The checker itself: a page with an image without a text alternative fails it."""
    page.set_content(
        '<html lang="fi"><title>Testi</title><main><h1>Testi</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>'
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page(page, name, language):
    url_name, kwargs = PUBLIC_PAGES[name]
    open_page(page, url(language, url_name, **kwargs))
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_places_pages(page, language):
    """The front page leads to the regions of both countries, and on to a region's page."""
    open_page(page, url(language, "portal:home"))
    page.get_by_role("link", name=t(language, "Browse regions and municipalities")).click()
    expect(page).to_have_url(re.compile(rf"/{language}/places/"))
    assert_accessible(page, language)

    # Pohjois-Pohjanmaa (region 17), whatever its name in the page's language.
    finnish_regions = page.get_by_role("region", name="Suomi" if language == "fi" else "Finland")
    finnish_regions.get_by_role("row").filter(
        has=page.get_by_role("cell", name="17", exact=True)
    ).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/{language}/places/.+/17/"))
    assert_accessible(page, language)
    # Oulu (564) is one of its municipalities.
    expect(
        page.get_by_role("row").filter(has=page.get_by_role("cell", name="564", exact=True))
    ).to_have_count(1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_signed_in_page(applicant_page, name, language):
    url_name, kwargs = MEMBER_PAGES[name]
    open_page(applicant_page, url(language, url_name, **kwargs))
    assert_accessible(applicant_page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_organisation_page_as_its_administrator(applicant_page, applicant, language):
    page = applicant_page
    open_page(page, url(language, "accounts:organisation_detail", pk=applicant["organisation_pk"]))
    # The administrator's view: the members can be managed and new ones invited.
    expect(page.get_by_role("heading", name=t(language, "Invite a member"))).to_be_visible()
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_form_with_errors(applicant_page, language):
    page = applicant_page
    open_page(page, url(language, "accounts:organisation_register", country="fi"))
    page.get_by_label(label(language, "Type of organisation")).select_option(
        label=t(language, "development organisation")
    )
    page.get_by_label(label(language, "Name in Finnish")).fill("Saavutettavuuden testaajat ry")
    page.get_by_label(label(language, "Business ID (Y-tunnus)")).fill(y_tunnus(valid=False))
    page.get_by_label(label(language, "Home municipality")).select_option(OULU_CODE)
    page.get_by_role("button", name=t(language, "Register the organisation")).click()

    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name=t(language, "Please correct the following"))
    )
    expect(summary).to_be_visible()
    assert_accessible(page, language)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_sign_in_form_with_errors(page, language):
    sign_in(page, APPLICANT, password="not-the-password", language=language)
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, language)


def test_authenticator_app_activation(page):
    """Setting up two-factor authentication asks for the password again first.

    Signs in on its own: a re-authentication would otherwise carry over to the next test.
    In Finnish only: three password checks cost more than the other languages would find.
    """
    language = "fi"
    sign_in(page, APPLICANT, language=language)
    expect(page).to_have_url(re.compile(re.escape(url(language, "portal:dashboard")) + "$"))
    activation = url(language, "mfa_activate_totp")
    page.goto(activation)
    expect(page).to_have_url(re.compile(re.escape(url(language, "account_reauthenticate"))))
    assert_accessible(page, language)

    page.get_by_label(label(language, "Password")).fill(DEMO_PASSWORD)
    page.get_by_label(label(language, "Password")).press("Enter")
    expect(page).to_have_url(re.compile(re.escape(activation) + "$"))
    expect(page.get_by_label(label(language, "Authenticator code"))).to_be_visible()
    assert_accessible(page, language)


def test_sign_up_form_with_errors(page):
    open_page(page, url("fi", "account_signup"))
    # Filled in so that the browser's own checks let it through; the passwords differ.
    page.get_by_label(label("fi", "Email")).fill("virheellinen@example.org")
    page.get_by_label(label("fi", "Password")).fill("Tunturi-1234567")
    page.get_by_label(label("fi", "Password (again)")).fill("Tunturi-7654321")
    page.get_by_label(label("fi", "Full name")).fill("Virpi Virheellinen")
    page.get_by_role("button", name=t("fi", "Sign Up"), exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "fi")


def test_password_reset_sent(page):
    open_page(page, url("fi", "account_reset_password"))
    page.get_by_label(label("fi", "Email")).fill(APPLICANT)
    page.get_by_label(label("fi", "Email")).press("Enter")
    expect(page).to_have_url(re.compile(re.escape(url("fi", "account_reset_password_done"))))
    assert_accessible(page, "fi")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_two_factor_code_page(page, language):
    """The page where a staff member types the authenticator code after the password."""
    sign_in(page, PROGRAMME_OFFICER, language=language)
    expect(page).to_have_url(re.compile(re.escape(url(language, "mfa_authenticate"))))
    assert_accessible(page, language)

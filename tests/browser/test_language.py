"""The language switch in the header keeps the page and changes its language."""

import re

from playwright.sync_api import expect

from .helpers import new_email, new_password, sign_up, url


def switch_to(page, language_name):
    page.get_by_role("banner").get_by_role("button", name=language_name, exact=True).click()


def test_switch_keeps_the_page_and_changes_its_language(page):
    page.goto("/fi/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rahoitusta alueiden väliseen yhteistyöhön"
    )
    # The current language is marked for assistive technology.
    expect(page.get_by_role("button", name="Suomi", exact=True)).to_have_attribute(
        "aria-current", "true"
    )

    switch_to(page, "Svenska")
    expect(page).to_have_url(re.compile(r"/sv/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Finansiering för samarbete mellan regioner"
    )
    expect(page.get_by_role("button", name="Svenska", exact=True)).to_have_attribute(
        "aria-current", "true"
    )

    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsutlåtande").click()
    expect(page).to_have_url(re.compile(r"/sv/accessibility/$"))
    switch_to(page, "English")
    expect(page).to_have_url(re.compile(r"/en/accessibility/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")

    switch_to(page, "Suomi")
    expect(page).to_have_url(re.compile(r"/fi/accessibility/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Saavutettavuusseloste")


def test_switch_keeps_a_signed_in_page(page):
    page.goto(url("fi", "account_signup"))
    email = new_email("kielivalinta")
    sign_up(page, email, new_password(), "Kielo Kielivalinta")
    expect(page).to_have_url(re.compile(r"/fi/my/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat sivut")

    switch_to(page, "Svenska")
    expect(page).to_have_url(re.compile(r"/sv/my/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina sidor")
    # Still signed in: the switch changes the language, not the session.
    expect(page.get_by_role("banner")).to_contain_text(email)

"""A text field states its limit and counts the characters in a real browser (issue 11,
item 9): the basics page of the demo's draft says "Enintään 300 merkkiä." under the title
without JavaScript, and with it a count follows the typing and says how much is over.
axe-core finds no WCAG 2.1 A/AA violations at phone and laptop widths.

Nothing is saved: the test types only what autosave refuses."""

import os

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, sign_in, signed_in_as, url

APPLICANT = "hakija@oulu.example"
DEMO_DRAFT_TITLE = "Perämerenkaaren kehittämisvyöhyke 2.0"
# Where to keep screenshots for a person to look at, when set.
SCREENSHOTS = os.environ.get("REGIONET_SCREENSHOTS")


@pytest.fixture
def applicant(browser, demo_server):
    context = browser.new_context(base_url=demo_server["url"], locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, APPLICANT)
    expect(signed_in_as(page, "fi", APPLICANT)).to_be_visible()
    yield page
    context.close()


def open_basics(page):
    page.goto(url("fi", "applications:list"))
    page.get_by_role("link", name=DEMO_DRAFT_TITLE, exact=True).click()
    page.locator("a[href$='/basics/']").first.click()
    expect(page.get_by_label("Hankkeen nimi", exact=False)).to_be_visible()


def test_the_limits_are_stated_and_counted(applicant):
    page = applicant
    open_basics(page)
    title = page.locator("#id_title")
    summary = page.locator("#id_summary")

    expect(page.locator("#id_title_helptext")).to_have_text("Enintään 300 merkkiä.")
    expect(page.locator("#id_summary_helptext")).to_contain_text("Enintään 2\u00a0000 merkkiä.")
    assert title.get_attribute("maxlength") is None
    count = page.locator("[data-character-count-for='id_title']")
    expect(count).to_be_visible()

    # Nothing valid is typed: autosave would change the demo's draft for the other tests.
    expect(count).to_have_text(f"Merkkejä jäljellä: {300 - len(DEMO_DRAFT_TITLE)}")
    title.fill("x" * 305)
    expect(count).to_have_text("5 merkkiä liian pitkä", timeout=3000)

    for width, height in ((375, 812), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        summary.scroll_into_view_if_needed()
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/character-count-{width}.png", full_page=True)
        assert_accessible(page, "fi")

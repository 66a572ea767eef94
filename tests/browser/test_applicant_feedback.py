"""What the applicant's pages tell in a real browser: a refused form's error summary names each
field and takes the keyboard focus; the check page shows only the rows that apply and names the
questions to answer; a submitted application's parts read "submitted". axe-core finds no
WCAG 2.1 A/AA violations on these pages.

The tests read the demo's applications (regionet/demo/applications.py) and change nothing in
them: Oulu's applicant has submitted a thematic-network idea and has a development-zone draft.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from regionet.applications.models import CostCategory, Section

from .helpers import assert_accessible, sign_in, signed_in_as, t, url

APPLICANT = "hakija@oulu.example"
DEMO_SUBMITTED_TITLE = "Perämeren kaaren vetytalousverkosto"
DEMO_DRAFT_TITLE = "Perämerenkaaren kehittämisvyöhyke 2.0"


@pytest.fixture
def applicant(browser, demo_server):
    """A page signed in as the demo's applicant (its own cookies)."""
    context = browser.new_context(base_url=demo_server["url"], locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, APPLICANT)
    expect(signed_in_as(page, "fi", APPLICANT)).to_be_visible()
    yield page
    context.close()


def open_application(page, title: str):
    page.goto(url("fi", "applications:list"))
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def section_title(section: Section) -> str:
    with translation.override("fi"):
        return str(section.label)


def test_a_refused_amount_names_its_field_and_the_summary_takes_the_focus(applicant):
    page = applicant
    open_application(page, DEMO_DRAFT_TITLE)
    page.get_by_role("link", name=section_title(Section.BUDGET), exact=True).click()
    with translation.override("fi"):
        category = str(CostCategory.PERSONNEL.label).capitalize()
    cell = page.locator("input[name^='cost_'][name$='_personnel']").first
    field_label = page.locator(f"label[for='{cell.get_attribute('id')}']").inner_text()
    assert field_label.startswith(category), field_label

    cell.fill("12,345")
    page.get_by_role("button", name=t("fi", "Save", "section form"), exact=True).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.matches('.error-summary')") is True
    message = t(
        "fi",
        "“%(value)s” would have more than two decimals: the decimal sign is a point and "
        "thousands are separated with a comma.",
        value="12,345",
    )
    expect(summary.get_by_role("link")).to_have_text(
        re.compile(rf"^{re.escape(field_label)}: {re.escape(message)}")
    )
    # What was typed is kept, and the summary's link takes the focus to the field.
    expect(cell).to_have_value("12,345")
    summary.get_by_role("link").click()
    expect(cell).to_be_focused()
    assert_accessible(page, "fi")


def test_the_check_page_of_a_development_zone_shows_what_applies(applicant):
    page = applicant
    open_application(page, DEMO_DRAFT_TITLE)
    page.get_by_role("link", name=t("fi", "Check your answers and submit")).click()
    main = page.get_by_role("main")

    basics = page.get_by_role("region", name=section_title(Section.BASICS))
    expect(basics.get_by_role("term")).to_have_text(
        [t("fi", "Title"), t("fi", "Summary", "application"), t("fi", "Development zone")]
    )
    # Each question to answer is named and links to its field.
    checks = page.get_by_role("region", name=t("fi", "Conditions of the call"))
    questions = checks.locator(".checklist__details").get_by_role("link")
    expect(questions).to_have_count(4)
    href = questions.first.get_attribute("href")
    assert re.search(r"/fi/applications/\d+/questions/\d+/#id_\w+$", href), href
    # The draft has no budget: its empty financing plan is not said to cover the costs.
    expect(main).to_contain_text(
        t(
            "fi",
            "The financing plan is checked against the costs less income, and there are none "
            "yet: enter the costs in the budget first",
        )
    )
    aid_share = t("fi", "Aid at most %(cap)s %% of the costs: %(share)s %%", cap="\0", share="")
    expect(main).not_to_contain_text(aid_share.split("\0")[0])
    assert_accessible(page, "fi")


def test_a_submitted_application_shows_its_parts_as_submitted(applicant):
    page = applicant
    open_application(page, DEMO_SUBMITTED_TITLE)

    parts = page.get_by_role("region", name=t("fi", "Parts of the application"))
    statuses = parts.locator(".task-list__status")
    expect(statuses).to_have_count(8)
    expect(statuses).to_have_text([t("fi", "Submitted", "part of an application")] * 8)
    expect(parts).not_to_contain_text(t("fi", "In progress"))
    assert_accessible(page, "fi")

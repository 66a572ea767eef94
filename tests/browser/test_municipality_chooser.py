"""The municipality chooser in a real browser: regions that open and close (<details>), a
filter that narrows the list as one types, few Tab presses with the keyboard, and the same
choosing without JavaScript (the filter then narrows the list on the server)."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .application_helpers import autosave_after, skip_to_main, tab_to
from .helpers import assert_accessible, sign_in, signed_in_as, t
from .test_applications import APPLICANT, start_network_application

FILTER_LABEL = "Show only municipalities whose name contains"
# The keyboard path may take at most this many Tab presses (Shift+Tab counted too); passing
# the whole list of a country's ~300 municipalities took 309 before regions could close.
TAB_BUDGET = 20
SCREENSHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(base_url=demo_server["url"], locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def open_municipalities(page) -> str:
    sign_in(page, APPLICANT)
    expect(signed_in_as(page, "fi", APPLICANT)).to_be_visible()
    task_list = start_network_application(page)
    page.goto(f"{task_list}municipalities/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("fi", "Participating municipalities")
    )
    return task_list


def checkbox(page, region: str, name: str):
    return page.get_by_role("group", name=region, exact=True).get_by_role(
        "checkbox", name=name, exact=True
    )


def test_two_municipalities_in_two_regions_with_a_few_tab_presses(page):
    open_municipalities(page)
    # Every region starts closed: its municipalities take no Tab stops.
    regions = page.locator("details.municipality-region")
    expect(regions).to_have_count(19)
    assert regions.evaluate_all("all => all.filter(d => d.open).length") == 0

    skip_to_main(page)
    box = page.get_by_label(t("fi", FILTER_LABEL))
    presses = tab_to(page, box)
    page.keyboard.type("Helsinki")
    expect(page.locator("#municipality-filter-result")).to_have_text(
        t("fi", "Municipalities shown: {count}").replace("{count}", "1")
    )
    helsinki = checkbox(page, "Uusimaa", "Helsinki")
    presses += tab_to(page, helsinki)
    page.keyboard.press("Space")
    expect(helsinki).to_be_checked()

    presses += tab_to(page, box, backwards=True)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("Tampere")
    tampere = checkbox(page, "Pirkanmaa", "Tampere")

    def tick_tampere():
        nonlocal presses
        presses += tab_to(page, tampere)
        page.keyboard.press("Space")

    autosave_after(page, tick_tampere)
    expect(tampere).to_be_checked()
    assert presses < TAB_BUDGET, presses

    # The summary names both regions; clearing the filter brings every region back, the two
    # with a ticked municipality open and saying how many.
    expect(page.locator("#municipality-summary")).to_contain_text("Pirkanmaa, Uusimaa")
    tab_to(page, box, backwards=True)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    expect(regions.filter(visible=True)).to_have_count(19)
    opened = regions.evaluate_all(
        "all => all.filter(d => d.open).map(d => d.querySelector('legend').textContent)"
    )
    assert opened == ["Uusimaa", "Pirkanmaa"]
    chosen = t("fi", "chosen:", "municipalities")
    expect(regions.filter(has_text="Uusimaa").locator("summary")).to_have_text(
        re.compile(rf"Uusimaa\s*\({re.escape(chosen)} 1\)")
    )
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, "fi")
        page.screenshot(path=SCREENSHOTS / f"municipality-chooser-{width}.png", full_page=True)


def test_the_list_of_a_whole_country_is_passed_in_a_few_tab_presses(page):
    open_municipalities(page)
    box = page.get_by_label(t("fi", FILTER_LABEL))
    skip_to_main(page)
    tab_to(page, box)
    save = page.get_by_role("button", name=t("fi", "Save", "section form"), exact=True)
    # The filter's button, 19 regions, then "Mark this part complete" and Save.
    assert tab_to(page, save, limit=30) <= 23
    # A region opens with Enter on its name, and its municipalities are then in the Tab order.
    uusimaa = page.locator("details.municipality-region summary").first
    tab_to(page, uusimaa, backwards=True, limit=30)
    page.keyboard.press("Enter")
    expect(checkbox(page, "Uusimaa", "Askola")).to_be_visible()
    page.keyboard.press("Tab")
    expect(checkbox(page, "Uusimaa", "Askola")).to_be_focused()


def test_choosing_without_javascript(browser, demo_server):
    no_script = browser.new_context(
        base_url=demo_server["url"], locale="fi-FI", java_script_enabled=False
    )
    page = no_script.new_page()
    page.set_default_timeout(10_000)
    try:
        task_list = open_municipalities(page)
        box = page.get_by_label(t("fi", FILTER_LABEL))
        # Enter in the filter sends the form: what is ticked is saved and the list narrows.
        box.fill("turku")
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/municipalities/\?q=turku$"))
        expect(page.locator("details.municipality-region")).to_have_count(1)
        checkbox(page, "Varsinais-Suomi", "Turku").check()
        box = page.get_by_label(t("fi", FILTER_LABEL))
        box.fill("oulu")
        page.get_by_role("button", name=t("fi", "Filter the list")).click()
        expect(page).to_have_url(re.compile(r"/municipalities/\?q=oulu$"))
        checkbox(page, "Pohjois-Pohjanmaa", "Oulu").check()
        page.get_by_role("button", name=t("fi", "Save", "section form"), exact=True).click()
        summary = page.locator("#municipality-summary")
        expect(summary).to_contain_text("Pohjois-Pohjanmaa, Varsinais-Suomi")
        # The regions open and close without JavaScript too.
        page.get_by_role("button", name=t("fi", "Show all municipalities")).click()
        lappi = page.locator("details.municipality-region").filter(has_text="Lappi")
        expect(lappi).not_to_have_attribute("open", "")
        lappi.locator("summary").click()
        expect(checkbox(page, "Lappi", "Kemi")).to_be_visible()
        page.goto(task_list)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    finally:
        no_script.close()

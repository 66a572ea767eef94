"""Applying in a real browser: a new applicant's whole way from signing up to the receipt, with
the keyboard only; the programme officer's workspace; autosave and its conflicts; the task list
in Swedish and English. axe-core finds no WCAG 2.1 A/AA violations on any page on the way.

Each test makes its own data, or only reads the demo's (data/programmes.json and the demo
applications of regionet/demo/applications.py): the open round's idea phase, in which Oulu's
applicant has submitted "Perämeren kaaren vetytalousverkosto" and has a draft.
"""

import json
import re
import secrets
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import translation
from playwright.sync_api import expect

from regionet.accounts.business_ids import make_y_tunnus
from regionet.applications.models import CostCategory, Section
from regionet.demo.programmes import QUESTIONNAIRES_FILE, read_data
from regionet.programmes.money import format_money

from .application_helpers import (
    autosave_after,
    choose_option,
    choose_radio,
    follow_link,
    press_button,
    saved_status,
    skip_to_main,
    tab_to,
    tick,
    type_into,
)
from .helpers import (
    assert_accessible,
    definition,
    label,
    new_email,
    new_page,
    new_password,
    open_verification_link,
    sign_in,
    sign_in_with_code,
    signed_in_as,
    t,
    url,
)

DATA = read_data()
FINNISH = next(p for p in DATA["programmes"] if p["funder"]["country"] == "FI")
# The round whose idea phase is open today, counted from the day the demo was loaded.
ROUND = next(r for r in DATA["future_rounds"] if r["copy_of"] == FINNISH["slug"])
CALL_2021 = next(c for c in FINNISH["calls"] if c["slug"] == ROUND["call"])
IDEA_PHASE = next(p for p in CALL_2021["phases"] if p["kind"] == "idea")
NETWORK = next(i for i in CALL_2021["instruments"] if i["code"] == "thematic-network")
THEME = next(theme for theme in FINNISH["themes"] if theme["code"] == "manufacturing-industry")
TIME_ZONE = ZoneInfo(FINNISH["time_zone"])
CURRENCY = FINNISH["currency"]
IDEA_QUESTIONNAIRE = next(
    q
    for q in json.loads(QUESTIONNAIRES_FILE.read_text(encoding="utf-8"))["questionnaires"]
    if q["code"] == "network-idea"
)
CALL_PATH = url("fi", "calls:call_detail", programme=ROUND["slug"], call=ROUND["call_slug"])

APPLICANT = "hakija@oulu.example"
PROGRAMME_OFFICER = "valmistelija@tem.example"
# regionet/demo/applications.py: the submitted idea and the draft of Oulu's applicant.
DEMO_SUBMITTED_TITLE = "Perämeren kaaren vetytalousverkosto"
DEMO_SEARCH_WORD = "vetytaloutta"  # a word of its summary, as an officer would search
DEMO_DRAFT_TITLE = "Perämerenkaaren kehittämisvyöhyke 2.0"

# Two municipalities in each of two regions (the thematic network needs 4 in 2).
MUNICIPALITIES = {"Pohjois-Pohjanmaa": ("Oulu", "Raahe"), "Lappi": ("Kemi", "Tornio")}
# The budget: personnel 40 000 € in each of the first two years and travel 5 000 € in the
# first; the programme adds flat-rate indirect costs of 15 % of the personnel costs.
PERSONNEL = Decimal("40000")
TRAVEL = Decimal("5000")
INDIRECT = 2 * PERSONNEL * Decimal(FINNISH["indirect_cost_percent"]) / 100
TOTAL_COSTS = 2 * PERSONNEL + TRAVEL + INDIRECT
AID = TOTAL_COSTS * Decimal(FINNISH["max_aid_percent"]) / 100
OWN = TOTAL_COSTS - AID
ANSWERS = {
    "objectives": "Yhteiset automaatiokokeilut.",
    "cooperation": "Kuukausittaiset tapaamiset.",
    "results": "Kymmenen kokeilua.",
    "contact_person": "Kaisa, 040 765 4321",
}


def at(path: str) -> re.Pattern:
    """The page URL is `path` on the server, with no query string; the skip link's fragment
    may follow (a redirect after a form sent from a page opened by it keeps it)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(#main)?$")


def money(amount: Decimal, language: str = "fi") -> str:
    return format_money(amount, CURRENCY, language)


def cost_label(language: str, category: CostCategory, year: int) -> str:
    """The label of a budget cell ("Personnel costs 2027"), as the budget form writes it."""
    with translation.override(language):
        name = str(category.label).capitalize()
    return t(language, "%(category)s %(year)d", category=name, year=year)


def section_title(section: Section, language: str = "fi") -> str:
    with translation.override(language):
        return str(section.label)


def new_y_tunnus() -> str:
    """A Finnish business ID with a valid check digit, above the demo organisations' bodies."""
    while True:
        business_id = make_y_tunnus(secrets.randbelow(4_000_000) + 5_000_000)
        if business_id:
            return business_id


def task_link(page, title: str, language: str = "fi"):
    """The link of a part on the task list."""
    return page.get_by_role("region", name=t(language, "Parts of the application")).get_by_role(
        "link", name=title, exact=True
    )


def expect_task_status(page, title: str, status: str, language: str = "fi"):
    """The status of a part on the task list, as its link's accessible description says it
    (aria-describedby: a screen reader hears it with the link)."""
    expect(task_link(page, title, language)).to_have_accessible_description(t(language, status))


def open_task(page, section: Section):
    """From the task list to a section's page, and to the start of its main content."""
    follow_link(page, task_link(page, section_title(section)))
    expect(page.get_by_role("heading", level=1)).to_have_text(section_title(section))
    skip_to_main(page)


def cost_field(page, category: CostCategory, year: int):
    return page.get_by_label(cost_label("fi", category, year), exact=True)


def save_and_return(page):
    """Save a section with its second button, back to the task list that says it was saved."""
    press_button(page, page.get_by_role("button", name=t("fi", "Save and return to the task list")))
    expect(page.get_by_role("status")).to_contain_text(
        t("fi", "Saved: %(section)s.", section="\0").split("\0")[0]
    )


# --- 1. The whole way with the keyboard only ------------------------------------------------


def test_new_applicant_applies_with_the_keyboard_only(page, demo_server):
    """Sign up, register an organisation, start, fill in and submit an idea application with
    Tab, Shift+Tab, Enter, Space, the arrow keys and typing: no mouse. Each page is entered by
    its skip link, as a keyboard user would, and has no axe-core violations."""
    language = "fi"
    email, password = new_email("nappaimisto"), new_password()

    # Sign up: the account is signed in at once; acting for an organisation waits for the
    # e-mail address to be verified.
    page.goto(url(language, "portal:home"))
    follow_link(
        page, page.get_by_role("banner").get_by_role("link", name=t(language, "Create account"))
    )
    expect(page).to_have_url(at(url(language, "account_signup")))
    skip_to_main(page)
    type_into(page, page.get_by_label(label(language, "Email")), email)
    type_into(page, page.get_by_label(label(language, "Password")), password)
    type_into(page, page.get_by_label(label(language, "Password (again)")), password)
    type_into(page, page.get_by_label(label(language, "Full name")), "Kaisa Näppäilijä")
    press_button(page, page.get_by_role("button", name=t(language, "Sign Up"), exact=True))
    expect(page).to_have_url(at(url(language, "portal:dashboard")))
    expect(signed_in_as(page, language, email)).to_be_visible()
    open_verification_link(page, demo_server, email)
    skip_to_main(page)
    press_button(page, page.get_by_role("main").get_by_role("button", name=t(language, "Confirm")))
    expect(page).to_have_url(at(url(language, "portal:dashboard")))

    # Register a development organisation in Oulu, with a valid business ID.
    skip_to_main(page)
    follow_link(page, page.get_by_role("link", name=t(language, "Register an organisation")))
    skip_to_main(page)
    follow_link(page, page.get_by_role("link", name=re.compile("Y-tunnus")))
    organisation = f"Pohjoisen teollisuusverkosto {secrets.token_hex(3)}"
    skip_to_main(page)
    choose_option(
        page,
        page.get_by_label(label(language, "Type of organisation")),
        t(language, "development organisation"),
    )
    type_into(page, page.get_by_label(label(language, "Name in Finnish")), organisation)
    type_into(page, page.get_by_label(label(language, "Business ID (Y-tunnus)")), new_y_tunnus())
    choose_option(page, page.get_by_label(label(language, "Home municipality")), "Oulu")
    press_button(page, page.get_by_role("button", name=t(language, "Register the organisation")))
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation)

    # The open call, from the list of calls; "Apply" on its page.
    follow_link(
        page,
        page.get_by_role("navigation", name=t(language, "Main navigation")).get_by_role(
            "link", name=t(language, "Calls and programmes")
        ),
    )
    skip_to_main(page)
    follow_link(page, page.get_by_role("link", name=ROUND["call_name"][language]).first)
    expect(page).to_have_url(at(CALL_PATH))
    skip_to_main(page)
    follow_link(page, page.get_by_role("main").get_by_role("link", name=t(language, "Apply")))

    # Start: the only open phase and the user's only organisation are chosen already.
    assert_accessible(page, language)
    phase = page.get_by_role("radio", name=re.compile(re.escape(IDEA_PHASE["name"][language])))
    expect(phase).to_be_checked()
    expect(page.get_by_role("radio", name=organisation)).to_be_checked()
    skip_to_main(page)
    choose_radio(
        page,
        page.locator("input[name=instrument]"),
        page.get_by_role("radio", name=NETWORK["name"][language], exact=True),
    )
    press_button(page, page.get_by_role("button", name=t(language, "Start the application")))
    expect(page).to_have_url(re.compile(r"/fi/applications/\d+/(#main)?$"))
    task_list = re.search(r"/fi/applications/\d+/", page.url)[0]

    # Title, summary and theme.
    open_task(page, Section.BASICS)
    assert_accessible(page, language)
    title = f"Teollisuuden automaatioverkosto {secrets.token_hex(2)}"
    type_into(page, page.get_by_label(label(language, "Title of the project")), title)
    summary = page.get_by_label(label(language, "Summary", "application"))
    type_into(page, summary, "Yritykset ja koulut kokeilevat.")
    choose_option(page, page.get_by_label(label(language, "Theme")), THEME["name"][language])
    tick(page, page.get_by_label(t(language, "Mark this part complete")))
    save_and_return(page)
    expect(page).to_have_url(at(task_list))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)

    # Participating municipalities: the filter box narrows the list of the whole country to
    # the municipality sought; Shift+Tab goes back to it from the ticked checkbox.
    open_task(page, Section.MUNICIPALITIES)
    municipality_filter = page.get_by_label(
        t(language, "Show only municipalities whose name contains")
    )
    for number, (region, name) in enumerate(
        (region, name) for region, names in MUNICIPALITIES.items() for name in names
    ):
        tab_to(page, municipality_filter, backwards=number > 0)
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.type(name)
        checkbox = page.get_by_role("group", name=region, exact=True).get_by_role(
            "checkbox", name=name, exact=True
        )
        if number == 3:
            autosave_after(page, lambda checkbox=checkbox: tick(page, checkbox))
        else:
            tick(page, checkbox)
    expect(page.locator("#municipality-summary")).to_contain_text(", ".join(sorted(MUNICIPALITIES)))
    assert_accessible(page, language)
    tick(page, page.get_by_label(t(language, "Mark this part complete")))
    save_and_return(page)

    # Budget: the flat-rate indirect costs are added to the costs entered.
    open_task(page, Section.BUDGET)
    caption = t(language, "Costs by category and year (%(currency)s)", currency=CURRENCY)
    headers = page.get_by_role("table", name=caption).get_by_role("columnheader")
    first_year, second_year = (int(text) for text in headers.all_inner_texts()[1:3])
    type_into(page, cost_field(page, CostCategory.PERSONNEL, first_year), "40 000")
    type_into(page, cost_field(page, CostCategory.PERSONNEL, second_year), "40000,00")
    autosave_after(
        page, lambda: type_into(page, cost_field(page, CostCategory.TRAVEL, first_year), "5000")
    )
    totals = page.locator("#budget-totals")
    expect(totals).to_contain_text(money(INDIRECT))
    expect(totals).to_contain_text(money(TOTAL_COSTS))
    assert_accessible(page, language)
    tick(page, page.get_by_label(t(language, "Mark this part complete")))
    save_and_return(page)

    # Financing plan: 80 % aid and the rest own financing, to the cent.
    open_task(page, Section.FINANCING)
    aid, own = (f"{amount:.2f}".replace(".", ",") for amount in (AID, OWN))
    type_into(page, page.get_by_label(label(language, "Aid requested")), aid, replace=True)
    autosave_after(
        page,
        lambda: type_into(
            page, page.get_by_label(label(language, "Own financing")), own, replace=True
        ),
    )
    expect(page.locator("#financing-summary")).to_contain_text(
        t(language, "covers the costs exactly")
    )
    assert_accessible(page, language)
    tick(page, page.get_by_label(t(language, "Mark this part complete")))
    save_and_return(page)

    # Every question of the idea questionnaire (all of them required).
    for section in IDEA_QUESTIONNAIRE["sections"]:
        follow_link(page, task_link(page, section["title"][language]))
        assert_accessible(page, language)
        skip_to_main(page)
        for question in section["questions"]:
            assert question["required"], question["key"]
            required = t(
                language,
                "%(label)s (required before submitting)",
                label=question["label"][language],
            )
            type_into(page, page.get_by_label(required, exact=True), ANSWERS[question["key"]])
        tick(page, page.get_by_label(t(language, "Mark this part complete")))
        save_and_return(page)

    for section in (Section.BASICS, Section.MUNICIPALITIES, Section.BUDGET, Section.FINANCING):
        expect_task_status(page, section_title(section), "Completed")
    for section in IDEA_QUESTIONNAIRE["sections"]:
        expect_task_status(page, section["title"][language], "Completed")
    assert_accessible(page, language)

    # Check your answers: every condition of the call is in order.
    follow_link(page, page.get_by_role("link", name=t(language, "Check your answers and submit")))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Check your answers"))
    checks = page.get_by_role("region", name=t(language, "Conditions of the call")).get_by_role(
        "listitem"
    )
    expect(checks.first).to_be_visible()
    in_order = t(language, "In order:")
    for text in checks.all_inner_texts():
        assert text.strip().startswith(f"✓ {in_order}"), f"not in order: {text}"
    assert_accessible(page, language)

    # Submit; the receipt has the record number of the funder's register.
    skip_to_main(page)
    press_button(page, page.get_by_role("button", name=t(language, "Submit the application")))
    expect(page).to_have_url(at(f"{task_list}receipts/1/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Application received"))
    year = datetime.now(TIME_ZONE).year
    record_number = page.get_by_role("main").locator("strong", has_text=re.compile(r"^TEM/"))
    expect(record_number).to_have_text(re.compile(rf"^TEM/\d+/{year}$"))
    assert_accessible(page, language)

    # The receipt as a PDF file, downloaded with the keyboard too.
    pdf_link = page.get_by_role("link", name=t(language, "Download the receipt (PDF)"))
    skip_to_main(page)
    tab_to(page, pdf_link)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF")
    response = page.request.head(pdf_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"


# --- 2. The programme officer's workspace ---------------------------------------------------


def test_officer_finds_an_application_by_a_word_and_exports_the_list(page):
    """The officer signs in with the authenticator code, finds the demo's submitted idea by a
    Finnish word of its summary, opens it, and exports the list as it is filtered."""
    language = "fi"
    sign_in_with_code(page, PROGRAMME_OFFICER)
    page.goto(url(language, "workspace:index"))
    assert_accessible(page, language)
    calls = page.get_by_role("table", name=re.compile(re.escape(ROUND["call_name"][language])))
    calls.get_by_role("link", name=IDEA_PHASE["name"][language], exact=True).click()
    expect(page).to_have_url(re.compile(r"/fi/workspace/phases/\d+/$"))

    page.get_by_label(label(language, "Search", "workspace")).fill(DEMO_SEARCH_WORD)
    page.get_by_role("button", name=t(language, "Show applications")).click()
    found = page.get_by_role("table", name=t(language, "Submitted applications"))
    expect(found.get_by_role("row")).to_have_count(2)  # the header and the one application
    row = found.get_by_role("row").filter(has_text=DEMO_SUBMITTED_TITLE)
    record_number = f"TEM/1/{datetime.now(TIME_ZONE).year}"
    expect(row.get_by_role("rowheader")).to_have_text(record_number)
    assert_accessible(page, language)
    filtered_list = page.url

    row.get_by_role("link", name=record_number).click()
    expect(page).to_have_url(re.compile(r"/fi/workspace/applications/\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"{record_number}: {DEMO_SUBMITTED_TITLE}")
    assert_accessible(page, language)

    # The export keeps the search: one application in the file.
    page.goto(filtered_list)
    page.get_by_role("button", name=t(language, "Export %(format)s", format="CSV")).click()
    expect(page).to_have_url(re.compile(r"/fi/workspace/exports/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Export of applications (%(format)s)", format="CSV")
    )
    # The progress, then the link, in a polite live region (HTMX asks every 2 seconds).
    progress = page.locator("[aria-live=polite]").filter(has=page.locator("#export-progress"))
    download_link = progress.get_by_role(
        "link", name=t(language, "Download the %(format)s file", format="CSV")
    )
    expect(download_link).to_be_visible(timeout=20_000)
    expect(progress).to_contain_text(
        t(language, "The export of %(counter)s application is ready.", counter=1)
    )
    assert_accessible(page, language)
    with page.expect_download() as download:
        download_link.click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert record_number in content
    assert DEMO_SUBMITTED_TITLE in content
    assert len([line for line in content.splitlines() if line.startswith("TEM/")]) == 1


# --- 3. Autosave ----------------------------------------------------------------------------


def start_network_application(page) -> str:
    """Start a thematic network application in the open round (as the signed-in applicant,
    whose only organisation coordinates it); returns the path of its task list."""
    page.goto(CALL_PATH)
    page.get_by_role("main").get_by_role("link", name=t("fi", "Apply")).click()
    page.get_by_role("radio", name=NETWORK["name"]["fi"], exact=True).check()
    page.get_by_role("button", name=t("fi", "Start the application")).click()
    expect(page).to_have_url(re.compile(r"/fi/applications/\d+/$"))
    return re.search(r"/fi/applications/\d+/$", page.url)[0]


def test_autosave_saves_while_typing_and_refuses_a_stale_window(browser, demo_server, page):
    sign_in(page, APPLICANT)
    expect(signed_in_as(page, "fi", APPLICANT)).to_be_visible()
    task_list = start_network_application(page)
    task_link(page, section_title(Section.BASICS)).click()
    basics = page.url
    # The same coordinator's member opens the same part in a second window.
    other = new_page(browser, demo_server, storage_state=page.context.storage_state())
    try:
        other.goto(basics)
        expect(other.get_by_role("heading", level=1)).to_have_text(section_title(Section.BASICS))

        # Typing is saved without pressing Save: the live region says when.
        first_text = "Ensimmäisen ikkunan tiivistelmä."
        page.get_by_label(label("fi", "Summary", "application")).press_sequentially(first_text)
        before, after = map(re.escape, t("fi", "Saved at %(saved_at)s", saved_at="\0").split("\0"))
        expect(saved_status(page)).to_have_text(
            re.compile(rf"^\s*{before}\d{{1,2}}[.:]\d\d{after}")
        )

        # The second window's autosave, based on what it opened, is refused.
        second_text = "Toisen ikkunan tiivistelmä."
        second_summary = other.get_by_label(label("fi", "Summary", "application"))
        second_summary.press_sequentially(second_text)
        refused = t(
            "fi",
            "Not saved: someone else saved this part after you opened it. Their text and yours "
            "are shown at the top of the form.",
        )
        expect(saved_status(other)).to_have_text(refused)
        # Nothing typed is lost: the text stays in the form, and both texts are shown.
        expect(second_summary).to_have_value(second_text)
        conflict = other.get_by_role(
            "region", name=t("fi", "Someone else saved this part after you opened it")
        )
        expect(conflict).to_contain_text(first_text)
        expect(conflict).to_contain_text(second_text)
        assert_accessible(other, "fi")
    finally:
        other.context.close()

    # What the first window saved is what the application holds.
    page.goto(basics)
    expect(page.get_by_label(label("fi", "Summary", "application"))).to_have_value(first_text)
    page.goto(task_list)
    expect_task_status(page, section_title(Section.BASICS), "In progress")


# --- 4. Languages ---------------------------------------------------------------------------


def open_demo_draft(page, language: str):
    """The task list of the demo's draft, from "My applications" in `language`."""
    page.goto(url(language, "applications:list"))
    page.get_by_role("link", name=DEMO_DRAFT_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(DEMO_DRAFT_TITLE)


# The demo's draft has its basics and its consortium, nothing else yet.
DRAFT_STATUSES = {
    Section.BASICS: "In progress",
    Section.PARTNERS: "In progress",
    Section.MUNICIPALITIES: "Not started",
    Section.BUDGET: "Not started",
}


def test_task_list_in_swedish_and_english_is_accessible(page):
    sign_in(page, APPLICANT, language="sv")
    for language in ("sv", "en"):
        open_demo_draft(page, language)
        for section, status in DRAFT_STATUSES.items():
            expect_task_status(page, section_title(section, language), status, language)
        assert_accessible(page, language)


def test_swedish_task_list_has_swedish_state_labels(page):
    """The labels are Swedish, not the English of the source (the catalogue translates them)."""
    sign_in(page, APPLICANT, language="sv")
    open_demo_draft(page, "sv")
    for section, status in DRAFT_STATUSES.items():
        swedish = t("sv", status)
        assert swedish != status, f"“{status}” is not translated to Swedish"
        expect_task_status(page, section_title(section, "sv"), status, "sv")
    draft = t("sv", "draft")
    assert draft != "draft", "“draft” is not translated to Swedish"
    expect(definition(page.get_by_role("main"), t("sv", "State"))).to_have_text(
        draft[:1].upper() + draft[1:]
    )

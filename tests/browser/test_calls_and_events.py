"""The public pages of programmes, calls and events in a real browser, in Finnish, Swedish and
English (no axe-core violations at WCAG 2.1 A/AA, one h1, html[lang] of the URL), and the
journeys on them: registering for the demo's upcoming webinar, cancelling by the e-mail's
link, and the deadline as the call page writes it.

What the pages should show comes from the demo's own data file (data/programmes.json), the
data the demo server was filled with.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from regionet.demo.programmes import read_data

from .helpers import (
    LANGUAGES,
    assert_accessible,
    definition,
    label,
    messages_to,
    new_email,
    plain_text,
    t,
    url,
)

DATA = read_data()
FINNISH = next(p for p in DATA["programmes"] if p["funder"]["country"] == "FI")
SWEDISH = next(p for p in DATA["programmes"] if p["funder"]["country"] == "SE")
# The round whose idea phase is open today, counted from the day the demo was loaded.
ROUND = next(r for r in DATA["future_rounds"] if r["copy_of"] == FINNISH["slug"])
CALL_2021 = next(c for c in FINNISH["calls"] if c["slug"] == ROUND["call"])
IDEA_PHASE = next(p for p in CALL_2021["phases"] if p["kind"] == "idea")
# The round copies the 2021 call's webinar, title and all; only the new one is upcoming.
WEBINAR_TITLE = CALL_2021["events"][0]["title"]
TIME_ZONE = ZoneInfo(FINNISH["time_zone"])

# Page → (URL name, its arguments, the h1 in a language); the call pages have their own tests.
PAGES = {
    "programme list": (
        "calls:programme_list",
        {},
        lambda language: t(language, "Programmes and calls"),
    ),
    "2021 programme": (
        "calls:programme_detail",
        {"slug": FINNISH["slug"]},
        lambda language: FINNISH["name"][language],
    ),
    "Swedish follow-up programme": (
        "calls:programme_detail",
        {"slug": SWEDISH["slug"]},
        lambda language: SWEDISH["name"][language],
    ),
    "event list": ("events:event_list", {}, lambda language: t(language, "Events")),
}


def open_page(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url.endswith(path)


def at(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


@pytest.fixture(scope="module")
def webinar_pk(browser, demo_server):
    """The upcoming webinar of the future round, as the public event list links to it."""
    context = browser.new_context(base_url=demo_server["url"])
    try:
        page = context.new_page()
        page.goto(url("fi", "events:event_list"))
        link = page.get_by_role("link", name=WEBINAR_TITLE["fi"], exact=True)
        expect(link).to_have_count(1)
        return int(re.search(r"/events/(\d+)/$", link.get_attribute("href"))[1])
    finally:
        context.close()


def fill_registration(page, language, *, name, organisation, email, mail_language):
    page.get_by_label(label(language, "Your name")).fill(name)
    page.get_by_label(label(language, "Organisation")).fill(organisation)
    page.get_by_label(label(language, "E-mail address")).fill(email)
    names = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
    page.get_by_role("radio", name=names[mail_language], exact=True).check()
    page.get_by_role("button", name=t(language, "Register"), exact=True).click()


def cancellation_link(message) -> str:
    links = re.findall(r"https?://\S+/events/cancel/\S+/", plain_text(message))
    assert len(links) == 1, plain_text(message)
    return links[0]


# --- Accessibility --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_public_page(page, name, language):
    url_name, kwargs, heading = PAGES[name]
    open_page(page, url(language, url_name, **kwargs))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading(language))
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_call_page_with_zone_maps(page, language):
    open_page(
        page,
        url(language, "calls:call_detail", programme=FINNISH["slug"], call=CALL_2021["slug"]),
    )
    for zone in FINNISH["zones"]:
        # Each zone's section has its map: an image named by the zone and its regions.
        zone_section = page.get_by_role("region", name=zone["name"][language], exact=True)
        expect(zone_section.get_by_role("img")).to_have_count(1)
        expect(zone_section.get_by_role("img")).to_have_accessible_name(
            re.compile(re.escape(zone["name"][language]))
        )
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_open_call_page(page, language):
    """The future round: its idea phase is open now, with the time left."""
    open_page(
        page, url(language, "calls:call_detail", programme=ROUND["slug"], call=ROUND["call_slug"])
    )
    idea = page.get_by_role("region", name=IDEA_PHASE["name"][language], exact=True)
    status = definition(idea, t(language, "Status"))
    expect(status).to_contain_text(t(language, "Open now"))
    before, after = t(language, "%(left)s left", left="\0").split("\0")
    expect(status).to_contain_text(re.compile(rf"\({re.escape(before)}.+{re.escape(after)}\)"))
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_page(page, webinar_pk, language):
    open_page(page, url(language, "events:event_detail", pk=webinar_pk))
    expect(page.get_by_role("heading", level=1)).to_have_text(WEBINAR_TITLE[language])
    expect(page.get_by_role("form", name=t(language, "Registration"))).to_be_visible()
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_form_with_errors(page, webinar_pk, language):
    path = url(language, "events:event_detail", pk=webinar_pk)
    open_page(page, path)
    page.get_by_role("button", name=t(language, "Register"), exact=True).click()
    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name=t(language, "Please correct the following"))
    )
    expect(summary).to_be_visible()
    # Name, organisation and e-mail are missing; the e-mail language has its default.
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(page).to_have_url(at(path))
    assert_accessible(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_done_and_cancellation_pages(page, demo_server, webinar_pk, language):
    open_page(page, url(language, "events:event_detail", pk=webinar_pk))
    email = new_email(f"saavutettava-{language}")
    fill_registration(
        page,
        language,
        name="Saana Saavutettava",
        organisation="Testaajat ry",
        email=email,
        mail_language=language,
    )
    expect(page).to_have_url(at(url(language, "events:registration_done", pk=webinar_pk)))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "You are registered"))
    assert_accessible(page, language)

    messages = messages_to(demo_server["mail_dir"], email)
    assert len(messages) == 1
    link = cancellation_link(messages[0])
    assert link.startswith(f"{demo_server['url']}/{language}/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Cancel a registration"))
    expect(
        page.get_by_role("button", name=t(language, "Cancel the registration"), exact=True)
    ).to_be_visible()
    assert_accessible(page, language)


# --- Journeys -------------------------------------------------------------------------------


def begins_at(page, language) -> datetime:
    """The start of the event on its page, read from the Swedish or Finnish date and time
    ("13.12.2026 kl. 12.30 finsk tid") in the event's zone."""
    text = definition(page.get_by_role("main"), t(language, "Begins")).inner_text()
    day, month, year, hour, minute = map(
        int, re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4}) \S+ (\d{1,2})\.(\d{2})", text).groups()
    )
    return datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


def test_visitor_registers_in_swedish_and_cancels_by_the_link(page, demo_server, webinar_pk):
    language = "sv"
    page.goto(url(language, "events:event_list"))
    page.get_by_role("link", name=WEBINAR_TITLE[language], exact=True).click()
    event_path = url(language, "events:event_detail", pk=webinar_pk)
    expect(page).to_have_url(at(event_path))
    starts = begins_at(page, language)
    starts_text = definition(page.get_by_role("main"), t(language, "Begins")).inner_text()

    email = new_email("besokare")
    fill_registration(
        page,
        language,
        name="Stina Strand",
        organisation="Vasa stad",
        email=email,
        mail_language="sv",
    )
    expect(page).to_have_url(at(url(language, "events:registration_done", pk=webinar_pk)))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "You are registered"))
    expect(page.get_by_role("main")).to_contain_text(email)

    # The confirmation is in Swedish, with the event in the calendar file.
    messages = messages_to(demo_server["mail_dir"], email)
    assert len(messages) == 1
    message = messages[0]
    subject = t("sv", "Registration confirmed: %(event)s", event=WEBINAR_TITLE["sv"])
    assert subject != t("en", "Registration confirmed: %(event)s", event=WEBINAR_TITLE["sv"])
    assert subject in message["Subject"]
    body = plain_text(message)
    assert t("sv", "Hello %(name)s,", name="Stina Strand") in body
    assert t("sv", "Begins: %(starts)s", starts=starts_text) in body
    calendars = [
        part for part in message.iter_attachments() if part.get_filename().endswith(".ics")
    ]
    assert len(calendars) == 1
    assert calendars[0].get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(calendars[0].get_payload(decode=True))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == starts.astimezone(UTC)
    assert str(events[0]["summary"]) == WEBINAR_TITLE["sv"]

    # The link opens the page that asks; opening it (a GET) cancels nothing.
    link = cancellation_link(message)
    assert link.startswith(f"{demo_server['url']}/sv/events/cancel/")
    cancel = page.get_by_role("button", name=t(language, "Cancel the registration"), exact=True)
    for _ in range(2):
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t(language, "Cancel a registration")
        )
        expect(page.get_by_role("main")).to_contain_text(email)
        expect(cancel).to_be_visible()

    cancel.click()
    expect(page).to_have_url(at(event_path))
    expect(page.get_by_role("status")).to_have_text(
        t(
            language,
            "Your registration for %(event)s has been cancelled.",
            event=WEBINAR_TITLE["sv"],
        )
    )
    # The link now says so, and offers nothing to press.
    page.goto(link)
    expect(page.get_by_role("alert")).to_have_text(
        t(language, "This registration has already been cancelled.")
    )
    expect(cancel).to_have_count(0)


@pytest.mark.parametrize(
    ("language", "deadline"),
    [
        ("en", "15 April 2021 at 16:15 Finnish time"),
        ("fi", "15.4.2021 klo 16.15 Suomen aikaa"),
    ],
)
def test_call_page_shows_the_idea_phase_deadline(page, language, deadline):
    page.goto(url(language, "calls:programme_list"))
    page.get_by_role("link", name=CALL_2021["name"][language], exact=True).click()
    expect(page).to_have_url(
        at(url(language, "calls:call_detail", programme=FINNISH["slug"], call=CALL_2021["slug"]))
    )
    idea = page.get_by_role("region", name=IDEA_PHASE["name"][language], exact=True)
    expect(definition(idea, t(language, "Deadline"))).to_have_text(deadline)

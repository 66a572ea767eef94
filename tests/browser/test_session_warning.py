"""The warning before an idle sign-out, in the browser: it opens a few minutes before the
limit with "Stay signed in", which keeps the session; when the time is up it says so and
leaves the page as it is. The page's clock is Playwright's, moved forward instead of waited.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations
from .helpers import sign_in, t, url

APPLICANT = "hakija@oulu.example"
SECOND = 1000  # milliseconds, as the page clock counts
MINUTE = 60 * SECOND


@pytest.fixture
def clocked_page(browser, demo_server):
    context = browser.new_context(base_url=demo_server["url"], locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.clock.install()
    yield page
    context.close()


def test_the_warning_keeps_the_session_or_says_it_ended(clocked_page):
    page = clocked_page
    sign_in(page, APPLICANT)
    expect(page).to_have_url(re.compile(re.escape(url("fi", "portal:dashboard")) + "$"))
    dialog = page.locator("#session-warning")

    def is_open() -> bool:
        return dialog.evaluate("dialog => dialog.open")

    assert is_open() is False
    # An applicant's idle limit is 60 minutes; the warning comes 5 minutes before.
    page.clock.run_for(54 * MINUTE)
    assert is_open() is False
    page.clock.run_for(90 * SECOND)
    assert is_open() is True
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text(t("fi", "You will soon be signed out"))
    stay = dialog.get_by_role("button", name=t("fi", "Stay signed in"))
    expect(stay).to_be_focused()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        assert axe_violations(page) == []

    with page.expect_response(lambda response: "/session/keep-alive/" in response.url) as kept:
        stay.click()
    assert kept.value.status == 200
    assert is_open() is False

    # An hour without anything: the dialog says the session ended, the page stays.
    page.clock.run_for(61 * MINUTE)
    assert is_open() is True
    expect(dialog.get_by_role("heading")).to_have_text(t("fi", "You have been signed out"))
    sign_in_again = dialog.get_by_role("link", name=t("fi", "Sign in again"))
    expect(sign_in_again).to_have_attribute(
        "href", url("fi", "account_login") + "?next=" + url("fi", "portal:dashboard")
    )
    assert axe_violations(page) == []

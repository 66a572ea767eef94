"""Signing in with a code sent by e-mail, in the browser: the way in for an owner whose
password someone has locked with wrong guesses (issue 11, item 7). Both pages pass axe-core."""

import re

from playwright.sync_api import expect

from .conftest import axe_violations
from .helpers import messages_to, plain_text, signed_in_as, url

APPLICANT = "hakija@oulu.example"


def test_an_applicant_signs_in_with_an_emailed_code(browser, demo_server):
    context = browser.new_context(base_url=demo_server["url"], locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(url("fi", "account_login"))
        page.get_by_role("link", name=re.compile("kirjautumiskoodi", re.IGNORECASE)).click()
        expect(page).to_have_url(re.compile(re.escape(url("fi", "account_request_login_code"))))
        assert axe_violations(page) == []
        already = len(messages_to(demo_server["mail_dir"], APPLICANT, timeout=0))
        page.get_by_role("textbox").fill(APPLICANT)
        page.get_by_role("textbox").press("Enter")
        expect(page).to_have_url(re.compile(re.escape(url("fi", "account_confirm_login_code"))))
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 375, "height": 800})
        assert axe_violations(page) == []

        for _ in range(20):
            messages = messages_to(demo_server["mail_dir"], APPLICANT)
            if len(messages) > already:
                break
            page.wait_for_timeout(500)
        text = plain_text(messages[-1])
        code = next(
            line.strip()
            for line in text.splitlines()
            if re.fullmatch(r"[A-Z0-9-]{6,9}", line.strip())
        )
        page.get_by_role("textbox").fill(code)
        page.get_by_role("textbox").press("Enter")
        expect(signed_in_as(page, "fi", APPLICANT)).to_be_visible()
    finally:
        context.close()

"""What the browser tests share: texts in each language, signing in and up through the pages,
valid Finnish business IDs and the e-mail the demo server wrote to files."""

import email
import json
import re
import secrets
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from regionet.demo.services import DEMO_PASSWORD, current_totp_code

from .conftest import axe_violations

LANGUAGES = ("fi", "sv", "en")
Y_TUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
# What Django's file e-mail backend writes between two messages of one file.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def t(language: str, message: str, context: str | None = None, **params) -> str:
    """`message` (in `context`, if given) as the pages show it in `language`."""
    with translation.override(language):
        if context is None:
            text = translation.gettext(message)
        else:
            text = translation.pgettext(context, message)
    return text % params if params else text


def url(language: str, name: str, **kwargs) -> str:
    """The path of a named page in `language`, with its /fi/, /sv/ or /en/ prefix."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def label(language: str, message: str, context: str | None = None) -> re.Pattern:
    """The accessible name of a form field: its label, with or without the "(required)" mark.

    Anchored, so that "Password" does not also find "Password (again)".
    """
    required = re.escape(t(language, "required"))
    text = re.escape(t(language, message, context))
    return re.compile(rf"^\s*{text}(\s*\({required}\))?\s*$")


def assert_accessible(page, language: str):
    """No axe-core violations at WCAG 2.1 A/AA, one h1, and the page's language declared."""
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {page.url}:\n" + json.dumps(
        violations, indent=2, ensure_ascii=False
    )


def new_email(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}@example.org"


def new_password() -> str:
    return f"Tunturi-{secrets.token_hex(5)}"


def new_page(browser, demo_server, storage_state=None):
    """A page in a fresh browser context (its own cookies): the caller closes page.context."""
    context = browser.new_context(
        base_url=demo_server["url"], locale="fi-FI", storage_state=storage_state
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sign_in(page, email_address: str, password: str = DEMO_PASSWORD, language: str = "fi"):
    """Fill in the sign-in form and send it; the caller checks where it leads."""
    page.goto(url(language, "account_login"))
    page.get_by_label(label(language, "Email")).fill(email_address)
    page.get_by_label(label(language, "Password")).fill(password)
    page.get_by_role("button", name=t(language, "Sign In"), exact=True).click()


def sign_up(page, email_address: str, password: str, full_name: str, language: str = "fi"):
    """Fill in the sign-up form (on the page already open) and send it."""
    page.get_by_label(label(language, "Email")).fill(email_address)
    page.get_by_label(label(language, "Password")).fill(password)
    page.get_by_label(label(language, "Password (again)")).fill(password)
    page.get_by_label(label(language, "Full name")).fill(full_name)
    page.get_by_role("button", name=t(language, "Sign Up"), exact=True).click()


def signed_in_as(page, language: str, email_address: str):
    """The header's "Signed in as …" text."""
    return page.get_by_text(t(language, "Signed in as %(email)s", email=email_address))


def y_tunnus(valid: bool = True) -> str:
    """A random Finnish business ID, computed by the published rule (not by Regionet's code).

    Weights 7 9 10 5 8 4 2 over the seven digits, modulo 11: remainder 0 gives check digit 0,
    remainder 1 is never issued, otherwise the check digit is 11 minus the remainder. With
    valid=False the same body gets a wrong check digit.
    """
    while True:
        # Above the demo organisations' bodies (2 900 000 onwards, a few hundred thousand).
        body = f"{secrets.randbelow(5_000_000) + 5_000_000:07d}"
        remainder = sum(int(d) * w for d, w in zip(body, Y_TUNNUS_WEIGHTS, strict=True)) % 11
        if remainder == 1:
            continue
        check = 0 if remainder == 0 else 11 - remainder
        return f"{body}-{check if valid else (check + 1) % 10}"


def messages_to(mail_dir: Path, recipient: str, timeout: float = 10.0) -> list[EmailMessage]:
    """The e-mail messages to `recipient` in the file backend's folder (waits for the first)."""
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for path in sorted(mail_dir.iterdir()):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.lstrip(), policy=policy.default)
                if recipient.lower() in str(message.get("To", "")).lower():
                    found.append(message)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def plain_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def open_verification_link(page, demo_server, email_address: str):
    """Open the e-mail verification link sent at sign-up (allauth's page with its Confirm
    button); the link must point where the demo runs."""
    (message,) = messages_to(demo_server["mail_dir"], email_address)
    (link,) = re.findall(r"https?://\S+/accounts/confirm-email/\S+/", plain_text(message))
    assert link.startswith(demo_server["url"] + "/"), link
    page.goto(link)


# The 30-second TOTP step whose code each staff account last sent: the server refuses a code
# used once already (allauth's replay protection), so a second sign-in waits for a new one.
_TOTP_STEP_USED: dict[str, int] = {}


def _unused_totp_code(email_address: str) -> str:
    """The current code of a demo staff account, not sent before by these tests, and early
    enough in its 30-second step to reach the server within it."""
    while True:
        now = time.time()
        step, left = int(now // 30), 30 - now % 30
        if left >= 5 and _TOTP_STEP_USED.get(email_address) != step:
            _TOTP_STEP_USED[email_address] = step
            return current_totp_code(email_address, at=now)
        time.sleep(left + 0.2)


def sign_in_with_code(page, email_address: str, language: str = "fi"):
    """Sign a demo staff account in: the password, then the authenticator (TOTP) code.

    A code another test file sent in the same 30 seconds is refused as used: then once more
    with the next step's code.
    """
    sign_in(page, email_address, language=language)
    expect(page).to_have_url(re.compile(re.escape(url(language, "mfa_authenticate"))))
    signed_in, refused = signed_in_as(page, language, email_address), page.get_by_role("alert")
    for _ in range(2):
        code = page.get_by_label(label(language, "Code"))
        code.fill(_unused_totp_code(email_address))
        with page.expect_navigation():
            code.press("Enter")
        expect(signed_in.or_(refused)).to_be_visible()
        if signed_in.is_visible():
            return
    raise AssertionError(f"{email_address} was not signed in with the authenticator code")


def definition(scope, term: str):
    """The <dd> that follows the <dt> `term` in a description list inside `scope`."""
    return (
        scope.get_by_role("term")
        .filter(has_text=re.compile(rf"^\s*{re.escape(term)}\s*$"))
        .locator("xpath=following-sibling::dd[1]")
    )

"""Inviting a partner organisation that is not in Regionet, the whole way through the pages: the
coordinator invites it by e-mail, its contact person gets the mail, signs up with that
address, registers the organisation, confirms its participation with the letter of
commitment, and the coordinator is told. Every page on the way has no axe-core violations at
375 and 1280 px (screenshots in the temporary folder)."""

import re
import secrets
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import (
    assert_accessible,
    label,
    messages_to,
    new_email,
    new_password,
    plain_text,
    sign_in,
    sign_up,
    signed_in_as,
    t,
    y_tunnus,
)
from .test_applications import APPLICANT, start_network_application

SCREENSHOTS = Path(tempfile.gettempdir())


def context(browser, demo_server):
    return browser.new_context(base_url=demo_server["url"], locale="fi-FI")


@pytest.fixture
def page(browser, demo_server):
    ctx = context(browser, demo_server)
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    yield page
    ctx.close()


def check_page(page, name: str):
    """axe-core at a phone's and a laptop's width, and a screenshot of each to look at."""
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, "fi")
        page.screenshot(path=SCREENSHOTS / f"partner-invitation-{name}-{width}.png", full_page=True)


def test_a_partner_not_in_regionet_is_invited_registers_and_confirms(browser, demo_server, page):
    # The coordinator starts an application and names it.
    sign_in(page, APPLICANT)
    expect(signed_in_as(page, "fi", APPLICANT)).to_be_visible()
    task_list = start_network_application(page)
    title = f"Pohjoisen vetyverkosto {secrets.token_hex(2)}"
    page.goto(f"{task_list}basics/")
    page.get_by_label(label("fi", "Title of the project")).fill(title)
    page.get_by_role("button", name=t("fi", "Save and return to the task list")).click()

    # From the consortium page to the invitation by e-mail.
    page.goto(f"{task_list}consortium/")
    page.get_by_role("link", name=t("fi", "Invite a partner organisation by e-mail")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("fi", "Invite a partner organisation by e-mail")
    )
    check_page(page, "form")
    partner = f"Perämeren kehitys ry {secrets.token_hex(2)}"
    contact = new_email("kumppani")
    page.get_by_label(label("fi", "Name of the organisation")).fill(partner)
    page.get_by_label(label("fi", "E-mail address of its contact person")).fill(contact)
    page.get_by_label(label("fi", "Tasks in the project")).fill("Vetytalouden työpajat")
    page.get_by_role("button", name=t("fi", "Send the invitation")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("fi", "An invitation to %(organisation)s has been sent to %(email)s.")
        % {"organisation": partner, "email": contact}
    )
    waiting = page.get_by_role("list", name=t("fi", "Invitations by e-mail"))
    expect(waiting.get_by_role("heading", name=partner)).to_be_visible()
    check_page(page, "consortium")

    # The mail reaches the contact person, with the link where the demo runs.
    (message,) = messages_to(demo_server["mail_dir"], contact)
    body = plain_text(message)
    assert partner in body
    assert title in message["Subject"]
    (link,) = re.findall(r"https?://\S+/partner-invitations/[0-9a-f-]+/", body)
    # Notices link to REGIONET_SITE_URL, which the test server is not given: its path here.
    link = demo_server["url"] + re.sub(r"^https?://[^/]+", "", link)
    assert link.startswith(demo_server["url"] + "/fi/applications/partner-invitations/")

    invited_context = context(browser, demo_server)
    invited = invited_context.new_page()
    invited.set_default_timeout(10_000)
    try:
        invited.goto(link)
        main = invited.get_by_role("main")
        expect(main).to_contain_text(partner)
        expect(main).to_contain_text(title)
        check_page(invited, "landing")
        # Signing up with the invited address: the link proved it, so it is verified at once.
        main.get_by_role("link", name=t("fi", "Create an account")).click()
        sign_up(invited, contact, new_password(), "Pirjo Perämeri")
        expect(invited).to_have_url(link)
        check_page(invited, "answer")
        invited.get_by_role("link", name=re.compile("Y-tunnus")).click()

        # Registering the organisation: its name comes from the invitation.
        expect(invited.get_by_label(label("fi", "Name in Finnish"))).to_have_value(partner)
        check_page(invited, "register")
        invited.get_by_label(label("fi", "Type of organisation")).select_option(
            label=t("fi", "organisation (NGO)")
        )
        invited.get_by_label(label("fi", "Business ID (Y-tunnus)")).fill(y_tunnus())
        invited.get_by_label(label("fi", "Home municipality")).select_option(label="Oulu")
        invited.get_by_role(
            "button", name=t("fi", "Register the organisation and take part")
        ).click()

        # The letter of commitment, as every partner confirms.
        expect(invited.get_by_role("heading", level=1)).to_contain_text(partner)
        expect(invited.get_by_role("status")).to_contain_text(partner)
        check_page(invited, "confirm")
        invited.get_by_role("button", name=t("fi", "Confirm participation")).click()
        expect(invited.get_by_role("heading", level=1)).to_contain_text(title)
    finally:
        invited_context.close()

    # The coordinator is told, by e-mail and on the consortium page.
    subject = t("fi", "%(partner)s confirmed its participation: %(title)s") % {
        "partner": partner,
        "title": title,
    }
    told = [
        m for m in messages_to(demo_server["mail_dir"], APPLICANT) if m["Subject"].endswith(subject)
    ]
    assert len(told) == 1
    assert f"{task_list}consortium/" in plain_text(told[0])
    page.goto(f"{task_list}consortium/")
    partners = page.get_by_role("list", name=t("fi", "Partners"))
    expect(partners.get_by_role("heading", name=partner)).to_be_visible()
    expect(partners).to_contain_text("Pirjo Perämeri")
    expect(page.get_by_role("list", name=t("fi", "Invitations by e-mail"))).to_have_count(0)

"""Whole journeys through the pages only, as a new applicant, an organisation's administrator,
an invited member and a funder's staff member take them."""

import re
import time

from playwright.sync_api import expect

from regionet.demo.services import current_totp_code

from .helpers import (
    assert_accessible,
    label,
    messages_to,
    new_email,
    new_page,
    new_password,
    open_verification_link,
    plain_text,
    sign_in,
    sign_up,
    signed_in_as,
    t,
    url,
    y_tunnus,
)

APPLICANT = "hakija@oulu.example"
APPLICANT_ORGANISATION = "Oulun kaupunki"
PROGRAMME_OFFICER = "valmistelija@tem.example"


def at(path: str) -> re.Pattern:
    """The page URL is exactly `path` on the server (no query string)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            return {tag: e.tagName, name: e.name || null, type: e.type || null,
                    checked: e.checked ?? null, value: e.value ?? null,
                    inSignupForm: !!(e.form && e.form.querySelector('[name=password2]'))};
        }"""
    )


def sign_up_with_keyboard(page, email, password, full_name):
    """Tab from the top of the sign-up page through its form, type into each field, and send
    the form with Enter on its button: no mouse."""
    values = {"email": email, "password1": password, "password2": password, "full_name": full_name}
    labels = {
        "email": "Email",
        "password1": "Password",
        "password2": "Password (again)",
        "full_name": "Full name",
    }
    typed = []
    for _ in range(40):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["name"] in values and element["name"] not in typed:
            # The field that has the keyboard focus is the one its label names.
            expect(page.get_by_label(label("fi", labels[element["name"]]))).to_be_focused()
            page.keyboard.type(values[element["name"]])
            typed.append(element["name"])
        elif element["name"] == "preferred_language":
            # A radio group is one tab stop: the checked choice, the language of the page.
            assert (element["checked"], element["value"]) == (True, "fi")
        elif element["tag"] == "BUTTON" and element["type"] == "submit" and element["inSignupForm"]:
            assert sorted(typed) == sorted(values), f"Tab reached the button after {typed}"
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"Tab never reached the sign-up button; fields reached: {typed}")


def test_new_applicant_signs_up_and_registers_an_organisation(page, demo_server):
    email = new_email("uusi-hakija")
    page.goto(url("fi", "portal:home"))
    page.get_by_role("banner").get_by_role("link", name=t("fi", "Create account")).click()
    expect(page).to_have_url(at(url("fi", "account_signup")))
    sign_up_with_keyboard(page, email, new_password(), "Ulla Uusihakija")

    expect(page).to_have_url(at(url("fi", "portal:dashboard")))
    expect(signed_in_as(page, "fi", email)).to_be_visible()

    # Acting for an organisation waits for the address to be verified: the page says so.
    page.get_by_role("link", name=t("fi", "Register an organisation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("fi", "Verify your e-mail address"))
    expect(page.get_by_role("main")).to_contain_text(email)
    assert_accessible(page, "fi")
    open_verification_link(page, demo_server, email)
    page.get_by_role("main").get_by_role("button", name=t("fi", "Confirm")).click()
    expect(page).to_have_url(at(url("fi", "portal:dashboard")))

    page.get_by_role("link", name=t("fi", "Register an organisation")).click()
    page.get_by_role("link", name=re.compile("Y-tunnus")).click()
    expect(page).to_have_url(at(url("fi", "accounts:organisation_register", country="fi")))

    name = f"Pohjoisen kehitys {time.time_ns() % 10**6}"
    valid_id = y_tunnus()
    wrong_id = f"{valid_id[:-1]}{(int(valid_id[-1]) + 1) % 10}"
    organisation_type = page.get_by_label(label("fi", "Type of organisation"))
    name_fi = page.get_by_label(label("fi", "Name in Finnish"))
    business_id = page.get_by_label(label("fi", "Business ID (Y-tunnus)"))
    municipality = page.get_by_label(label("fi", "Home municipality"))
    organisation_type.select_option(label=t("fi", "development organisation"))
    name_fi.fill(name)
    business_id.fill(wrong_id)
    municipality.select_option(label="Oulu")
    page.get_by_role("button", name=t("fi", "Register the organisation")).click()

    # The error summary names the problem in Finnish, and links to the field.
    english = (
        "The Finnish business ID (Y-tunnus) %(value)s is not valid: its check digit "
        "(the last digit) does not match the other digits. Check the number."
    )
    message = t("fi", english, value=wrong_id)
    assert message != english % {"value": wrong_id}, "the message is not translated to Finnish"
    summary = page.get_by_role("alert").filter(
        has=page.get_by_role("heading", name=t("fi", "Please correct the following"))
    )
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name=message)
    expect(link).to_have_count(1)
    expect(page.locator(link.get_attribute("href"))).to_have_attribute("name", "business_id")
    expect(business_id).to_have_accessible_description(re.compile(re.escape(message)))
    # Nothing typed is lost.
    expect(organisation_type).to_have_value("development_organisation")
    expect(name_fi).to_have_value(name)
    expect(business_id).to_have_value(wrong_id)
    expect(municipality.locator("option:checked")).to_have_text("Oulu")

    business_id.fill(valid_id)
    business_id.press("Enter")

    expect(page).to_have_url(re.compile(r"/fi/organisations/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("status")).to_contain_text(name)
    expect(page.get_by_role("definition").filter(has_text=valid_id)).to_have_count(1)
    members = page.get_by_role("table", name=t("fi", "Members"))
    expect(members.get_by_role("row")).to_have_count(2)  # the header and the new administrator
    row = members.get_by_role("row").filter(has_text=email)
    expect(row).to_contain_text(t("fi", "administrator").capitalize())
    expect(row).to_contain_text("Ulla Uusihakija")


def test_administrator_invites_a_new_member(browser, demo_server, page):
    sign_in(page, APPLICANT)
    expect(page).to_have_url(at(url("fi", "portal:dashboard")))
    page.get_by_role("navigation", name=t("fi", "Main navigation")).get_by_role(
        "link", name=t("fi", "Organisations")
    ).click()
    page.get_by_role("link", name=APPLICANT_ORGANISATION, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(APPLICANT_ORGANISATION)
    organisation_path = re.search(r"/fi/organisations/\d+/", page.url)[0]

    invitee = new_email("kutsuttu")
    page.get_by_label(label("fi", "E-mail address of the person to invite")).fill(invitee)
    page.get_by_role("radio", name=t("fi", "member"), exact=True).check()
    page.get_by_role("button", name=t("fi", "Send the invitation")).click()
    expect(page.get_by_role("status")).to_contain_text(invitee)
    pending = page.get_by_role("table", name=t("fi", "Pending invitations"))
    expect(pending.get_by_role("row").filter(has_text=invitee)).to_have_count(1)

    # The invitation arrives in Finnish, the language of a Finnish organisation.
    messages = messages_to(demo_server["mail_dir"], invitee)
    assert len(messages) == 1
    assert APPLICANT_ORGANISATION in messages[0]["Subject"]
    body = plain_text(messages[0])
    assert t("fi", "Accept the invitation by opening this link:") in body
    links = re.findall(r"https?://\S+/organisations/invitations/\S+/", body)
    assert len(links) == 1
    assert links[0].startswith(demo_server["url"] + "/fi/")

    invited = new_page(browser, demo_server)
    try:
        invited.goto(links[0])
        # The page says who invites whom.
        main = invited.get_by_role("main")
        expect(main).to_contain_text(APPLICANT_ORGANISATION)
        expect(main).to_contain_text(invitee)
        assert_accessible(invited, "fi")
        main.get_by_role("link", name=t("fi", "Create an account")).click()
        sign_up(invited, invitee, new_password(), "Kalle Kutsuttu")
        # Back on the invitation, now signed in.
        expect(invited).to_have_url(links[0])
        assert_accessible(invited, "fi")
        invited.get_by_role("main").get_by_role(
            "button", name=re.compile(re.escape(APPLICANT_ORGANISATION))
        ).click()
        expect(invited).to_have_url(at(organisation_path))
        expect(invited.get_by_role("status")).to_contain_text(APPLICANT_ORGANISATION)
        row = (
            invited.get_by_role("table", name=t("fi", "Members"))
            .get_by_role("row")
            .filter(has_text=invitee)
        )
        expect(row).to_contain_text("Kalle Kutsuttu")
        expect(row).to_contain_text(t("fi", "member").capitalize())
    finally:
        invited.context.close()

    # The administrator sees the new member, and the invitation is no longer pending.
    page.reload()
    members = page.get_by_role("table", name=t("fi", "Members"))
    expect(members.get_by_role("row").filter(has_text=invitee)).to_have_count(1)
    expect(
        page.get_by_role("table", name=t("fi", "Pending invitations"))
        .get_by_role("row")
        .filter(has_text=invitee)
    ).to_have_count(0)
    # The administrator could remove the new member again: the page asks first.
    members.get_by_role("link", name=re.compile(re.escape(invitee))).click()
    expect(page.get_by_role("main")).to_contain_text(invitee)
    assert_accessible(page, "fi")


def fresh_totp_code(email: str) -> str:
    """The current code, taken early enough in its 30-second step to arrive within it."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.2)
    return current_totp_code(email)


def test_staff_member_needs_the_authenticator_code(page):
    sign_in(page, PROGRAMME_OFFICER)
    expect(page).to_have_url(at(url("fi", "mfa_authenticate")))
    expect(signed_in_as(page, "fi", PROGRAMME_OFFICER)).to_have_count(0)
    # The password alone opens nothing.
    response = page.request.get(url("fi", "portal:dashboard"), max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith(url("fi", "account_login"))

    code = page.get_by_label(label("fi", "Code"))
    right = fresh_totp_code(PROGRAMME_OFFICER)
    code.fill(f"{(int(right) + 500_000) % 1_000_000:06d}")
    code.press("Enter")
    expect(page).to_have_url(at(url("fi", "mfa_authenticate")))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(signed_in_as(page, "fi", PROGRAMME_OFFICER)).to_have_count(0)

    code = page.get_by_label(label("fi", "Code"))
    code.fill(fresh_totp_code(PROGRAMME_OFFICER))
    code.press("Enter")
    expect(page).to_have_url(at(url("fi", "portal:dashboard")))
    expect(signed_in_as(page, "fi", PROGRAMME_OFFICER)).to_be_visible()
    expect(page.get_by_role("heading", name=t("fi", "My roles with funders"))).to_be_visible()


def test_new_user_without_a_staff_role_signs_in_without_a_code(page):
    email, password = new_email("ei-henkilokuntaa"), new_password()
    page.goto(url("fi", "account_signup"))
    sign_up(page, email, password, "Noora Numeroton")
    expect(page).to_have_url(at(url("fi", "portal:dashboard")))
    page.get_by_role("banner").get_by_role("button", name=t("fi", "Sign out")).click()
    expect(page.get_by_role("banner").get_by_role("link", name=t("fi", "Sign in"))).to_be_visible()

    sign_in(page, email, password)
    expect(page).to_have_url(at(url("fi", "portal:dashboard")))
    expect(signed_in_as(page, "fi", email)).to_be_visible()

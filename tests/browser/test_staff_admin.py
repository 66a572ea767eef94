"""The staff interface (Django's admin under /<language>/admin/) as a funder's programme
officer uses it: a programme built and published through the pages alone, and the pages
checked with axe-core at WCAG 2.1 A/AA (one h1, html[lang] "fi").

The journey comes first: the pages after it reuse its signed-in session, as a second sign-in
within the same 30 seconds would wait for a new authenticator code.
"""

import json
import re
import secrets

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from regionet.demo.programmes import read_data

from .conftest import axe_violations
from .helpers import new_page, sign_in_with_code, t, url

PROGRAMME_OFFICER = "valmistelija@tem.example"  # TEM's programme officer: password + TOTP
FUNDER = {"fi": "Työ- ja elinkeinoministeriö", "sv": "Arbets- och näringsministeriet"}
FINNISH = next(p for p in read_data()["programmes"] if p["funder"]["country"] == "FI")
LANGUAGE = "fi"


def admin_url(name: str, *args) -> str:
    with translation.override(LANGUAGE):
        return reverse(f"admin:{name}", args=args or None)


def at(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def field(page, verbose_name: str, language_code: str | None = None):
    """An admin form field by its label: "Nimi [sv]:" for the Swedish name, "Kokonaisbudjetti:"
    for the total budget. Anchored, so that "nimi [fi]" does not also find "Määrärahan nimi
    [fi]"; visible, so not the hidden template row of an inline ("Nimi [fi]:" of an earmark)."""
    text = capfirst(t(LANGUAGE, verbose_name))
    if language_code:
        text += f" [{language_code}]"
    return page.get_by_label(re.compile(rf"^\s*{re.escape(text)}:?\s*$")).filter(visible=True)


def admin_messages(page, level: str):
    """The admin's messages of one level ("success", "error"): its list has no role."""
    return page.locator(f"ul.messagelist > li.{level}")


def assert_language_and_heading(page):
    assert page.locator("html").get_attribute("lang") == LANGUAGE
    expect(page.locator("h1")).to_have_count(1)


def violations_text(page, violations) -> str:
    return f"axe-core violations on {page.url}:\n" + json.dumps(
        violations, indent=2, ensure_ascii=False
    )


# The officer's signed-in session (cookies), kept from the first sign-in of this module: a
# second sign-in within the same 30 seconds would have to wait for a new authenticator code.
_SESSION = {}


@pytest.fixture(scope="module")
def officer(browser, demo_server):
    """The programme officer's session: the journey's when it ran, else a sign-in of its own."""
    if "state" not in _SESSION:
        page = new_page(browser, demo_server)
        try:
            sign_in_with_code(page, PROGRAMME_OFFICER)
            _SESSION["state"] = page.context.storage_state()
        finally:
            page.context.close()
    return _SESSION["state"]


@pytest.fixture
def officer_page(browser, demo_server, officer):
    page = new_page(browser, demo_server, storage_state=officer)
    yield page
    page.context.close()


def open_admin_page(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    assert page.url.endswith(path), f"{path} led to {page.url}"


# --- Journey --------------------------------------------------------------------------------


def test_programme_officer_builds_and_publishes_a_programme(page):
    suffix = secrets.token_hex(3)
    names = {
        "fi": f"Kokeiluohjelma {suffix}",
        "sv": f"Försöksprogram {suffix}",
        "en": f"Pilot programme {suffix}",
    }
    descriptions = {
        "fi": "Pieni kokeiluohjelma vuodelle 2027.",
        "sv": "Ett litet försöksprogram för år 2027.",
        "en": "A small pilot programme for 2027.",
    }
    slug = f"kokeiluohjelma-{suffix}"

    sign_in_with_code(page, PROGRAMME_OFFICER, LANGUAGE)
    _SESSION["state"] = page.context.storage_state()
    page.goto(admin_url("index"))
    page.get_by_role("row").filter(
        has=page.get_by_role("link", name=capfirst(t(LANGUAGE, "programmes")), exact=True)
    ).get_by_role("link", name=t(LANGUAGE, "Add")).click()
    expect(page).to_have_url(at(admin_url("programmes_programme_add")))

    # Everything but the Swedish name, which the form does not ask for.
    field(page, "funder").select_option(label=FUNDER["fi"])
    field(page, "short name in addresses").fill(slug)
    field(page, "name", "fi").fill(names["fi"])
    field(page, "name", "en").fill(names["en"])
    for code, text in descriptions.items():
        field(page, "description", code).fill(text)
    field(page, "total budget").fill("100000")
    field(page, "maximum aid share (%)").fill("80")
    field(page, "minimum own financing (%)").fill("20")
    field(page, "first year").fill("2027")
    field(page, "last year").fill("2027")
    field(page, "time zone").select_option(label=t(LANGUAGE, "Finnish time (Europe/Helsinki)"))
    budgets = page.get_by_role("group", name=capfirst(t(LANGUAGE, "yearly budgets")), exact=True)
    budgets.get_by_role(
        "button",
        name=t(
            LANGUAGE,
            "Add another %(verbose_name)s",
            verbose_name=capfirst(t(LANGUAGE, "yearly budget")),
        ),
    ).click()
    # Django's tabular inline gives its inputs no label: the columns are year and amount.
    row = budgets.get_by_role("row").filter(has=page.get_by_role("spinbutton"))
    expect(row).to_have_count(1)
    row.get_by_role("spinbutton").nth(0).fill("2027")
    row.get_by_role("spinbutton").nth(1).fill("100000")
    page.get_by_role("button", name=t(LANGUAGE, "Save and continue editing"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/fi/admin/programmes/programme/\d+/change/$"))
    change_path = re.search(r"/fi/admin/.+$", page.url)[0]
    expect(admin_messages(page, "success")).to_have_count(1)
    expect(field(page, "name", "fi")).to_have_value(names["fi"])

    # Publishing is refused while the Swedish name is missing, and the reason is shown.
    publish = page.get_by_role("button", name=t(LANGUAGE, "Publish"), exact=True)
    publish.click()
    expect(page).to_have_url(at(change_path))
    with translation.override(LANGUAGE):
        reason = translation.gettext("%(object)s '%(label)s' has no %(language)s %(field)s") % {
            "object": capfirst(translation.gettext("programme")),
            "label": names["fi"],
            "language": translation.pgettext("missing text in language", "Swedish"),
            "field": translation.gettext("name"),
        }
    refusal = t(
        LANGUAGE, "'%(object)s' was not published: %(reason)s.", object=names["fi"], reason=reason
    )
    expect(admin_messages(page, "error")).to_have_text([refusal])
    expect(admin_messages(page, "success")).to_have_count(0)
    expect(publish).to_be_visible()  # still a draft: no "withdraw" yet
    public_path = url(LANGUAGE, "calls:programme_detail", slug=slug)
    assert page.request.get(public_path).status == 404

    # With the Swedish name it is published.
    field(page, "name", "sv").fill(names["sv"])
    page.get_by_role("button", name=t(LANGUAGE, "Save and continue editing"), exact=True).click()
    expect(admin_messages(page, "success")).to_have_count(1)
    publish.click()
    expect(page).to_have_url(at(change_path))
    expect(admin_messages(page, "success")).to_have_text(
        [t(LANGUAGE, "Published: '%(object)s'.", object=names["fi"])]
    )
    expect(admin_messages(page, "error")).to_have_count(0)
    expect(
        page.get_by_role("button", name=t(LANGUAGE, "Withdraw publication"), exact=True)
    ).to_be_visible()

    # The public list shows it, in each language by its name in that language.
    for language in ("fi", "sv"):
        page.goto(url(language, "calls:programme_list"))
        section = page.get_by_role("region", name=names[language], exact=True)
        expect(section.get_by_role("heading", name=names[language])).to_be_visible()
        expect(section).to_contain_text(
            t(
                language,
                "%(funder)s, %(first)s–%(last)s",
                funder=FUNDER[language],
                first=2027,
                last=2027,
            )
        )
        expect(section).to_contain_text(
            t(language, "No calls have been published in this programme.")
        )
    section.get_by_role("link", name=names["sv"]).click()
    expect(page).to_have_url(at(url("sv", "calls:programme_detail", slug=slug)))
    expect(page.get_by_role("heading", level=1)).to_have_text(names["sv"])


# --- Accessibility --------------------------------------------------------------------------


def test_admin_index(officer_page):
    page = officer_page
    open_admin_page(page, admin_url("index"))
    expect(
        page.get_by_role("link", name=capfirst(t(LANGUAGE, "programmes")), exact=True)
    ).not_to_have_count(0)
    assert_language_and_heading(page)
    violations = axe_violations(page)
    assert violations == [], violations_text(page, violations)


def test_programme_changelist(officer_page):
    page = officer_page
    open_admin_page(page, admin_url("programmes_programme_changelist"))
    expect(page.get_by_role("link", name=FINNISH["name"][LANGUAGE], exact=True)).to_be_visible()
    assert_language_and_heading(page)
    violations = axe_violations(page)
    assert violations == [], violations_text(page, violations)


def test_programme_change_page(officer_page):
    page = officer_page
    open_admin_page(page, admin_url("programmes_programme_changelist"))
    page.get_by_role("link", name=FINNISH["name"][LANGUAGE], exact=True).click()
    expect(page).to_have_url(re.compile(r"/fi/admin/programmes/programme/\d+/change/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_language_and_heading(page)
    violations = axe_violations(page)
    assert violations == [], violations_text(page, violations)


def _hrefs(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")


def test_every_admin_page_of_the_programme_officer_has_no_axe_violations(officer_page):
    """Each list, add page and change page the demo's programme officer reaches from the
    admin's index (every object on the lists' first pages: a published object's page is read
    only, a draft's a form), at WCAG 2.1 A/AA."""
    page = officer_page
    open_admin_page(page, admin_url("index"))
    lists = _hrefs(page, "#content-main th[scope=row] > a")
    adds = _hrefs(page, "#content-main a.addlink")
    changes = []
    for path in lists:
        open_admin_page(page, path)
        changes += _hrefs(page, "#result_list tbody th a")
    assert (len(lists), len(adds), len(changes) >= 20) == (7, 6, True), (lists, adds)
    found, queue, seen = {}, [*lists, *adds, *changes], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        open_admin_page(page, path)
        assert_language_and_heading(page)
        # The pages of inline objects (a version's questions), reached from their parent's.
        queue += _hrefs(page, "#content-main a.inlinechangelink")
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}, "\n".join(
        f"{path}: " + json.dumps(violations, ensure_ascii=False)
        for path, violations in found.items()
    )

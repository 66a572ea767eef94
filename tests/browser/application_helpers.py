"""Keyboard-only driving of the pages, for the applications' browser tests: Tab (and Shift+Tab)
to an element, checking where the focus is, then Enter, Space or typing. No mouse, and no
`locator.focus()` or `fill()`: only what a keyboard user can do."""

import re

from playwright.sync_api import expect

# At most this many Tab presses to reach an element: a page that makes a keyboard user press
# Tab more (say, through the municipalities of a whole country) fails the test.
TAB_LIMIT = 120


def is_focused(locator) -> bool:
    """Whether the element, or one of the elements, of `locator` has the keyboard focus."""
    return locator.evaluate_all("elements => elements.includes(document.activeElement)")


def focused_description(page) -> str:
    """What has the focus, for an error message: its tag, name and text."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            if (!e) return "nothing";
            const text = (e.innerText || e.value || "").trim().slice(0, 60);
            return `<${e.tagName.toLowerCase()} name=${e.name || ""} id=${e.id || ""}> ${text}`;
        }"""
    )


def tab_to(page, target, *, backwards: bool = False, limit: int = TAB_LIMIT) -> int:
    """Press Tab (Shift+Tab with `backwards`) until `target` (a locator of one element, or of
    a radio group's radios) has the keyboard focus; return the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if is_focused(target):
            return presses
    raise AssertionError(
        f"{key} did not reach {target} in {limit} presses; the focus is on "
        f"{focused_description(page)}"
    )


def skip_to_main(page):
    """From the top of a freshly opened page: Tab to the skip link and follow it with Enter,
    so that the next Tab goes to the first control of the main content."""
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def follow_link(page, link):
    """Tab to a link and open it with Enter; wait for the new page."""
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, button):
    """Tab to a form's submit button and press Enter; wait for the page the form leads to."""
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, field, text: str, *, replace: bool = False):
    """Tab to a text field and type `text` (with `replace`, select what it holds first)."""
    tab_to(page, field)
    if replace:
        page.keyboard.press("ControlOrMeta+A")
        page.keyboard.press("Delete")
    page.keyboard.type(text)
    expect(field).to_have_value(text if replace else re.compile(re.escape(text) + "$"))


def tick(page, checkbox):
    """Tab to a checkbox and tick it with Space."""
    tab_to(page, checkbox)
    expect(checkbox).not_to_be_checked()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()


def choose_radio(page, group, wanted):
    """A radio group is one tab stop: Tab into it (any radio of `group`), then move with the
    arrow keys, which check the radio they reach, until `wanted` is checked."""
    tab_to(page, group)
    for _ in range(group.count()):
        if is_focused(wanted):
            break
        page.keyboard.press("ArrowDown")
    else:
        raise AssertionError(f"the arrow keys did not reach {wanted}")
    page.keyboard.press("Space")
    expect(wanted).to_be_checked()


def choose_option(page, select, label: str):
    """Tab to a <select> and choose an option by typing the start of its label (the way a
    closed select list takes keys)."""
    tab_to(page, select)
    page.keyboard.type(label)
    expect(select.locator("option:checked")).to_have_text(label)


def saved_status(page):
    """The autosave's status line: a polite live region at the end of a section's form."""
    status = page.locator("#save-status")
    expect(status).to_have_attribute("aria-live", "polite")
    return status


def _is_autosave(request) -> bool:
    return request.method == "POST" and request.headers.get("hx-request") == "true"


def autosave_after(page, action):
    """Do `action` (the last change on a section page) and wait until its autosave is in.

    Autosave sends the form 1.5 seconds after the last input, and each input starts the wait
    again: the first autosave request sent after `action` has returned is the one that holds
    everything typed so far. Its answer gives the form the section's new version (out of
    band): a Save pressed before that is refused as stale, as if someone else had saved.
    """
    done = False

    def sent_after_action(request) -> bool:
        return done and _is_autosave(request)

    with page.expect_request(sent_after_action) as request_info:
        action()
        done = True
    response = request_info.value.response()
    assert response.status == 200, response.text()
    version = re.search(r'id="section-version" value="(\d+)"', response.text())
    assert version, response.text()
    expect(page.locator("#section-version")).to_have_value(version[1])

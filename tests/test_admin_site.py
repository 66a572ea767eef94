"""Who may enter the staff interface (Django's admin)."""

from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from regionet.accounts.models import FunderRole, User
from regionet.demo.services import load_demo
from tests.factories import FunderRoleFactory, UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def admin_index_status(client, user):
    client.force_login(user)
    return client.get("/fi/admin/").status_code


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (FunderRole.Role.PROGRAMME_OFFICER, 200),
        (FunderRole.Role.ADMINISTRATOR, 200),
        (FunderRole.Role.REVIEWER, 302),
        (FunderRole.Role.DECISION_MAKER, 302),
        (FunderRole.Role.APPLICANT, 302),
    ],
)
def test_funder_roles_that_configure_programmes_enter_the_admin(client, role, status):
    funder_role = FunderRoleFactory(role=role)
    TOTP.activate(funder_role.user, generate_totp_secret())
    assert admin_index_status(client, funder_role.user) == status


def test_a_user_without_roles_is_sent_to_the_admin_login(client):
    response = client.get("/fi/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/admin/login/?next=/fi/admin/"
    assert admin_index_status(client, UserFactory()) == 302


def test_superuser_enters_and_the_admin_speaks_swedish(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    response = client.get("/sv/admin/")
    assert response.status_code == 200
    assert "<title>Konfiguration | Regionet – handläggarvy</title>" in response.content.decode()


def test_the_admin_login_page_sends_to_the_sites_sign_in(client):
    """Django's own admin login asks for a password only: the site's sign-in (allauth) asks
    for the second factor too, and holds the login throttle (issue 11, item 5)."""
    response = client.get("/fi/admin/login/?next=/fi/admin/programmes/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/login/?next=/fi/admin/programmes/"


def test_a_password_posted_to_the_admin_login_signs_nobody_in(client):
    user = UserFactory(is_staff=True, is_superuser=True, email="root@example.fi")
    TOTP.activate(user, generate_totp_secret())
    response = client.post(
        "/fi/admin/login/?next=/fi/admin/",
        {"username": "root@example.fi", "password": PASSWORD, "next": "/fi/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/login/?next=/fi/admin/"
    assert "_auth_user_id" not in client.session
    assert client.get("/fi/admin/").status_code == 302


def test_a_signed_in_user_without_rights_is_refused_not_asked_to_sign_in_again(client):
    client.force_login(UserFactory())
    response = client.get("/fi/admin/", follow=True)
    assert response.redirect_chain == [("/fi/admin/login/?next=/fi/admin/", 302)]
    assert response.status_code == 403


# --- Every link a programme officer is shown answers 200 -------------------------------------


class _Links(HTMLParser):
    """The addresses a page links to: ``href``s, and the related-object icons' templates
    (``data-href-template``) with the value their select has, as Django's script fills them."""

    def __init__(self):
        super().__init__()
        self.hrefs = []
        self.templates = []  # (template, the id of the select it follows)
        self.selected = {}  # select id → chosen value (the first choice if none is chosen)
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if attrs.get("data-href-template"):
            # "change_id_call" follows the select "id_call".
            self.templates.append((attrs["data-href-template"], attrs.get("id", "")))
        if tag == "select":
            self._select = attrs.get("id")
        if (
            tag == "option"
            and self._select
            and attrs.get("value")
            and ("selected" in attrs or self._select not in self.selected)
        ):
            self.selected[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def links(self) -> list[str]:
        found = list(self.hrefs)
        for template, element_id in self.templates:
            select = element_id.partition("_")[2]
            if select in self.selected:
                found.append(template.replace("__fk__", self.selected[select]))
        return found


def _kind(url: str) -> tuple:
    """Links that differ only in the values of their query (a sort order, a filter's
    choice) are one kind of link: one of each is followed."""
    parts = urlsplit(url)
    return (parts.path, tuple(sorted({key for key, _value in parse_qsl(parts.query)})))


def crawl_admin(client, start="/fi/admin/", limit=2000) -> dict[str, tuple[int, str]]:
    """Every link reachable from ``start`` through admin pages, with its final status and the
    page it was found on; only admin pages are read for more links."""
    seen = {_kind(start)}
    queue = [(start, "")]
    answers = {}
    while queue and len(answers) < limit:
        address, found_on = queue.pop(0)
        response = client.get(address, follow=True)
        answers[address] = (response.status_code, found_on)
        if response.status_code != 200 or not urlsplit(address).path.startswith(start):
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for link in parser.links():
            target = urljoin(address, unescape(link))
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            target = urlunsplit(("", "", parts.path, parts.query, ""))
            if _kind(target) not in seen:
                seen.add(_kind(target))
                queue.append((target, address))
    return answers


def test_every_link_a_programme_officer_sees_in_the_admin_answers_200(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    officer = User.objects.get(email="valmistelija@tem.example")
    client.force_login(officer)
    answers = crawl_admin(client)
    refused = sorted((url, *answer) for url, answer in answers.items() if answer[0] != 200)
    assert refused == [], "\n".join(f"{url} {status} (on {page})" for url, status, page in refused)
    assert len(answers) > 50

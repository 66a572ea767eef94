"""Sign-in throttling as deployed: two web server processes on one database count failed
sign-ins together (the shared cache of settings.CACHES), the limits hold per address and per
account, and whoever locks an account's password does not lock its owner out: the owner
signs in with a code e-mailed to the address, or resets the password (issue 11, item 7).

Each server is a `regionet runserver --noreload` process of its own, as two gunicorn workers
are; they trust one proxy (ALLAUTH_TRUSTED_PROXY_COUNT=1), so X-Forwarded-For stands for
the visitor's address.
"""

import email
import html
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email import policy
from pathlib import Path

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.utils import translation

from regionet.accounts.models import User
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
WRONG = "wrong horse battery staple"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.2"
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _database_url() -> str:
    """The test database, for the server processes."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = urllib.parse.quote(db["USER"])
    if db.get("PASSWORD"):
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_servers(tmp: Path, count: int, **env_overrides) -> tuple[list, list[str], Path]:
    mail_dir = tmp / "mail"
    mail_dir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "regionet.settings",
        "DEBUG": "true",
        "REGIONET_VAR_DIR": str(tmp),
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
        **env_overrides,
    }
    env.pop("CACHE_URL", None)
    if "CACHE_URL" in env_overrides:
        env["CACHE_URL"] = env_overrides["CACHE_URL"]
    processes, urls = [], []
    for index in range(count):
        port = free_port()
        log = (tmp / f"server-{index}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "regionet", "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    for url, process in zip(urls, processes, strict=True):
        while True:
            try:
                urllib.request.urlopen(f"{url}/en/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    stop(processes)
                    logs = [p.read_text()[-1500:] for p in sorted(tmp.glob("server-*.log"))]
                    raise RuntimeError("\n".join(logs)) from None
                time.sleep(0.2)
    return processes, urls, mail_dir


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two server processes on the test database, with the settings' default cache."""
    processes, urls, mail_dir = start_servers(tmp_path_factory.mktemp("throttling"), 2)
    yield {"urls": urls, "mail_dir": mail_dir}
    stop(processes)


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The cache's table is no model: the flush after each test leaves its counts."""
    cache.clear()
    yield
    cache.clear()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser (its cookies) at one address, talking to any of the servers."""

    def __init__(self, address: str, host: str = "localhost"):
        self.address = address
        self.host = host
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
        )

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POST of ``data`` with the CSRF token."""
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
            body = urllib.parse.urlencode(data).encode()
        # One host name for both servers, as for workers behind one address.
        headers = {"X-Forwarded-For": self.address, "Host": self.host}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def csrf_token(self) -> str:
        for handler in self.opener.handlers:
            if isinstance(handler, urllib.request.HTTPCookieProcessor):
                for cookie in handler.cookiejar:
                    if cookie.name == "csrftoken":
                        return cookie.value
        raise AssertionError("no CSRF cookie yet: GET a form first")

    def sign_in(self, server: str, email_address: str, password: str) -> tuple[int, str, str]:
        self.request(f"{server}/en/accounts/login/")
        return self.request(
            f"{server}/en/accounts/login/", {"login": email_address, "password": password}
        )


def locked_out_message() -> str:
    with translation.override("en"):
        return html.escape(str(DefaultAccountAdapter.error_messages["too_many_login_attempts"]))


def wrong_password_message() -> str:
    with translation.override("en"):
        return html.escape(str(DefaultAccountAdapter.error_messages["email_password_mismatch"]))


def outcome(response) -> str:
    status, location, body = response
    if status == 302:
        return "signed in"
    if locked_out_message() in body:
        return "locked"
    if wrong_password_message() in body:
        return "wrong"
    raise AssertionError(f"unexpected answer {status} {location}: {body[:500]}")


def account(email_address: str) -> User:
    """A user whose password is checked fast by the servers: PBKDF2 of few iterations (the
    hash says how many), so the test does not wait a second for each wrong password."""
    hasher = PBKDF2PasswordHasher()
    user = User.objects.create(
        email=email_address, password=hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    )
    EmailAddress.objects.get_or_create(
        user=user, email=email_address, defaults={"verified": True, "primary": True}
    )
    return user


def mail_to(mail_dir: Path, recipient: str, subject_part: str) -> str:
    """The plain text of the newest message to ``recipient`` whose subject has ``subject_part``."""
    deadline = time.monotonic() + 10
    while True:
        found = []
        for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk.lstrip(), policy=policy.default)
                subject = str(message["Subject"]).lower()
                if recipient in str(message["To"]) and subject_part.lower() in subject:
                    found.append(message.get_body(preferencelist=("plain",)).get_content())
        if found:
            return found[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no message '{subject_part}' to {recipient}")
        time.sleep(0.2)


def test_the_account_limit_holds_across_two_processes(servers):
    """Five wrong passwords to one account, spread over both servers, lock its password on
    both: the sixth attempt and even the right password are refused, whichever server."""
    a, b = servers["urls"]
    account("omistaja@example.fi")
    attacker = Visitor(ATTACKER)

    answers = [
        outcome(attacker.sign_in(server, "omistaja@example.fi", WRONG))
        for server in (a, b, a, b, a)
    ]
    assert answers == ["wrong"] * 5
    assert outcome(attacker.sign_in(b, "omistaja@example.fi", WRONG)) == "locked"
    assert outcome(attacker.sign_in(a, "omistaja@example.fi", PASSWORD)) == "locked"
    assert outcome(attacker.sign_in(b, "omistaja@example.fi", PASSWORD)) == "locked"


def test_the_account_limit_holds_whatever_host_and_port_the_requests_name(servers):
    """allauth's own count was per host name: a proxy passing the client's Host header on
    gave each port (localhost:1001, :1002 …) five fresh attempts at the same account."""
    a, b = servers["urls"]
    account("omistaja@example.fi")
    answers = []
    for attempt, server in enumerate((a, b, a, b, a, b)):
        attacker = Visitor(ATTACKER, host=f"localhost:{1001 + attempt}")
        answers.append(outcome(attacker.sign_in(server, "omistaja@example.fi", WRONG)))
    assert answers == ["wrong"] * 5 + ["locked"]


def test_four_wrong_passwords_do_not_lock(servers):
    a, b = servers["urls"]
    account("omistaja@example.fi")
    visitor = Visitor(OWNER)
    answers = [
        outcome(visitor.sign_in(server, "omistaja@example.fi", WRONG)) for server in (a, b, a, b)
    ]
    assert answers == ["wrong"] * 4
    assert outcome(visitor.sign_in(b, "omistaja@example.fi", PASSWORD)) == "signed in"


def test_the_address_limit_holds_across_two_processes_and_spares_other_addresses(servers):
    """Ten wrong passwords from one address, to ten accounts over both servers, stop that
    address; the owner of an eleventh account, elsewhere, signs in."""
    a, b = servers["urls"]
    for n in range(11):
        account(f"kayttaja{n}@example.fi")
    attacker = Visitor(ATTACKER)

    answers = [
        outcome(attacker.sign_in((a, b)[n % 2], f"kayttaja{n}@example.fi", WRONG))
        for n in range(10)
    ]
    assert answers == ["wrong"] * 10
    assert outcome(attacker.sign_in(a, "kayttaja10@example.fi", PASSWORD)) == "locked"
    assert outcome(Visitor(OWNER).sign_in(b, "kayttaja10@example.fi", PASSWORD)) == "signed in"


def lock(servers, email_address):
    a, b = servers["urls"]
    attacker = Visitor(ATTACKER)
    for server in (a, b, a, b, a):
        outcome(attacker.sign_in(server, email_address, WRONG))
    assert outcome(Visitor(OWNER).sign_in(b, email_address, PASSWORD)) == "locked"


def test_the_locked_out_owner_signs_in_with_an_emailed_code(servers):
    a, b = servers["urls"]
    account("omistaja@example.fi")
    lock(servers, "omistaja@example.fi")
    owner = Visitor(OWNER)

    status, _, login_page = owner.request(f"{b}/en/accounts/login/")
    assert status == 200
    assert 'href="/en/accounts/login/code/"' in login_page
    owner.request(f"{b}/en/accounts/login/code/")
    status, location, _ = owner.request(
        f"{b}/en/accounts/login/code/", {"email": "omistaja@example.fi"}
    )
    assert (status, location) == (302, "/en/accounts/login/code/confirm/")
    text = mail_to(servers["mail_dir"], "omistaja@example.fi", "sign-in code")
    code = next(
        line.strip() for line in text.splitlines() if re.fullmatch(r"[A-Z0-9-]{6,9}", line.strip())
    )

    # The code is confirmed on the other server: the processes share the sign-in state.
    status, location, _ = owner.request(f"{a}/en/accounts/login/code/confirm/", {"code": code})
    assert status == 302
    status, _, page = owner.request(f"{a}/en/my/")
    assert status == 200
    assert "Signed in as omistaja@example.fi" in page


def test_a_password_reset_clears_the_accounts_lock(servers):
    a, b = servers["urls"]
    account("omistaja@example.fi")
    lock(servers, "omistaja@example.fi")
    owner = Visitor(OWNER)

    owner.request(f"{a}/en/accounts/password/reset/")
    status, _, _ = owner.request(
        f"{a}/en/accounts/password/reset/", {"email": "omistaja@example.fi"}
    )
    assert status == 302
    text = mail_to(servers["mail_dir"], "omistaja@example.fi", "password reset")
    link = re.search(r"https?://localhost(/\S+/password/reset/key/\S+/)", text)[1]
    status, location, _ = owner.request(f"{b}{link}")
    assert status == 302
    set_password = f"{b}{location}"
    owner.request(set_password)
    status, _, _ = owner.request(
        set_password, {"password1": "uusi pitkä salasana", "password2": "uusi pitkä salasana"}
    )
    assert status == 302

    assert outcome(Visitor(OWNER).sign_in(b, "omistaja@example.fi", "uusi pitkä salasana")) == (
        "signed in"
    )

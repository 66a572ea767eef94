"""The site as it is served: what production runs, and the demo, crawled in a real browser.

The production server is started as a deployment starts it: `DEBUG=false`, a generated
secret, `collectstatic` into the manifest storage, `check --deploy` without a single issue,
gunicorn with two workers and the task worker of the database queue. The browser talks to it
as a TLS-terminating proxy would forward a request (`X-Forwarded-Proto: https`), so none of
production's security settings is switched off for the test.

Each role (the public, an applicant, a programme officer) starts from its pages and follows
every same-site link of a kind not seen before (ids replaced by N, no query strings). A page
fails when it or any subresource answers 400 or more, when the browser logs an error (a script
error, a resource refused by the Content-Security-Policy), when a stylesheet did not apply,
or when the page scrolls sideways (the demo's run is at a phone's width; Django's admin aside).
"""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.servers import free_port, fresh_database_url

from .helpers import new_page, sign_in, sign_in_with_code, url

APPLICANT = "hakija@oulu.example"
PROGRAMME_OFFICER = "valmistelija@tem.example"
# Distinct kinds of page per role, so that one run stays within a minute or two.
PAGES_PER_ROLE = 40
# Links the crawl does not follow: files (downloads open no page), the language switch and
# signing out (which would end the role's session half-way).
NOT_FOLLOWED = re.compile(
    r"/i18n/|/logout/|/download/|/pdf/|/export|\.ics$|\.csv$|\.xlsx$|/static/|/media/"
)

# What a TLS-terminating proxy in front of gunicorn adds to every request it forwards.
BEHIND_TLS_PROXY = {"X-Forwarded-Proto": "https"}

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}

STYLESHEETS_APPLIED = """() => {
  const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
  const broken = links
    .filter((link) => !link.sheet || link.sheet.cssRules.length === 0)
    .map((link) => link.href);
  const font = getComputedStyle(document.body).fontFamily;
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return {count: links.length, broken, font, overflow};
}"""


def _run(command, env, **kwargs):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result


def _wait_until_up(base_url, process, log):
    deadline = time.monotonic() + 60
    probe = urllib.request.Request(f"{base_url}/fi/", headers=BEHIND_TLS_PROXY)
    while True:
        try:
            urllib.request.urlopen(probe, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(log.read_text()[-3000:]) from None
            time.sleep(0.3)


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The demo's data served with production settings by gunicorn, with the task worker."""
    tmp = tmp_path_factory.mktemp("production")
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    common = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "regionet.settings",
        "REGIONET_VAR_DIR": str(tmp),
        "DATABASE_URL": fresh_database_url(tmp, "production"),
        "EMAIL_URL": f"filemail:///{mail_dir}",
    }
    regionet = [sys.executable, "-m", "regionet"]
    # The data is the demo's (only debug mode creates accounts with known passwords) ...
    _run([*regionet, "demo", "--no-server"], {**common, "DEBUG": "true"})
    # ... and everything after it runs as production does.
    production = {
        **common,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # The browser posts from the proxy's inner address; production names its own.
        "CSRF_TRUSTED_ORIGINS": base_url,
        "REGIONET_SITE_URL": base_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    production.pop("STATICFILES_BACKEND", None)
    _run([*regionet, "migrate", "--noinput"], production)
    # The cache's table (settings.CACHES): the workers' shared sign-in throttle counts there.
    _run([*regionet, "createcachetable"], production)
    _run([*regionet, "collectstatic", "--noinput"], production)
    check = _run([*regionet, "check", "--deploy", "--fail-level", "DEBUG"], production)
    assert check.stdout.strip() == "System check identified no issues (0 silenced)."
    log = tmp / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "regionet.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            f"--error-logfile={log}",
        ],
        env=production,
    )
    worker_log = (tmp / "worker.log").open("wb")
    worker = subprocess.Popen(
        [*regionet, "db_worker"], env=production, stdout=worker_log, stderr=worker_log
    )
    _wait_until_up(base_url, server, log)
    yield {"url": base_url, "mail_dir": mail_dir, "env": production, "log": log}
    for process in (worker, server):
        process.terminate()
        process.wait(timeout=20)
    worker_log.close()


@pytest.fixture(params=["production", "demo"])
def served(request):
    """The same checks against the production server (at a laptop's width) and the demo's
    runserver (at a phone's, where no page may scroll sideways)."""
    if request.param == "production":
        return request.getfixturevalue("production_server"), BEHIND_TLS_PROXY, LAPTOP
    return request.getfixturevalue("demo_server"), {}, PHONE


class Crawl:
    """Visits pages from a start list, following same-site links of unseen kinds."""

    def __init__(self, page, base_url):
        self.page = page
        self.origin = base_url
        self.problems: list[str] = []
        self.visited: list[str] = []
        self._seen_kinds: set[str] = set()
        self._current = ""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._report(f"script error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _report(self, problem):
        self.problems.append(f"{self._current}: {problem}")

    def _console(self, message):
        if message.type == "error":
            self._report(f"console error: {message.text} ({message.location.get('url')})")

    def _response(self, response):
        if response.status >= 400:
            self._report(f"{response.status} for {response.url}")

    def _request_failed(self, request):
        # ERR_ABORTED: the browser dropped a request of the page it was leaving.
        if not any(
            cancelled in (request.failure or "")
            for cancelled in ("Download is starting", "net::ERR_ABORTED")
        ):
            self._report(f"request failed ({request.failure}) for {request.url}")

    @staticmethod
    def kind(path: str) -> str:
        return re.sub(r"\d+", "N", path)

    def run(self, start_paths, limit=PAGES_PER_ROLE):
        queue = deque(start_paths)
        while queue and len(self.visited) < limit:
            path = queue.popleft()
            if self.kind(path) in self._seen_kinds:
                continue
            self._seen_kinds.add(self.kind(path))
            for link in self.visit(path):
                if self.kind(link) not in self._seen_kinds:
                    queue.append(link)
        return self

    def visit(self, path) -> list[str]:
        self._current = path
        self.visited.append(path)
        try:
            self.page.goto(path, wait_until="load")
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                self._report(f"not opened: {error}")
            return []
        applied = self.page.evaluate(STYLESHEETS_APPLIED)
        if applied["count"] == 0 or applied["broken"]:
            self._report(f"stylesheets not applied: {applied}")
        elif "Times New Roman" in applied["font"] or applied["font"] == "serif":
            self._report(f"the browser's default font, no site style: {applied['font']}")
        if applied["overflow"] > 0 and "/admin/" not in path:
            width = self.page.viewport_size["width"]
            self._report(f"scrolls sideways by {applied['overflow']} px at {width} px")
        hrefs = self.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        return [found for found in map(self._same_site_path, hrefs) if found]

    def _same_site_path(self, href: str) -> str | None:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or parts.query:
            return None
        if NOT_FOLLOWED.search(parts.path):
            return None
        return parts.path


def _crawl(browser, served, start, sign_in_as=None, limit=PAGES_PER_ROLE):
    server, headers, viewport = served
    page = new_page(browser, server)
    page.context.set_extra_http_headers(headers)
    page.set_viewport_size(viewport)
    try:
        if sign_in_as:
            sign_in_as(page)
        crawl = Crawl(page, server["url"]).run(start, limit)
    finally:
        page.context.close()
    assert crawl.problems == [], "\n".join(crawl.problems)
    return crawl


def test_public_pages_load_whole(browser, served):
    start = [
        url("fi", "portal:home"),
        url("sv", "portal:home"),
        url("en", "portal:home"),
        url("fi", "calls:programme_list"),
        url("fi", "events:event_list"),
        url("fi", "account_login"),
        url("fi", "account_signup"),
    ]
    crawl = _crawl(browser, served, start)
    assert len(crawl.visited) >= 15, crawl.visited


def test_applicant_pages_load_whole(browser, served):
    def applicant(page):
        sign_in(page, APPLICANT)
        page.wait_for_url(re.compile(r"/fi/"))

    start = [url("fi", "portal:dashboard"), url("fi", "applications:list")]
    crawl = _crawl(browser, served, start, sign_in_as=applicant)
    assert any("/applications/" in path for path in crawl.visited[2:]), crawl.visited


def test_workspace_and_admin_pages_load_whole(browser, served):
    start = [url("fi", "workspace:index"), url("fi", "admin:index")]
    crawl = _crawl(
        browser,
        served,
        start,
        sign_in_as=lambda page: sign_in_with_code(page, PROGRAMME_OFFICER),
        limit=2 * PAGES_PER_ROLE,
    )
    assert any("/admin/" in path for path in crawl.visited), crawl.visited
    assert any("/workspace/" in path for path in crawl.visited[1:]), crawl.visited

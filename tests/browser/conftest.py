"""Browser tests: the demo site served by a real server process, driven by Playwright in
the system Chromium, with axe-core (from the npm registry) checking every page.

The server runs on its own database (a SQLite file, or a fresh PostgreSQL database when
DATABASE_URL points to PostgreSQL), filled by the same `regionet demo` set-up a newcomer
runs, so these tests see exactly what the demo shows.
"""

import functools
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM
from tests.servers import free_port, fresh_database_url

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """Start the demo site on a free port; yields its base URL and the mail folder."""
    tmp = tmp_path_factory.mktemp("browser")
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "regionet.settings",
        "DEBUG": "true",
        "REGIONET_VAR_DIR": str(tmp),
        "DATABASE_URL": fresh_database_url(tmp, "browser"),
        # django-environ drops the first slash of the path: "filemail:////tmp/x" is /tmp/x
        # (with "filemail:///tmp/x" the mail would land in ./tmp/x under the server's cwd).
        "EMAIL_URL": f"filemail:///{mail_dir}",
    }
    regionet = [sys.executable, "-m", "regionet"]
    subprocess.run(
        [*regionet, "demo", "--no-server"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    # runserver logs every request: to a file, since a pipe nobody reads fills and blocks it.
    server_log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(
        [*regionet, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base_url}/fi/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((tmp / "server.log").read_text()[-2000:]) from None
            time.sleep(0.2)
    yield {"url": base_url, "mail_dir": mail_dir, "env": env}
    server.terminate()
    server.wait(timeout=10)
    server_log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, demo_server):
    context = browser.new_context(base_url=demo_server["url"], locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@functools.cache
def _axe_source() -> str:
    # Wrapped so that evaluate() runs it as a script body, not as a function to call.
    return f"(() => {{ {AXE_JS.read_text()}\n }})()"


def axe_violations(page) -> list[dict]:
    """Run axe-core on the current page at WCAG 2.1 A and AA; return the violations.

    axe is evaluated through the browser's debugging protocol, not added as a script tag:
    the site's Content-Security-Policy (rightly) refuses inline scripts, and the tests keep
    that policy on so that they see the pages as visitors do.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        # Only the violations are reported: collecting the passes too doubles axe's time.
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]

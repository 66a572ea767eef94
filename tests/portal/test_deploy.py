"""Production settings: debug mode is off unless asked for, the site's own static files are
found and collected, and Django's deployment checks pass without a single warning once
`collectstatic` has run (and fail, naming the cure, before it has)."""

import os
import subprocess
import sys

from django.contrib.staticfiles import finders
from django.core.checks import run_checks

from regionet.portal import checks

SITE_FILES = ["regionet/regionet.css", "regionet/tokens.css", "vendor/htmx/htmx.min.js"]


def _production_env(tmp_path, **extra):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x7Kq2-production-like-secret-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
        "ALLOWED_HOSTS": "regionet.example",
        "REGIONET_VAR_DIR": str(tmp_path),
        "EMAIL_URL": "smtp+tls://mailer:secret@mail.regionet.example:587",
        **extra,
    }
    env.pop("STATICFILES_BACKEND", None)
    return env


def _regionet(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "regionet", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_is_off_when_the_environment_says_nothing(tmp_path):
    env = _production_env(tmp_path)
    del env["DEBUG"]
    result = _regionet(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env=env,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_the_demo_refuses_to_start_without_debug_mode(tmp_path):
    result = _regionet("demo", "--no-server", env=_production_env(tmp_path))
    assert result.returncode == 1
    assert "DEBUG=true" in result.stderr


def test_every_static_file_the_templates_name_is_found():
    referenced = checks.referenced_static_files()
    assert set(SITE_FILES) <= set(referenced)
    assert {path: bool(finders.find(path)) for path in referenced} == dict.fromkeys(
        referenced, True
    )
    assert [message.id for message in run_checks(tags=["staticfiles"])] == []


def test_a_template_naming_a_missing_static_file_fails_the_check(tmp_path, settings):
    (tmp_path / "broken.html").write_text("{% load static %}{% static 'regionet/nowhere.css' %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    found = checks.static_references_are_found(None)
    assert [(message.id, message.obj) for message in found] == [
        ("portal.E001", str(tmp_path / "broken.html"))
    ]


def test_check_deploy_names_collectstatic_before_it_ran(tmp_path):
    result = _regionet("check", "--deploy", env=_production_env(tmp_path))
    assert result.returncode == 1
    assert "portal.E002" in result.stderr
    assert "regionet collectstatic --noinput" in result.stderr


def test_check_deploy_reports_nothing_once_static_files_are_collected(tmp_path):
    env = _production_env(tmp_path)
    collected = _regionet("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    result = _regionet("check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_pages_answer_with_production_settings_and_link_collected_files(tmp_path):
    """A page rendered through the manifest storage links the hashed names, which exist."""
    env = _production_env(tmp_path, ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false")
    assert _regionet("collectstatic", "--noinput", env=env).returncode == 0
    script = (
        "from django.test import Client;"
        "from django.test.utils import setup_test_environment;"
        "setup_test_environment();"
        "r = Client().get('/fi/accessibility/');"
        "print(r.status_code);"
        "print(r.content.decode())"
    )
    result = _regionet("shell", "--no-imports", "-c", script, env=env)
    status, _, page = result.stdout.partition("\n")
    assert status == "200", result.stderr[-2000:]
    for name in SITE_FILES:
        stem, suffix = name.rsplit(".", 1)
        linked = [part for part in page.split('"') if part.startswith(f"/static/{stem}.")]
        assert len(linked) == 1, (name, linked)
        hashed = linked[0].removeprefix("/static/")
        assert (tmp_path / "static" / hashed).is_file()
        assert hashed != name and hashed.endswith(f".{suffix}")

"""Security headers on every page: a Content-Security-Policy without inline script or style,
a Permissions-Policy, and no storing of what a signed-in user sees."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory

REGIONET = Path(__file__).resolve().parents[1] / "regionet"
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
def test_public_page_has_the_policies_and_may_be_cached(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["Permissions-Policy"] == (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
        "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
    )
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored(client):
    client.force_login(UserFactory())
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert directives(response["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_a_view_that_decided_its_caching_keeps_it(client, rf):
    from django.http import HttpResponse

    from regionet.middleware import PrivatePagesAreNotStoredMiddleware

    def cached_view(request):
        response = HttpResponse("public")
        response["Cache-Control"] = "public, max-age=60"
        return response

    request = rf.get("/")
    request.user = UserFactory()
    response = PrivatePagesAreNotStoredMiddleware(cached_view)(request)
    assert response["Cache-Control"] == "public, max-age=60"


# Templates a browser renders as pages (not PDFs, whose HTML only WeasyPrint reads).
PAGE_TEMPLATES = sorted(
    path for path in REGIONET.rglob("templates/**/*.html") if "/pdf/" not in path.as_posix()
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"")


def test_the_policy_needs_no_inline_script_or_style_in_any_page_template():
    assert len(PAGE_TEMPLATES) > 50
    offending = {
        str(path.relative_to(REGIONET)): found
        for path in PAGE_TEMPLATES
        if (found := INLINE_SCRIPT.findall(text := path.read_text()) + INLINE_STYLE.findall(text))
    }
    assert offending == {}

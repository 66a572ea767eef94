"""Thin views of the portal: they read, they never change state."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import get_language

from regionet.accounts.models import FunderRole
from regionet.portal import programme_views


def home(request):
    return render(request, "portal/home.html", {"open_calls": programme_views.open_calls()})


@login_required
def dashboard(request):
    """The signed-in user's own page: their organisations and their roles with funders."""
    funder_roles = list(
        request.user.funder_roles.select_related("funder").order_by("funder__name", "role")
    )
    return render(
        request,
        "portal/dashboard.html",
        {
            "memberships": request.user.memberships.select_related("organisation").order_by(
                "organisation__name"
            ),
            "funder_roles": funder_roles,
            "manages_programmes": any(
                role.role in (FunderRole.Role.PROGRAMME_OFFICER, FunderRole.Role.ADMINISTRATOR)
                for role in funder_roles
            ),
        },
    )


def _notice(request, name):
    """Statutory notices are long legal texts, kept as one template per language."""
    language = get_language()
    if language not in {code for code, _ in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    return render(request, f"portal/{name}_{language}.html")


def accessibility_statement(request):
    return _notice(request, "accessibility")


def privacy_notice(request):
    return _notice(request, "privacy")

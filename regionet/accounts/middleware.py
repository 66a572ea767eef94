"""Everyone with staff rights must use two-factor authentication: send them to set it up first.

Staff rights are a funder staff role, Django's staff status (the admin site) and the
superuser flag (the platform administrator): ``accounts.rules.has_staff_rights``. Every way
of signing in goes through allauth, which asks a user with an authenticator for its code;
Django's own admin login, which would not, sends to allauth's (``regionet.admin``).
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# Pages a staff member without TOTP may still open: allauth's own pages (setting up MFA
# needs re-authentication and a verified e-mail address first; signing out), the language
# switch, the pages every visitor must reach, and "stay signed in" (it only stamps activity).
EXEMPT_URL_NAMES = frozenset(
    {"set_language", "portal:accessibility", "portal:privacy", "session_keep_alive"}
)
EXEMPT_URL_NAME_PREFIXES = ("mfa_", "account_")


def is_exempt(path: str) -> bool:
    """Whether a staff member without TOTP may open ``path`` (static files, the language
    switch, pages of no view, and the views named above)."""
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    if path.startswith(static_url) or path.startswith("/i18n/"):
        return True
    try:
        return _exempt_view(resolve(path))
    except Resolver404:
        return True


def _exempt_view(match) -> bool:
    return match.view_name in EXEMPT_URL_NAMES or (match.url_name or "").startswith(
        EXEMPT_URL_NAME_PREFIXES
    )


def needs_totp(user) -> bool:
    """Staff rights (``rules.has_staff_rights``) and no TOTP authenticator, in one query."""
    from allauth.mfa.models import Authenticator

    from .models import FunderRole
    from .rules import has_administrator_flags

    totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP)
    if has_administrator_flags(user):
        return not totp.filter(user=user).exists()
    # has_staff_role and the missing authenticator asked together.
    return (
        FunderRole.objects.staff()
        .filter(user=user)
        .exclude(Exists(totp.filter(user=OuterRef("user"))))
        .exists()
    )


class RequireStaffTwoFactorMiddleware:
    """Redirects a signed-in user with staff rights and no TOTP authenticator to set one up.

    Asked in ``process_view``, from the URL Django has already resolved, as the e-mail
    verification gate does: static files (WhiteNoise) and pages of no view never get here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .rules import has_administrator_flags

        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or _exempt_view(request.resolver_match)
            or not needs_totp(user)
        ):
            return None
        if has_administrator_flags(user):
            message = _(
                "Your administrator rights require two-factor authentication. "
                "Set up an authenticator app to continue."
            )
        else:
            message = _(
                "Your role with a funder requires two-factor authentication. "
                "Set up an authenticator app to continue."
            )
        messages.warning(request, message)
        return redirect("mfa_activate_totp")

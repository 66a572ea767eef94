"""How long a signed-in session lasts: an idle limit and an absolute limit, stricter for
accounts with staff rights (a funder staff role, staff status, superuser) than for applicants.

The session carries when it was signed in and when it was last active (Unix seconds). Each
request of a signed-in user is checked against both; past either limit the user is signed
out, a message says why, and the request goes on as anonymous: the page asks to sign in, an
autosave answers "signed out", and a section form posted meanwhile shows its text back
(applications.section_views), so nothing typed is lost. Every request is activity, an
autosave post too; the stamp is written at most once a minute, so that reading pages does
not write the session each time. The pages warn before an idle sign-out
(accounts/session_limits.js), and "Stay signed in" posts to ``keep_alive``.

No maintained package fits: django-session-security has one idle limit for everyone, no
absolute limit, and bootstraps its script inline, which the Content-Security-Policy forbids.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

SIGNED_IN_AT = "regionet_signed_in_at"
ACTIVE_AT = "regionet_active_at"
# Whether the account had staff rights when the activity was last stamped: asked again at
# each stamp (a minute at most), not on every request.
STAFF = "regionet_staff_rights"
STAMP_INTERVAL = 60  # seconds


@dataclass(frozen=True)
class Limits:
    idle: int  # seconds without a request
    absolute: int  # seconds since signing in


def staff_limits() -> Limits:
    return Limits(
        idle=settings.REGIONET_SESSION_STAFF_IDLE_MINUTES * 60,
        absolute=settings.REGIONET_SESSION_STAFF_MAX_HOURS * 3600,
    )


def applicant_limits() -> Limits:
    return Limits(
        idle=settings.REGIONET_SESSION_IDLE_MINUTES * 60,
        absolute=settings.REGIONET_SESSION_MAX_HOURS * 3600,
    )


def _has_staff_rights(user) -> bool:
    from .rules import has_staff_rights

    return has_staff_rights.test(user)


def limits_of(request) -> Limits:
    return staff_limits() if request.session.get(STAFF) else applicant_limits()


def stamp(request, user, now: int | None = None, *, signed_in: bool = False) -> None:
    """Record ``user``'s activity now (and the sign-in, if ``signed_in``)."""
    now = int(time.time()) if now is None else now
    if signed_in:
        request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now
    request.session[STAFF] = _has_staff_rights(user)


@receiver(user_logged_in, dispatch_uid="regionet_session_signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp(request, user, signed_in=True)


def seconds_left(request, now: int | None = None) -> dict[str, int]:
    """Seconds until the idle limit and until the absolute limit end this session."""
    now = int(time.time()) if now is None else now
    limits = limits_of(request)
    session = request.session
    return {
        "idle": max(0, session.get(ACTIVE_AT, now) + limits.idle - now),
        "absolute": max(0, session.get(SIGNED_IN_AT, now) + limits.absolute - now),
        "idle_limit": limits.idle,
    }


def _signed_out_message(reason: str, limits: Limits) -> str:
    if reason == "idle":
        minutes = limits.idle // 60
        return ngettext(
            "You were signed out after %(minutes)s minute without activity. Sign in again to "
            "continue: what you saved is kept.",
            "You were signed out after %(minutes)s minutes without activity. Sign in again to "
            "continue: what you saved is kept.",
            minutes,
        ) % {"minutes": minutes}
    hours = limits.absolute // 3600
    return ngettext(
        "You were signed out because a session lasts %(hours)s hour at most. Sign in again "
        "to continue: what you saved is kept.",
        "You were signed out because a session lasts %(hours)s hours at most. Sign in again "
        "to continue: what you saved is kept.",
        hours,
    ) % {"hours": hours}


class SessionLimitsMiddleware:
    """Signs out a session past its idle or absolute limit; stamps activity once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        session = request.session
        signed_in_at, active_at = session.get(SIGNED_IN_AT), session.get(ACTIVE_AT)
        if signed_in_at is None or active_at is None:
            # A session from before these limits (or made without signing in): from now.
            stamp(request, request.user, now, signed_in=True)
            return
        limits = limits_of(request)
        if now - active_at > limits.idle:
            reason = "idle"
        elif now - signed_in_at > limits.absolute:
            reason = "absolute"
        else:
            if now - active_at >= STAMP_INTERVAL:
                stamp(request, request.user, now)
            return
        logout(request)
        messages.info(request, _signed_out_message(reason, limits))


@require_POST
def keep_alive(request):
    """ "Stay signed in": activity now; answers the seconds left (401 once signed out)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    stamp(request, request.user)
    return JsonResponse({"signed_in": True, **seconds_left(request)})

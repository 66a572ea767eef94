"""`{% session_warning %}`: the dialog that warns before an idle sign-out (signed-in pages)."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from regionet.accounts import session_limits

register = template.Library()


@register.inclusion_tag("accounts/includes/session_warning.html", takes_context=True)
def session_warning(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {"shown": False}
    left = session_limits.seconds_left(request)
    return {
        "shown": True,
        "idle_seconds": left["idle"],
        "absolute_seconds": left["absolute"],
        "idle_limit": left["idle_limit"],
        "stamp_interval": session_limits.STAMP_INTERVAL,
        "warning_seconds": settings.REGIONET_SESSION_WARNING_MINUTES * 60,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        # Where the script writes the time, inside each language's own sentence.
        "time_slot": mark_safe("<strong data-session-time></strong>"),
    }

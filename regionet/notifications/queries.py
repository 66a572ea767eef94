"""Querysets the notice pages show, each in a fixed number of queries."""

from .kinds import all_kinds
from .models import Notice, NoticePreference

LIST_LENGTH = 50


def notices_of(user):
    """The user's own latest notices, newest first."""
    return Notice.objects.filter(recipient=user).only("kind", "state", "created_at", "email")[
        :LIST_LENGTH
    ]


def enabled_kinds(user) -> set[str]:
    """Codes of the kinds ``user`` gets: every kind not switched off, and every required one."""
    switched_off = set(
        NoticePreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True)
    )
    return {
        kind.code for kind in all_kinds() if kind.legally_required or kind.code not in switched_off
    }

"""The one place that decides whether an instant lies within a phase, and how deadlines read.

A deadline is an instant, stored in UTC. A submission is in time when the server received it
at or before ``closes_at`` (16:15:00.000 is in time, 16:15:00.001 is not). Deadlines are shown
in the programme's local time with the zone named, in the reader's language, e.g.
"15.4.2021 klo 16.15 Suomen aikaa", "15.4.2021 kl. 16.15 finsk tid",
"15 April 2021 at 16:15 Finnish time". In the hour that repeats when clocks go back, the
zone is named with its summer or standard time, so the two instants never read the same.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from django.utils import timezone, translation
from django.utils.timesince import timeuntil
from django.utils.translation import get_language, gettext, pgettext

# Date pattern (Unicode CLDR syntax, formatted by Babel) and how date, time and zone combine.
_PATTERNS = {
    "fi": ("d.M.yyyy", "{date} klo {hour}.{minute:02d} {zone}"),
    "sv": ("d.M.yyyy", "{date} kl. {hour}.{minute:02d} {zone}"),
    "en": ("d MMMM yyyy", "{date} at {hour:02d}:{minute:02d} {zone}"),
}

# Åland keeps Finnish time under its own zone name.
_FINNISH_ZONES = frozenset({"Europe/Helsinki", "Europe/Mariehamn"})


class NonExistentLocalTime(ValueError):
    """The wall time is skipped when the clocks go forward (e.g. 3.30 on 28.3.2021 in Helsinki)."""


class AmbiguousLocalTime(ValueError):
    """The wall time happens twice when the clocks go back (e.g. 3.30 on 31.10.2021)."""


def _language(language: str | None) -> str:
    language = (language or get_language() or "fi")[:2]
    return language if language in _PATTERNS else "en"


def _is_repeated_hour(moment: datetime) -> bool:
    """Whether the local wall time of ``moment`` happens twice on its day."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def zone_name(time_zone: str, moment: datetime | None = None) -> str:
    """The zone as people say it: "Suomen aikaa", "finsk tid", "Finnish time".

    When ``moment`` (local) falls in the repeated autumn hour, summer or standard time is named.
    """
    repeated = moment is not None and _is_repeated_hour(moment)
    summer = repeated and bool(moment.dst())
    if time_zone in _FINNISH_ZONES:
        if not repeated:
            return pgettext("time zone", "Finnish time")
        if summer:
            return pgettext("time zone", "Finnish summer time")
        return pgettext("time zone", "Finnish standard time")
    if time_zone == "Europe/Stockholm":
        if not repeated:
            return pgettext("time zone", "Swedish time")
        if summer:
            return pgettext("time zone", "Swedish summer time")
        return pgettext("time zone", "Swedish standard time")
    # Any other zone: its standard name and, in the repeated hour, its abbreviation.
    return f"{time_zone} ({moment.tzname()})" if repeated else time_zone


def _require_aware(*instants: datetime) -> None:
    for instant in instants:
        if timezone.is_naive(instant):
            raise ValueError(f"A deadline is an instant: {instant!r} has no time zone.")


def is_open(opens_at: datetime, closes_at: datetime, at: datetime) -> bool:
    """True when ``at`` lies within [opens_at, closes_at]: both ends included."""
    _require_aware(opens_at, closes_at, at)
    return opens_at <= at <= closes_at


def is_in_time(closes_at: datetime, received_at: datetime) -> bool:
    """True when something the server received at ``received_at`` meets ``closes_at``."""
    _require_aware(closes_at, received_at)
    return received_at <= closes_at


def local(instant: datetime, time_zone: str) -> datetime:
    """``instant`` as wall time in ``time_zone``."""
    _require_aware(instant)
    return instant.astimezone(ZoneInfo(time_zone))


def instant_at(wall_time: datetime, time_zone: str) -> datetime:
    """The UTC instant at which the clocks in ``time_zone`` show ``wall_time`` (naive).

    Raises ``NonExistentLocalTime`` for a wall time the clocks skip and
    ``AmbiguousLocalTime`` for one they show twice: a deadline must name one instant.
    """
    if timezone.is_aware(wall_time):
        raise ValueError("Give the wall time without a time zone.")
    zone = ZoneInfo(time_zone)
    earlier = wall_time.replace(tzinfo=zone, fold=0)
    later = wall_time.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        # zoneinfo resolves a skipped time to an instant whose wall time differs from it.
        if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall_time:
            raise NonExistentLocalTime(f"{wall_time:%Y-%m-%d %H:%M} does not exist in {time_zone}")
        raise AmbiguousLocalTime(f"{wall_time:%Y-%m-%d %H:%M} happens twice in {time_zone}")
    return earlier.astimezone(UTC)


# The same with seconds, for receipts: "15.4.2021 klo 16.14.59 Suomen aikaa".
_SECOND_TEMPLATES = {
    "fi": "{date} klo {hour}.{minute:02d}.{second:02d} {zone}",
    "sv": "{date} kl. {hour}.{minute:02d}.{second:02d} {zone}",
    "en": "{date} at {hour:02d}:{minute:02d}:{second:02d} {zone}",
}


def format_deadline(
    instant: datetime, time_zone: str, language: str | None = None, *, seconds: bool = False
) -> str:
    """The instant in the programme's local time with the zone named, in ``language``; with
    ``seconds`` to the second (a receipt names the exact second of receipt)."""
    language = _language(language)
    date_pattern, template = _PATTERNS[language]
    if seconds:
        template = _SECOND_TEMPLATES[language]
    moment = local(instant, time_zone)
    with translation.override(language):
        zone = zone_name(time_zone, moment)
    return template.format(
        date=format_date(moment.date(), date_pattern, locale=language),
        hour=moment.hour,
        minute=moment.minute,
        second=moment.second,
        zone=zone,
    )


def date_pattern(language: str | None = None) -> str:
    """The CLDR date pattern the deadlines use in ``language`` ("d.M.yyyy")."""
    return _PATTERNS[_language(language)][0]


def time_left(closes_at: datetime, now: datetime | None = None, language: str | None = None) -> str:
    """How long until ``closes_at`` in words ("2 päivää, 3 tuntia"); empty once closed.

    Counted in real elapsed time (UTC), so a day with a daylight saving change is no different.
    """
    now = now or timezone.now()
    _require_aware(closes_at, now)
    if now > closes_at:
        return ""
    with translation.override(_language(language)):
        if (closes_at - now).total_seconds() < 60:
            return gettext("less than a minute")
        left = timeuntil(closes_at.astimezone(UTC), now.astimezone(UTC), depth=2)
    # Django's Finnish catalogue ends "%(num)d kuukautta" with a no-break space, which then
    # stood before the comma ("3 kuukautta , 1 viikko").
    return left.replace("\xa0,", ",")

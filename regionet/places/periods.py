"""Timelines of yearly facts collapsed into periods, and the rules for merging new facts in.

A timeline is a sorted list of non-overlapping ``Period``s; ``None`` as a bound means
unbounded (before the data begins, or still valid). ``attrs`` is any comparable value: what
held in those years. These functions are pure, so the importers can compute the wanted
state in memory and write only the difference.
"""

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple


class Period(NamedTuple):
    valid_from: int | None
    valid_until: int | None
    attrs: Any


def _start(value: int | None) -> float:
    return float("-inf") if value is None else value


def _end(value: int | None) -> float:
    return float("inf") if value is None else value


def normalise(timeline: Iterable[Period]) -> list[Period]:
    """Sort and join adjacent periods that hold the same attributes."""
    result: list[Period] = []
    for period in sorted(timeline, key=lambda p: _start(p.valid_from)):
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.valid_until is not None
            and period.valid_from == previous.valid_until + 1
            and period.attrs == previous.attrs
        ):
            result[-1] = previous._replace(valid_until=period.valid_until)
        else:
            result.append(period)
    return result


def covering(timeline: Iterable[Period], year: int) -> Period | None:
    return next((p for p in timeline if _start(p.valid_from) <= year <= _end(p.valid_until)), None)


def assign(timeline: Iterable[Period], start: int | None, end: int | None, attrs) -> list[Period]:
    """Make ``attrs`` hold from ``start`` to ``end``; ``attrs=None`` removes those years."""
    result = []
    for period in timeline:
        if start is not None and _start(period.valid_from) < start:
            result.append(
                period._replace(valid_until=int(min(_end(period.valid_until), start - 1)))
            )
        if end is not None and _end(period.valid_until) > end:
            result.append(period._replace(valid_from=int(max(_start(period.valid_from), end + 1))))
    if attrs is not None:
        result.append(Period(start, end, attrs))
    return normalise(result)


def apply_snapshot(timeline: list[Period], year: int, attrs) -> list[Period]:
    """Merge the facts of one year's division (``attrs=None``: not a municipality that year).

    The facts hold from ``year`` until the next change the timeline already knows: to the
    end of the period covering ``year``, or, in a gap, up to the next period (or for good).
    """
    current = covering(timeline, year)
    if current is not None:
        if current.attrs == attrs:
            return normalise(timeline)
        return assign(timeline, year, current.valid_until, attrs)
    if attrs is None:
        return normalise(timeline)
    later = [p.valid_from for p in timeline if p.valid_from is not None and p.valid_from > year]
    return assign(timeline, year, min(later) - 1 if later else None, attrs)


def collapse_years(facts: Mapping[int, Any], first_year: int, last_year: int) -> list[Period]:
    """Periods of equal attributes from one fact per year of a complete yearly history.

    The history covers ``first_year``…``last_year``; a period touching either end is left
    open there, since nothing says it began or ended.
    """
    timeline: list[Period] = []
    for year in sorted(facts):
        timeline.append(Period(year, year, facts[year]))
    timeline = normalise(timeline)
    return [
        Period(
            None if p.valid_from == first_year else p.valid_from,
            None if p.valid_until == last_year else p.valid_until,
            p.attrs,
        )
        for p in timeline
    ]


def span(timeline: Iterable[Period]) -> tuple[int | None, int | None]:
    """The years from the first period's start to the last one's end."""
    periods = list(timeline)
    if not periods:
        return None, None
    starts = [_start(p.valid_from) for p in periods]
    ends = [_end(p.valid_until) for p in periods]
    low, high = min(starts), max(ends)
    return (None if low == float("-inf") else int(low)), (
        None if high == float("inf") else int(high)
    )


def stable_span(
    members_in: Mapping[str, list[Period]], year: int | None
) -> tuple[int | None, int | None]:
    """The years around ``year`` in which the same members exist as in ``year``.

    ``members_in`` maps a member (a municipality code) to its timeline. A map layer drawn for
    ``year`` holds exactly for these years. ``year=None`` means the newest division.
    """
    bounds = sorted(
        {p.valid_from for t in members_in.values() for p in t if p.valid_from is not None}
        | {p.valid_until + 1 for t in members_in.values() for p in t if p.valid_until is not None}
    )
    if not bounds:
        return None, None
    if year is None:
        year = bounds[-1]

    def members(y: int) -> frozenset[str]:
        return frozenset(code for code, t in members_in.items() if covering(t, y))

    wanted = members(year)
    # The membership can only change at a bound, so checking those is enough.
    earlier = [b for b in bounds if b <= year]
    later = [b for b in bounds if b > year]
    start = None
    for bound in reversed(earlier):
        if members(bound - 1) != wanted:
            start = bound
            break
    end = None
    for bound in later:
        if members(bound) != wanted:
            end = bound - 1
            break
    return start, end

"""Deadlines: the instant decides, the programme's zone shows it, daylight saving both ways."""

import calendar
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from regionet.programmes.deadlines import (
    AmbiguousLocalTime,
    NonExistentLocalTime,
    format_deadline,
    instant_at,
    is_in_time,
    is_open,
    local,
    time_left,
    zone_name,
)

HELSINKI = "Europe/Helsinki"
STOCKHOLM = "Europe/Stockholm"
NBSP = "\xa0"

# The idea phase of 2021 closed 15.4.2021 at 16.15 Finnish summer time (UTC+3).
IDEA_CLOSES = datetime(2021, 4, 15, 13, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "15.4.2021 klo 16.15 Suomen aikaa"),
        ("sv", "15.4.2021 kl. 16.15 finsk tid"),
        ("en", "15 April 2021 at 16:15 Finnish time"),
    ],
)
def test_the_idea_phase_deadline_reads_in_each_language(language, expected):
    assert format_deadline(IDEA_CLOSES, HELSINKI, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "15.4.2021 klo 15.15 Ruotsin aikaa"),
        ("sv", "15.4.2021 kl. 15.15 svensk tid"),
        ("en", "15 April 2021 at 15:15 Swedish time"),
    ],
)
def test_the_same_instant_in_swedish_time(language, expected):
    assert format_deadline(IDEA_CLOSES, STOCKHOLM, language) == expected


def test_the_active_language_is_the_default():
    with translation.override("sv"):
        assert format_deadline(IDEA_CLOSES, HELSINKI) == "15.4.2021 kl. 16.15 finsk tid"


def test_single_digit_hours_and_minutes():
    instant = datetime(2021, 1, 5, 7, 5, tzinfo=UTC)  # 9.05 in Helsinki (UTC+2)
    assert format_deadline(instant, HELSINKI, "fi") == "5.1.2021 klo 9.05 Suomen aikaa"
    assert format_deadline(instant, HELSINKI, "sv") == "5.1.2021 kl. 9.05 finsk tid"
    assert format_deadline(instant, HELSINKI, "en") == "5 January 2021 at 09:05 Finnish time"


# --- A phase closing at 16.15 on the Sundays the clocks change -----------------------------


@pytest.mark.parametrize(
    ("zone", "wall_time", "utc"),
    [
        # Clocks go forward in the night before: 16.15 is summer time.
        (HELSINKI, datetime(2021, 3, 28, 16, 15), datetime(2021, 3, 28, 13, 15, tzinfo=UTC)),
        (STOCKHOLM, datetime(2021, 3, 28, 16, 15), datetime(2021, 3, 28, 14, 15, tzinfo=UTC)),
        # Clocks go back in the night before: 16.15 is standard time.
        (HELSINKI, datetime(2021, 10, 31, 16, 15), datetime(2021, 10, 31, 14, 15, tzinfo=UTC)),
        (STOCKHOLM, datetime(2021, 10, 31, 16, 15), datetime(2021, 10, 31, 15, 15, tzinfo=UTC)),
        # The day before each change, for contrast.
        (HELSINKI, datetime(2021, 3, 27, 16, 15), datetime(2021, 3, 27, 14, 15, tzinfo=UTC)),
        (HELSINKI, datetime(2021, 10, 30, 16, 15), datetime(2021, 10, 30, 13, 15, tzinfo=UTC)),
    ],
)
def test_a_deadline_on_a_daylight_saving_sunday_is_the_right_instant(zone, wall_time, utc):
    instant = instant_at(wall_time, zone)
    assert instant == utc
    assert instant.tzinfo == UTC
    assert local(instant, zone).replace(tzinfo=None) == wall_time


@pytest.mark.parametrize(
    ("zone", "utc", "language", "expected"),
    [
        (
            HELSINKI,
            datetime(2021, 3, 28, 13, 15, tzinfo=UTC),
            "fi",
            "28.3.2021 klo 16.15 Suomen aikaa",
        ),
        (
            HELSINKI,
            datetime(2021, 10, 31, 14, 15, tzinfo=UTC),
            "fi",
            "31.10.2021 klo 16.15 Suomen aikaa",
        ),
        (
            STOCKHOLM,
            datetime(2021, 3, 28, 14, 15, tzinfo=UTC),
            "sv",
            "28.3.2021 kl. 16.15 svensk tid",
        ),
        (
            STOCKHOLM,
            datetime(2021, 10, 31, 15, 15, tzinfo=UTC),
            "en",
            "31 October 2021 at 16:15 Swedish time",
        ),
    ],
)
def test_a_deadline_on_a_daylight_saving_sunday_reads_as_set(zone, utc, language, expected):
    assert format_deadline(utc, zone, language) == expected


@pytest.mark.parametrize(
    ("zone", "now", "closes", "fi", "en"),
    [
        # From 16.15 on Saturday to 16.15 on Sunday: 23 hours in spring, 25 in autumn.
        (
            HELSINKI,
            datetime(2021, 3, 27, 16, 15),
            datetime(2021, 3, 28, 16, 15),
            f"23{NBSP}tuntia",
            f"23{NBSP}hours",
        ),
        (
            HELSINKI,
            datetime(2021, 10, 30, 16, 15),
            datetime(2021, 10, 31, 16, 15),
            f"1{NBSP}päivä, 1{NBSP}tunti",
            f"1{NBSP}day, 1{NBSP}hour",
        ),
        (
            STOCKHOLM,
            datetime(2021, 3, 27, 16, 15),
            datetime(2021, 3, 28, 16, 15),
            f"23{NBSP}tuntia",
            f"23{NBSP}hours",
        ),
        (
            STOCKHOLM,
            datetime(2021, 10, 30, 16, 15),
            datetime(2021, 10, 31, 16, 15),
            f"1{NBSP}päivä, 1{NBSP}tunti",
            f"1{NBSP}day, 1{NBSP}hour",
        ),
    ],
)
def test_time_left_across_a_clock_change_is_real_time(zone, now, closes, fi, en):
    now, closes = instant_at(now, zone), instant_at(closes, zone)
    assert time_left(closes, now, "fi") == fi
    assert time_left(closes, now, "en") == en


def test_time_left_in_words():
    assert time_left(IDEA_CLOSES, IDEA_CLOSES - timedelta(days=2, hours=3), "fi") == (
        f"2{NBSP}päivää, 3{NBSP}tuntia"
    )
    assert time_left(IDEA_CLOSES, IDEA_CLOSES - timedelta(days=2, hours=3), "sv") == (
        f"2{NBSP}dagar, 3{NBSP}timmar"
    )
    assert time_left(IDEA_CLOSES, IDEA_CLOSES - timedelta(minutes=5), "en") == f"5{NBSP}minutes"
    assert time_left(IDEA_CLOSES, IDEA_CLOSES - timedelta(seconds=59), "fi") == "alle minuutti"
    assert time_left(IDEA_CLOSES, IDEA_CLOSES, "sv") == "mindre än en minut"
    assert time_left(IDEA_CLOSES, IDEA_CLOSES, "en") == "less than a minute"
    assert time_left(IDEA_CLOSES, IDEA_CLOSES + timedelta(microseconds=1), "en") == ""


def test_months_left_have_no_space_before_the_comma():
    now = IDEA_CLOSES - timedelta(days=100)
    assert time_left(IDEA_CLOSES, now, "fi") == f"3{NBSP}kuukautta, 1{NBSP}viikko"
    assert time_left(IDEA_CLOSES, now, "sv") == f"3{NBSP}månader, 1{NBSP}vecka"


# --- The repeated autumn hour and the skipped spring hour ----------------------------------


def test_the_repeated_hour_reads_differently_twice():
    first = datetime(2021, 10, 31, 0, 30, tzinfo=UTC)  # 3.30 summer time (UTC+3)
    second = datetime(2021, 10, 31, 1, 30, tzinfo=UTC)  # 3.30 standard time (UTC+2)
    assert local(first, HELSINKI).hour == local(second, HELSINKI).hour == 3
    assert format_deadline(first, HELSINKI, "fi") == "31.10.2021 klo 3.30 Suomen kesäaikaa"
    assert format_deadline(second, HELSINKI, "fi") == "31.10.2021 klo 3.30 Suomen normaaliaikaa"
    assert format_deadline(first, HELSINKI, "sv") == "31.10.2021 kl. 3.30 finsk sommartid"
    assert format_deadline(second, HELSINKI, "sv") == "31.10.2021 kl. 3.30 finsk normaltid"
    assert format_deadline(first, HELSINKI, "en") == (
        "31 October 2021 at 03:30 Finnish summer time"
    )
    assert format_deadline(second, HELSINKI, "en") == (
        "31 October 2021 at 03:30 Finnish standard time"
    )
    stockholm_first = datetime(2021, 10, 31, 0, 30, tzinfo=UTC)  # 2.30 CEST
    stockholm_second = datetime(2021, 10, 31, 1, 30, tzinfo=UTC)  # 2.30 CET
    assert format_deadline(stockholm_first, STOCKHOLM, "fi") == (
        "31.10.2021 klo 2.30 Ruotsin kesäaikaa"
    )
    assert format_deadline(stockholm_second, STOCKHOLM, "sv") == (
        "31.10.2021 kl. 2.30 svensk normaltid"
    )


def test_the_hour_next_to_the_repeated_one_names_the_zone_plainly():
    just_after = datetime(2021, 10, 31, 2, 0, tzinfo=UTC)  # 4.00 standard time
    assert format_deadline(just_after, HELSINKI, "fi") == "31.10.2021 klo 4.00 Suomen aikaa"


@pytest.mark.parametrize(
    ("zone", "wall_time"),
    [(HELSINKI, datetime(2021, 10, 31, 3, 30)), (STOCKHOLM, datetime(2021, 10, 31, 2, 0))],
)
def test_a_wall_time_in_the_repeated_hour_is_no_deadline(zone, wall_time):
    with pytest.raises(AmbiguousLocalTime):
        instant_at(wall_time, zone)


@pytest.mark.parametrize(
    ("zone", "wall_time"),
    [(HELSINKI, datetime(2021, 3, 28, 3, 30)), (STOCKHOLM, datetime(2021, 3, 28, 2, 0))],
)
def test_a_wall_time_the_clocks_skip_is_no_deadline(zone, wall_time):
    with pytest.raises(NonExistentLocalTime):
        instant_at(wall_time, zone)


def test_the_edges_of_the_skipped_hour_exist():
    assert instant_at(datetime(2021, 3, 28, 2, 59), HELSINKI) == datetime(
        2021, 3, 28, 0, 59, tzinfo=UTC
    )
    assert instant_at(datetime(2021, 3, 28, 4, 0), HELSINKI) == datetime(
        2021, 3, 28, 1, 0, tzinfo=UTC
    )


def test_instants_need_a_time_zone():
    with pytest.raises(ValueError, match="no time zone"):
        format_deadline(datetime(2021, 4, 15, 16, 15), HELSINKI, "fi")
    with pytest.raises(ValueError, match="no time zone"):
        is_in_time(IDEA_CLOSES, datetime(2021, 4, 15, 13, 15))
    with pytest.raises(ValueError, match="without a time zone"):
        instant_at(IDEA_CLOSES, HELSINKI)


# --- In time or not ------------------------------------------------------------------------


def test_the_deadline_instant_itself_is_in_time_and_a_millisecond_later_is_not():
    assert is_in_time(IDEA_CLOSES, IDEA_CLOSES) is True
    assert is_in_time(IDEA_CLOSES, IDEA_CLOSES - timedelta(microseconds=1)) is True
    assert is_in_time(IDEA_CLOSES, IDEA_CLOSES + timedelta(milliseconds=1)) is False
    assert is_in_time(IDEA_CLOSES, IDEA_CLOSES + timedelta(microseconds=1)) is False


def test_the_same_instant_in_another_zone_is_the_same_instant():
    received = IDEA_CLOSES.astimezone(ZoneInfo(STOCKHOLM))  # 15.15 in Stockholm
    assert is_in_time(IDEA_CLOSES, received) is True
    assert is_in_time(IDEA_CLOSES, received + timedelta(milliseconds=1)) is False


def test_a_phase_is_open_from_its_first_to_its_last_instant():
    opens = datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
    assert is_open(opens, IDEA_CLOSES, opens) is True
    assert is_open(opens, IDEA_CLOSES, IDEA_CLOSES) is True
    assert is_open(opens, IDEA_CLOSES, opens - timedelta(microseconds=1)) is False
    assert is_open(opens, IDEA_CLOSES, IDEA_CLOSES + timedelta(milliseconds=1)) is False


# --- For any instant and zone, the wall time zoneinfo gives --------------------------------

ZONES = sorted(available_timezones() - {"Factory", "localtime"})
PATTERNS = {
    "fi": re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}) klo (\d{1,2})\.(\d{2}) (.+)$"),
    "sv": re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}) kl\. (\d{1,2})\.(\d{2}) (.+)$"),
    "en": re.compile(r"^(\d{1,2}) ([A-Z][a-z]+) (\d{4}) at (\d{2}):(\d{2}) (.+)$"),
}
MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}


@settings(max_examples=300, deadline=None)
@given(
    instant=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from([HELSINKI, STOCKHOLM, *ZONES]),
    language=st.sampled_from(["fi", "sv", "en"]),
)
def test_format_deadline_shows_the_wall_time_zoneinfo_gives(instant, zone, language):
    expected = instant.astimezone(ZoneInfo(zone))
    match = PATTERNS[language].match(format_deadline(instant, zone, language))
    assert match is not None
    day, month, year, hour, minute, named_zone = match.groups()
    month = MONTHS[month] if language == "en" else int(month)
    assert (int(year), month, int(day), int(hour), int(minute)) == (
        expected.year,
        expected.month,
        expected.day,
        expected.hour,
        expected.minute,
    )
    with translation.override(language):
        assert named_zone == zone_name(zone, expected)


@settings(max_examples=300, deadline=None)
@given(
    wall_time=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 12, 31)),
    zone=st.sampled_from([HELSINKI, STOCKHOLM]),
)
def test_instant_at_gives_the_instant_whose_wall_time_it_was_given(wall_time, zone):
    try:
        instant = instant_at(wall_time, zone)
    except (AmbiguousLocalTime, NonExistentLocalTime):
        earlier = wall_time.replace(tzinfo=ZoneInfo(zone), fold=0)
        later = wall_time.replace(tzinfo=ZoneInfo(zone), fold=1)
        assert earlier.utcoffset() != later.utcoffset()
    else:
        assert local(instant, zone).replace(tzinfo=None) == wall_time


def test_a_receipt_names_the_second_in_each_language():
    instant = datetime(2021, 4, 15, 13, 14, 59, 999000, tzinfo=UTC)
    assert format_deadline(instant, "Europe/Helsinki", "fi", seconds=True) == (
        "15.4.2021 klo 16.14.59 Suomen aikaa"
    )
    assert format_deadline(instant, "Europe/Helsinki", "sv", seconds=True) == (
        "15.4.2021 kl. 16.14.59 finsk tid"
    )
    assert format_deadline(instant, "Europe/Stockholm", "en", seconds=True) == (
        "15 April 2021 at 15:14:59 Swedish time"
    )

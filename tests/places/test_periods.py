"""The period arithmetic behind municipality periods and boundary validity."""

from regionet.places.periods import (
    Period,
    apply_snapshot,
    assign,
    collapse_years,
    covering,
    normalise,
    span,
    stable_span,
)


def test_collapse_years_joins_equal_years_and_opens_the_ends_of_the_history():
    facts = {2013: "A", 2014: "A", 2015: "B", 2016: "B", 2017: "B"}
    assert collapse_years(facts, 2013, 2017) == [Period(None, 2014, "A"), Period(2015, None, "B")]


def test_collapse_years_closes_a_municipality_that_disappears_within_the_history():
    # Honkajoki: in the key until 2020, merged into Kankaanpää from 2021.
    facts = dict.fromkeys(range(2013, 2021), "04")
    assert collapse_years(facts, 2013, 2026) == [Period(None, 2020, "04")]


def test_collapse_years_keeps_a_gap_as_a_gap():
    facts = {2013: "A", 2015: "A"}
    assert collapse_years(facts, 2013, 2015) == [Period(None, 2013, "A"), Period(2015, None, "A")]


def test_normalise_joins_only_adjacent_equal_periods():
    timeline = [Period(2021, None, "A"), Period(2019, 2020, "A"), Period(None, 2017, "A")]
    assert normalise(timeline) == [Period(None, 2017, "A"), Period(2019, None, "A")]


def test_assign_splits_a_period_around_the_assigned_years():
    timeline = [Period(None, None, "A")]
    assert assign(timeline, 2021, 2024, "B") == [
        Period(None, 2020, "A"),
        Period(2021, 2024, "B"),
        Period(2025, None, "A"),
    ]


def test_assign_none_removes_the_years():
    assert assign([Period(2013, None, "A")], 2025, None, None) == [Period(2013, 2024, "A")]


def test_a_snapshot_holds_until_the_next_known_change():
    # Only the 2021 and 2025 divisions are known: 2021 holds until 2024.
    timeline = apply_snapshot([], 2021, "10")
    assert timeline == [Period(2021, None, "10")]
    assert apply_snapshot(timeline, 2025, "11") == [
        Period(2021, 2024, "10"),
        Period(2025, None, "11"),
    ]


def test_a_snapshot_without_the_municipality_ends_it_the_year_before():
    # Pertunmaa is not in the 2025 division.
    assert apply_snapshot([Period(2021, None, "10")], 2025, None) == [Period(2021, 2024, "10")]


def test_a_snapshot_that_agrees_changes_nothing():
    timeline = [Period(None, 2020, "10"), Period(2021, None, "12")]
    assert apply_snapshot(timeline, 2021, "12") == timeline
    assert apply_snapshot(timeline, 2018, "10") == timeline


def test_a_snapshot_in_a_gap_fills_it_up_to_the_next_period():
    timeline = [Period(None, 2014, "A"), Period(2020, None, "B")]
    assert apply_snapshot(timeline, 2016, "C") == [
        Period(None, 2014, "A"),
        Period(2016, 2019, "C"),
        Period(2020, None, "B"),
    ]


def test_covering_and_span():
    timeline = [Period(None, 2020, "A"), Period(2021, 2024, "B")]
    assert covering(timeline, 1990) == Period(None, 2020, "A")
    assert covering(timeline, 2024) == Period(2021, 2024, "B")
    assert covering(timeline, 2025) is None
    assert span(timeline) == (None, 2024)
    assert span([]) == (None, None)


def test_stable_span_is_the_years_with_the_same_members():
    timelines = {
        "099": [Period(None, 2020, "04")],  # Honkajoki, merged 2021
        "588": [Period(None, 2024, "10")],  # Pertunmaa, merged 2025
        "507": [Period(None, 2014, "10"), Period(2015, None, "10x")],  # reclassified only
    }
    assert stable_span(timelines, 2023) == (2021, 2024)
    assert stable_span(timelines, 2025) == (2025, None)
    assert stable_span(timelines, 2010) == (None, 2020)
    assert stable_span(timelines, None) == (2025, None)
    assert stable_span({"0114": [Period(None, None, "01")]}, None) == (None, None)

"""Budget arithmetic: totals reconcile to the cent, indirect costs round half up, the financing
plan balances exactly when it equals the net costs to the cent, and the caps are exact."""

from decimal import Decimal

from hypothesis import assume, example, given
from hypothesis import strategies as st

from regionet.applications.budget import (
    ENTERED_CATEGORIES,
    ZERO,
    check_financing,
    indirect_costs,
    percent_of,
    to_cents,
    totals,
)
from regionet.applications.models import CostCategory

CENT = Decimal("0.01")
YEARS = (2021, 2022, 2023)
CATEGORIES = tuple(CostCategory.values)

amounts = st.decimals(
    min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False
)
cost_rows = st.lists(
    st.tuples(st.sampled_from(YEARS), st.sampled_from(CATEGORIES), amounts), max_size=30
)
income_rows = st.lists(st.tuples(st.sampled_from(YEARS), amounts), max_size=6)
percents = st.decimals(min_value=0, max_value=100, places=2)


def cents(amount: Decimal) -> int:
    return int(amount * 100)


@given(cost_rows, income_rows)
def test_totals_reconcile_to_the_cent(costs, income):
    budget = totals(costs, income)

    expected = sum((amount for _, _, amount in costs), ZERO)
    by_years = sum((budget.costs_in(year) for year in YEARS), ZERO)
    by_categories = sum((budget.category_total(category) for category in CATEGORIES), ZERO)
    assert budget.total_costs == by_years == by_categories == expected
    assert budget.total_income == sum((amount for _, amount in income), ZERO)
    assert budget.net_costs == budget.total_costs - budget.total_income
    for year in YEARS:
        assert budget.costs_in(year) == sum((amount for y, _, amount in costs if y == year), ZERO)
    assert budget.total_costs == budget.total_costs.quantize(CENT)
    assert budget.years == sorted({y for y, _, _ in costs} | {y for y, _ in income})


def test_an_empty_budget_is_zero():
    budget = totals([], [])

    assert (budget.total_costs, budget.total_income, budget.net_costs) == (ZERO, ZERO, ZERO)
    assert budget.years == []


@given(amounts, percents)
@example(Decimal("0.10"), Decimal("15.00"))  # 0,015 → 0,02
@example(Decimal("0.30"), Decimal("15.00"))  # 0,045 → 0,05
@example(Decimal("33.33"), Decimal("15.00"))  # 4,9995 → 5,00
@example(Decimal("0.01"), Decimal("50.00"))  # 0,005 → 0,01
def test_indirect_costs_round_half_up_to_the_cent(personnel, percent):
    # In whole cents times 10 000 (percent has two places): exact integer arithmetic.
    exact = cents(personnel) * int(percent * 100)
    rounded = (2 * exact + 10_000) // 20_000

    assert indirect_costs(personnel, percent) == Decimal(rounded) / 100
    assert indirect_costs(personnel, percent) == indirect_costs(personnel, percent).quantize(CENT)


def test_indirect_costs_examples():
    assert indirect_costs(Decimal("0.10"), Decimal("15")) == Decimal("0.02")
    assert indirect_costs(Decimal("60000.00"), Decimal("15.00")) == Decimal("9000.00")
    assert indirect_costs(Decimal("1000.00"), Decimal("0")) == Decimal("0.00")


@given(cost_rows, income_rows, st.integers(min_value=-2, max_value=2), st.data())
def test_the_financing_balances_iff_it_equals_the_net_costs_to_the_cent(
    costs, income, cents_off, data
):
    budget = totals(costs, income)
    target = budget.net_costs + Decimal(cents_off) / 100
    assume(target >= 0)
    aid = data.draw(st.decimals(min_value=0, max_value=target, places=2), label="aid")
    own = data.draw(st.decimals(min_value=0, max_value=target - aid, places=2), label="own")
    other = target - aid - own

    check = check_financing(
        budget,
        aid_requested=aid,
        own_financing=own,
        other_public_funding=other,
        max_aid_percent=Decimal("80"),
        min_own_percent=Decimal("20"),
    )

    assert check.total_financing == target
    assert check.net_costs == budget.net_costs
    assert check.balanced is (cents_off == 0)


def test_percent_of_nothing_is_none():
    assert percent_of(Decimal("1.00"), ZERO) is None
    assert percent_of(Decimal("1"), Decimal("3")) == Decimal("33.33")
    assert percent_of(Decimal("2"), Decimal("3")) == Decimal("66.67")


def financing(aid, own, net="100000.00"):
    budget = totals([(2021, "other", Decimal(net))], [])
    return check_financing(
        budget,
        aid_requested=Decimal(aid),
        own_financing=Decimal(own),
        other_public_funding=ZERO,
        max_aid_percent=Decimal("80.00"),
        min_own_percent=Decimal("20.00"),
    )


def test_the_caps_at_their_limits():
    at_limit = financing("80000.00", "20000.00")
    over = financing("80010.00", "19990.00")

    assert (at_limit.aid_percent, at_limit.aid_within_cap) == (Decimal("80.00"), True)
    assert (at_limit.own_percent, at_limit.own_financing_sufficient) == (Decimal("20.00"), True)
    assert (over.aid_percent, over.aid_within_cap) == (Decimal("80.01"), False)
    assert (over.own_percent, over.own_financing_sufficient) == (Decimal("19.99"), False)


def test_the_caps_are_exact():
    # 80 004 € of 100 000 € is 80,004 %, shown as 80,00 %: still over an 80 % cap.
    check = financing("80004.00", "19996.00")

    assert check.aid_within_cap is False
    assert check.own_financing_sufficient is False


def test_to_cents_rounds_half_up():
    assert to_cents(Decimal("0.005")) == Decimal("0.01")
    assert to_cents(Decimal("0.0049")) == Decimal("0.00")
    assert to_cents(Decimal("2.675")) == Decimal("2.68")


def test_the_entered_categories_leave_out_the_computed_indirect_costs():
    assert ENTERED_CATEGORIES == ("personnel", "purchased_services", "travel", "other")
    assert "indirect" not in ENTERED_CATEGORIES

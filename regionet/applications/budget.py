"""Budget arithmetic of an application: totals per year, flat-rate indirect costs, the aid share.

Pure functions on ``Decimal`` values (two places, rounded half up to the cent), so that the
sums shown to the applicant, checked before submitting and stored in the snapshot are the
same to the cent.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import CostCategory

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# The categories the applicant enters; indirect costs follow from personnel costs.
ENTERED_CATEGORIES = (
    CostCategory.PERSONNEL,
    CostCategory.PURCHASED_SERVICES,
    CostCategory.TRAVEL,
    CostCategory.OTHER,
)


def to_cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def indirect_costs(personnel: Decimal, percent: Decimal) -> Decimal:
    """The flat-rate indirect costs: ``percent`` of the personnel costs, to the cent."""
    return to_cents(Decimal(personnel) * Decimal(percent) / 100)


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` with two decimals; None when ``whole`` is zero."""
    if not whole:
        return None
    return to_cents(Decimal(part) * 100 / Decimal(whole))


@dataclass(frozen=True)
class BudgetTotals:
    """The sums of a budget: costs per year and category, income, and the net costs."""

    costs: Mapping[int, Mapping[str, Decimal]] = field(default_factory=dict)
    income: Mapping[int, Decimal] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted(set(self.costs) | set(self.income))

    def costs_in(self, year: int) -> Decimal:
        return sum(self.costs.get(year, {}).values(), ZERO)

    def category_total(self, category: str) -> Decimal:
        return sum((row.get(category, ZERO) for row in self.costs.values()), ZERO)

    @property
    def total_costs(self) -> Decimal:
        return sum((self.costs_in(year) for year in self.costs), ZERO)

    @property
    def total_income(self) -> Decimal:
        return sum(self.income.values(), ZERO)

    @property
    def net_costs(self) -> Decimal:
        """What the financing plan must cover: costs less the project's own income."""
        return self.total_costs - self.total_income


def totals(
    cost_rows: Iterable[tuple[int, str, Decimal]], income_rows: Iterable[tuple[int, Decimal]]
) -> BudgetTotals:
    costs: dict[int, dict[str, Decimal]] = {}
    for year, category, amount in cost_rows:
        by_category = costs.setdefault(int(year), {})
        by_category[category] = by_category.get(category, ZERO) + to_cents(amount)
    income: dict[int, Decimal] = {}
    for year, amount in income_rows:
        income[int(year)] = income.get(int(year), ZERO) + to_cents(amount)
    return BudgetTotals(costs=costs, income=income)


@dataclass(frozen=True)
class FinancingCheck:
    """How the financing plan meets the budget and the programme's caps.

    The shares are rounded for display; the caps are compared exactly (80,004 % is over 80 %).
    """

    net_costs: Decimal
    total_financing: Decimal
    aid_percent: Decimal | None
    own_percent: Decimal | None
    max_aid_percent: Decimal
    min_own_percent: Decimal
    aid_within_cap: bool
    own_financing_sufficient: bool

    @property
    def balanced(self) -> bool:
        return self.total_financing == self.net_costs

    @property
    def has_costs_to_cover(self) -> bool:
        """Whether there is anything to check the plan against: with no costs (less income)
        the plan neither covers them "exactly" nor has shares."""
        return self.net_costs > 0


def check_financing(
    budget: BudgetTotals,
    *,
    aid_requested: Decimal,
    own_financing: Decimal,
    other_public_funding: Decimal,
    max_aid_percent: Decimal,
    min_own_percent: Decimal,
) -> FinancingCheck:
    aid, own = to_cents(aid_requested), to_cents(own_financing)
    total = aid + own + to_cents(other_public_funding)
    net = budget.net_costs
    max_aid_percent, min_own_percent = Decimal(max_aid_percent), Decimal(min_own_percent)
    return FinancingCheck(
        net_costs=net,
        total_financing=total,
        aid_percent=percent_of(aid, net),
        own_percent=percent_of(own, net),
        max_aid_percent=max_aid_percent,
        min_own_percent=min_own_percent,
        aid_within_cap=net > 0 and aid * 100 <= max_aid_percent * net,
        own_financing_sufficient=net > 0 and own * 100 >= min_own_percent * net,
    )

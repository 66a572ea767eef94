"""An instrument's eligibility rules, evaluated on the facts of a consortium, in plain language.

``check_eligibility(rules, facts)`` is pure: it takes the rules (``EligibilityRules``, read from
an instrument once with ``EligibilityRules.of(instrument)``) and the consortium's facts
(``ConsortiumFacts``) and returns one ``RuleResult`` per rule, each with a message in the active
language such as "At least 4 participating municipalities: 3 listed". A rule whose requirement
is empty or zero is not applied. ``describe_rules(instrument)`` states the same rules for the
public call page.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from babel import Locale
from babel.lists import format_list
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from django.utils.translation import gettext_lazy as _

from regionet.accounts.models import Organisation

# Applicant types as a call names them ("Applicants: municipalities, …").
APPLICANT_TYPES_PLURAL = {
    Organisation.Type.MUNICIPALITY: _("municipalities"),
    Organisation.Type.JOINT_MUNICIPAL_AUTHORITY: _("joint municipal authorities"),
    Organisation.Type.DEVELOPMENT_ORGANISATION: _("development organisations"),
    Organisation.Type.EDUCATIONAL_INSTITUTION: _("educational institutions"),
    Organisation.Type.NGO: _("organisations (NGOs)"),
    Organisation.Type.LEADER_GROUP: _("LEADER groups"),
    Organisation.Type.REGIONAL_COUNCIL: _("regional councils and regions"),
    Organisation.Type.STATE_AUTHORITY: _("state authorities"),
    Organisation.Type.COMPANY: _("companies"),
    Organisation.Type.OTHER: _("other organisations"),
}

# The codes of the rules, in the order they are checked and described.
COORDINATOR_TYPE = "coordinator_type"
PARTNER_TYPES = "partner_types"
COUNTRIES = "countries"
MIN_MUNICIPALITIES = "min_municipalities"
MIN_REGIONS = "min_regions"
MIN_PARTNERS = "min_partners"


@dataclass(frozen=True)
class EarmarkRule:
    """Who may use an earmark: with ``regional_towns_only``, consortia of regional towns only."""

    code: str
    regional_towns_only: bool = False
    regional_towns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class EligibilityRules:
    """An instrument's rules as plain values (applicant types are Organisation.Type codes)."""

    allowed_applicant_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 codes
    min_municipalities: int = 0
    min_regions: int = 0
    min_partners: int = 0
    earmarks: tuple[EarmarkRule, ...] = ()

    @classmethod
    def of(cls, instrument) -> "EligibilityRules":
        """The rules of ``instrument``: a query for its countries and one for its earmarks
        (none if prefetched), and one for the regional towns if an earmark needs them."""
        earmarks = instrument.earmarks.all()
        towns = None
        if any(earmark.regional_towns_only for earmark in earmarks):
            towns = frozenset(instrument.call.programme.regional_towns.values_list("pk", flat=True))
        return cls(
            allowed_applicant_types=tuple(instrument.allowed_applicant_types),
            countries=tuple(sorted(country.code for country in instrument.countries.all())),
            min_municipalities=instrument.min_municipalities,
            min_regions=instrument.min_regions,
            min_partners=instrument.min_partners,
            earmarks=tuple(
                EarmarkRule(
                    code=earmark.code,
                    regional_towns_only=earmark.regional_towns_only,
                    regional_towns=towns if earmark.regional_towns_only else frozenset(),
                )
                for earmark in earmarks
            ),
        )


@dataclass(frozen=True)
class ConsortiumFacts:
    """What the rules look at in an application's consortium.

    ``municipality_regions`` maps each participating municipality (id) to the region (id) it
    belonged to in the year that counts (``municipality_regions_in``); ``countries`` are the
    ISO codes of the coordinator's and partners' countries.
    """

    coordinator_type: str
    partner_types: tuple[str, ...] = ()
    municipality_regions: Mapping[int, int | None] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()
    confirmed_partners: int = 0

    @property
    def region_count(self) -> int:
        return len({r for r in self.municipality_regions.values() if r is not None})


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    message: str


def _language() -> str:
    return (get_language() or "fi")[:2]


def type_label(code: str) -> str:
    try:
        return str(Organisation.Type(code).label)
    except ValueError:
        return code


def type_plural(code: str) -> str:
    return str(APPLICANT_TYPES_PLURAL.get(code, type_label(code)))


def country_name(code: str) -> str:
    return Locale.parse(_language()).territories.get(code, code)


def _join(items: Iterable[str], style: str = "standard") -> str:
    items = list(items)
    return format_list(items, style=style, locale=_language()) if items else ""


def _min_municipalities_rule(count: int) -> str:
    return ngettext(
        "At least %(count)d participating municipality",
        "At least %(count)d participating municipalities",
        count,
    ) % {"count": count}


def _min_regions_rule(count: int) -> str:
    return ngettext(
        "Municipalities in at least %(count)d region",
        "Municipalities in at least %(count)d regions",
        count,
    ) % {"count": count}


def _min_partners_rule(count: int) -> str:
    return ngettext(
        "At least %(count)d confirmed partner",
        "At least %(count)d confirmed partners",
        count,
    ) % {"count": count}


def _countries(codes: Iterable[str], style: str = "standard") -> str:
    return _join((country_name(code) for code in codes), style)


def _not_allowed(items: str) -> str:
    return gettext("not allowed: %(items)s") % {"items": items}


def _fact(rule: str, fact: str) -> str:
    return gettext("%(rule)s: %(fact)s") % {"rule": rule, "fact": fact}


def check_eligibility(
    rules: EligibilityRules, facts: ConsortiumFacts, language: str | None = None
) -> list[RuleResult]:
    """Each rule of ``rules`` applied to ``facts``, with messages in ``language`` (or active)."""
    with translation.override(language or get_language()):
        return list(_check(rules, facts))


def _check(rules: EligibilityRules, facts: ConsortiumFacts):
    allowed = set(rules.allowed_applicant_types)
    if allowed:
        yield RuleResult(
            COORDINATOR_TYPE,
            facts.coordinator_type in allowed,
            _fact(gettext("Coordinator of an allowed type"), type_label(facts.coordinator_type)),
        )
        refused = sorted({t for t in facts.partner_types if t not in allowed})
        if refused:
            fact = _not_allowed(_join(type_label(t) for t in refused))
        elif facts.partner_types:
            fact = gettext("all allowed")
        else:
            fact = gettext("no partners")
        yield RuleResult(
            PARTNER_TYPES, not refused, _fact(gettext("Partners of allowed types"), fact)
        )
    if rules.countries:
        outside = sorted(facts.countries - set(rules.countries))
        fact = _not_allowed(_countries(outside)) if outside else pgettext("organisations", "all")
        rule = gettext("Organisations in allowed countries (%(countries)s)") % {
            "countries": _countries(rules.countries)
        }
        yield RuleResult(COUNTRIES, not outside, _fact(rule, fact))
    if rules.min_municipalities:
        listed = len(facts.municipality_regions)
        yield RuleResult(
            MIN_MUNICIPALITIES,
            listed >= rules.min_municipalities,
            _fact(
                _min_municipalities_rule(rules.min_municipalities),
                ngettext("%(count)d listed", "%(count)d listed", listed) % {"count": listed},
            ),
        )
    if rules.min_regions:
        regions = facts.region_count
        yield RuleResult(
            MIN_REGIONS,
            regions >= rules.min_regions,
            _fact(
                _min_regions_rule(rules.min_regions),
                npgettext("fact", "%(count)d region", "%(count)d regions", regions)
                % {"count": regions},
            ),
        )
    if rules.min_partners:
        confirmed = facts.confirmed_partners
        yield RuleResult(
            MIN_PARTNERS,
            confirmed >= rules.min_partners,
            _fact(
                _min_partners_rule(rules.min_partners),
                ngettext("%(count)d confirmed", "%(count)d confirmed", confirmed)
                % {"count": confirmed},
            ),
        )


def is_eligible(results: Iterable[RuleResult]) -> bool:
    return all(result.passed for result in results)


def usable_earmarks(rules: EligibilityRules, facts: ConsortiumFacts) -> list[str]:
    """The codes of the earmarks the consortium may be funded from, in the rules' order."""
    municipalities = set(facts.municipality_regions)
    return [
        earmark.code
        for earmark in rules.earmarks
        if not earmark.regional_towns_only
        or (municipalities and municipalities <= earmark.regional_towns)
    ]


def municipality_regions_in(municipality_ids: Iterable[int], year: int) -> dict[int, int | None]:
    """Each municipality's region in ``year`` (one query): input for ``ConsortiumFacts``."""
    from regionet.places.models import MunicipalityPeriod

    regions: dict[int, int | None] = dict.fromkeys(municipality_ids)
    periods = MunicipalityPeriod.objects.valid_in(year).filter(municipality_id__in=list(regions))
    for municipality_id, region_id in periods.values_list("municipality_id", "region_id"):
        regions[municipality_id] = region_id
    return regions


def describe_rules(instrument, language: str | None = None) -> list[str]:
    """The instrument's rules in plain language for the public call page, e.g.
    "Applicants: municipalities, joint municipal authorities, …" and
    "At least 4 municipalities in at least 2 regions".
    """
    rules = EligibilityRules.of(instrument)
    with translation.override(language or get_language()):
        lines = []
        if rules.allowed_applicant_types:
            lines.append(
                gettext("Applicants: %(types)s")
                % {"types": _join(type_plural(t) for t in rules.allowed_applicant_types)}
            )
        if rules.countries:
            lines.append(
                gettext("Organisations' country: %(countries)s")
                % {"countries": _countries(rules.countries, "or")}
            )
        municipalities = npgettext(
            "at least",
            "%(count)d municipality",
            "%(count)d municipalities",
            rules.min_municipalities,
        ) % {"count": rules.min_municipalities}
        regions = npgettext(
            "in at least", "%(count)d region", "%(count)d regions", rules.min_regions
        ) % {"count": rules.min_regions}
        if rules.min_municipalities and rules.min_regions:
            lines.append(
                gettext("At least %(municipalities)s in at least %(regions)s")
                % {"municipalities": municipalities, "regions": regions}
            )
        elif rules.min_municipalities:
            text = gettext("At least %(municipalities)s")
            lines.append(text % {"municipalities": municipalities})
        elif rules.min_regions:
            lines.append(_min_regions_rule(rules.min_regions))
        if rules.min_partners:
            lines.append(_min_partners_rule(rules.min_partners))
        for earmark in instrument.earmarks.all():
            text = gettext("Earmarked funding: %(name)s") % {"name": earmark.name}
            if earmark.rule_description:
                text = _fact(text, earmark.rule_description)
            lines.append(text)
        return [capfirst(line) for line in lines]

"""The checklist an application must pass before it can be submitted, in plain language.

``application_checks(application)`` combines the instrument's eligibility rules (applicant
types, municipalities and regions, confirmed partners: ``programmes.eligibility``) with the
completeness of the draft (title, summary, required answers) and the budget's consistency
(financing covers the net costs to the cent, the aid share within the cap, own financing).
The applicant sees it before submitting, the submit door refuses on any blocking failure,
and the officer sees the same result.
"""

from dataclasses import dataclass

from babel.numbers import format_decimal
from django.urls import reverse
from django.utils.translation import get_language, gettext

from regionet.programmes import eligibility as rules_of_call
from regionet.programmes.money import format_money
from regionet.questionnaires.answers import validate_answers
from regionet.questionnaires.models import Question
from regionet.questionnaires.queries import questions_of

from . import budget as budget_math
from .models import Section


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    message: str
    # A failing blocking check keeps the application from being submitted.
    blocking: bool = True
    # What to put right, each (text, address of the page where it is put right or "").
    details: tuple[tuple[str, str], ...] = ()


def consortium_facts(application) -> rules_of_call.ConsortiumFacts:
    partners = list(application.partners.all())
    return rules_of_call.ConsortiumFacts(
        coordinator_type=application.coordinator.type,
        partner_types=tuple(p.organisation.type for p in partners),
        municipality_regions={
            pk: (region.pk if region is not None else None)
            for pk, region in municipality_regions(application).items()
        },
        countries=frozenset(
            [application.coordinator.country.code] + [p.organisation.country.code for p in partners]
        ),
        confirmed_partners=sum(1 for p in partners if p.is_confirmed),
    )


def municipality_regions(application) -> dict:
    """Each participating municipality (id) → its region in the year that counts (or None),
    in one query, remembered on the application for the checks and the snapshot."""
    cached = application.__dict__.get("_municipality_regions")
    if cached is None:
        from regionet.places.queries import regions_of_municipalities

        from .services import facts_year

        ids = [municipality.pk for municipality in application.municipalities.all()]
        regions = regions_of_municipalities(facts_year(application), ids) if ids else {}
        cached = {pk: regions.get(pk) for pk in ids}
        application.__dict__["_municipality_regions"] = cached
    return cached


def budget_totals(application) -> budget_math.BudgetTotals:
    return budget_math.totals(
        ((r.year, r.category, r.amount) for r in application.budget_rows.all()),
        ((r.year, r.amount) for r in application.income_rows.all()),
    )


def financing_check(application, totals=None) -> budget_math.FinancingCheck:
    programme = application.phase.call.programme
    return budget_math.check_financing(
        totals or budget_totals(application),
        aid_requested=application.aid_requested,
        own_financing=application.own_financing,
        other_public_funding=application.other_public_funding,
        max_aid_percent=programme.max_aid_percent,
        min_own_percent=programme.min_own_financing_percent,
    )


def application_checks(application) -> list[Check]:
    programme = application.phase.call.programme
    currency = programme.currency
    checks = [
        Check("title", bool(application.title.strip()), gettext("The project has a title")),
        Check("summary", bool(application.summary.strip()), gettext("The project has a summary")),
    ]
    version = application.questionnaire_version
    if version is not None:
        problems = validate_answers(version, application.answers)
        checks.append(
            Check(
                "answers",
                not problems,
                gettext("Every required question is answered")
                if not problems
                else gettext("Questions to answer or correct: %(count)d")
                % {"count": len(problems)},
                details=_answer_problems(application, version, problems) if problems else (),
            )
        )
    rules = rules_of_call.EligibilityRules.of(application.instrument)
    for result in rules_of_call.check_eligibility(rules, consortium_facts(application)):
        checks.append(Check(result.code, result.passed, result.message))

    unconfirmed = [p for p in application.partners.all() if not p.is_confirmed]
    checks.append(
        Check(
            "partners_confirmed",
            not unconfirmed,
            gettext("Every partner has confirmed its participation")
            if not unconfirmed
            else gettext("Partners yet to confirm: %(names)s")
            % {"names": ", ".join(str(p.organisation) for p in unconfirmed)},
        )
    )

    totals = budget_totals(application)
    checks.append(
        Check(
            "budget",
            totals.total_costs > 0,
            gettext("The budget has costs: %(total)s")
            % {"total": format_money(totals.total_costs, currency)},
        )
    )
    if totals.net_costs <= 0:
        # Shares of nothing say nothing: an empty plan does not "cover the costs exactly".
        checks.append(
            Check(
                "financing_balanced",
                False,
                gettext(
                    "The financing plan is checked against the costs less income, and there "
                    "are none yet: enter the costs in the budget first"
                ),
            )
        )
        return checks
    financing = financing_check(application, totals)
    checks.append(
        Check(
            "financing_balanced",
            financing.balanced,
            gettext("The financing plan covers the costs less income: %(financing)s of %(net)s")
            % {
                "financing": format_money(financing.total_financing, currency),
                "net": format_money(financing.net_costs, currency),
            },
        )
    )
    checks.append(
        Check(
            "aid_share",
            financing.aid_within_cap,
            gettext("Aid at most %(cap)s %% of the costs: %(share)s %%")
            % {
                "cap": _percent(financing.max_aid_percent),
                "share": _percent(financing.aid_percent),
            },
        )
    )
    if financing.min_own_percent:
        checks.append(
            Check(
                "own_financing",
                financing.own_financing_sufficient,
                gettext("Own financing at least %(minimum)s %% of the costs: %(share)s %%")
                % {
                    "minimum": _percent(financing.min_own_percent),
                    "share": _percent(financing.own_percent),
                },
            )
        )
    return checks


def _answer_problems(application, version, problems) -> tuple[tuple[str, str], ...]:
    """Each problem of the answers (its message names the question), with the address of the
    question on its section page (a file question: on the attachments page)."""
    questions = {question.key: question for question in questions_of(version)}
    details = []
    for key, messages in problems.items():
        question = questions.get(key)
        address = ""
        if question is not None and question.kind == Question.Kind.FILE:
            address = reverse("applications:attachments", kwargs={"pk": application.pk})
            address += f"?question={key}#id_file"
        elif question is not None:
            address = reverse(
                "applications:answers",
                kwargs={"pk": application.pk, "section": question.section_id},
            )
            address += f"#id_{key}"
        details.extend((message, address) for message in messages)
    return tuple(details)


def _percent(value) -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.##", locale=(get_language() or "fi")[:2])


# A change to the first section can make a check fail that only the others can put right:
# the costs decide what the financing plan must cover (financing_balanced, aid_share,
# own_financing). The financing plan alone can always be put right within a fixed budget.
OPENED_WITH = {Section.BUDGET: (Section.FINANCING,)}


def sections_opened_together(application, items) -> list[str]:
    """``items`` (section codes a completion request names) with the sections whose checks
    depend on them, so that no applicant is left with a failing check in a locked section.

    The budget opens the financing plan (``OPENED_WITH``); a questionnaire section with file
    questions opens the attachments, where those questions are answered.
    """
    opened = set(items)
    for item in items:
        opened.update(OPENED_WITH.get(item, ()))
    answer_sections = [
        int(item.split(":", 1)[1])
        for item in opened
        if item.startswith("answers:") and item.split(":", 1)[1].isdigit()
    ]
    if (
        answer_sections
        and application.questionnaire_version_id is not None
        and Question.objects.filter(
            version_id=application.questionnaire_version_id,
            section_id__in=answer_sections,
            kind=Question.Kind.FILE,
        ).exists()
    ):
        opened.add(Section.ATTACHMENTS)
    return sorted(str(item) for item in opened)


def can_submit(checks) -> bool:
    return all(check.passed for check in checks if check.blocking)

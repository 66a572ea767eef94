"""The doors that publish programmes and calls and withdraw their publication.

Each door checks the user's permission, collects every reason to refuse (all of them, so an
officer can fix everything at once), changes the state, and writes the audit event, in one
transaction. A refusal raises ``PublishRefused`` and changes nothing.
"""

import itertools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext

from regionet.audit.services import record
from regionet.questionnaires import services as questionnaires

from .models import Call, Criterion, Phase, Programme, PublicationState
from .money import format_money
from .texts import missing_translations, missing_translations_of_all


class PublishRefused(ValidationError):
    """Publishing (or withdrawing) was refused; ``reasons`` lists why, translated."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__(self.reasons, code="publish_refused")


def _require(user, permission: str, obj) -> None:
    if user is None or not user.has_perm(permission, obj):
        raise PermissionDenied(permission)


def _refresh(obj, locked) -> None:
    """Let the caller's instance show the new state too."""
    obj.state, obj.published_at = locked.state, locked.published_at


def _money(amount, programme: Programme) -> str:
    return format_money(amount, programme.currency, get_language())


# --- What stands in the way ---------------------------------------------------------------


def programme_problems(programme: Programme) -> list[str]:
    """Everything that keeps ``programme`` from being published, state aside."""
    problems = []
    budgets = list(programme.yearly_budgets.all())
    for budget in budgets:
        if budget.year not in programme.years:
            problems.append(
                gettext(
                    "The yearly budget for %(year)d is outside the programme's years "
                    "%(first)d–%(last)d"
                )
                % {"year": budget.year, "first": programme.first_year, "last": programme.last_year}
            )
    yearly_total = sum((budget.amount for budget in budgets), start=0)
    if yearly_total != programme.total_budget:
        problems.append(
            gettext("The yearly budgets sum to %(sum)s, not the total %(total)s")
            % {
                "sum": _money(yearly_total, programme),
                "total": _money(programme.total_budget, programme),
            }
        )
    earmarks = list(programme.earmarks.all())
    earmarked = sum((earmark.amount for earmark in earmarks), start=0)
    if earmarked > programme.total_budget:
        problems.append(
            gettext("Earmarks total %(earmarked)s but the programme budget is %(total)s")
            % {
                "earmarked": _money(earmarked, programme),
                "total": _money(programme.total_budget, programme),
            }
        )
    problems += missing_translations(programme)
    problems += missing_translations_of_all(earmarks)
    problems += missing_translations_of_all(programme.themes.all())
    problems += missing_translations_of_all(programme.zones.all())
    return problems


def _phase_problems(phases: list[Phase]) -> list[str]:
    problems = []
    for phase in phases:
        if phase.closes_at <= phase.opens_at:
            problems.append(gettext("Phase '%(phase)s' closes before it opens") % {"phase": phase})
    for earlier, later in itertools.pairwise(phases):
        if later.opens_at < earlier.closes_at:
            problems.append(
                gettext("Phase '%(later)s' opens before phase '%(earlier)s' closes")
                % {"later": later, "earlier": earlier}
            )
        if earlier.kind == Phase.Kind.FULL and later.kind == Phase.Kind.IDEA:
            problems.append(
                gettext(
                    "The idea phase '%(idea)s' comes after the full application phase '%(full)s'"
                )
                % {"idea": later, "full": earlier}
            )
    if phases and phases[0].requires_invitation:
        problems.append(
            gettext("Phase '%(phase)s' requires an invitation, but no phase comes before it")
            % {"phase": phases[0]}
        )
    return problems


def call_problems(call: Call) -> list[str]:
    """Everything that keeps ``call`` from being published, state aside."""
    problems = []
    programme = call.programme
    if not programme.is_published:
        problems.append(
            gettext("The programme '%(programme)s' is not published") % {"programme": programme}
        )
    instruments = list(call.instruments.prefetch_related("countries", "earmarks"))
    phases = list(call.phases.order_by("order"))
    if not instruments:
        problems.append(gettext("The call has no instruments"))
    if not phases:
        problems.append(gettext("The call has no phases"))
    problems += _phase_problems(phases)
    for instrument in instruments:
        if not instrument.allowed_applicant_types:
            problems.append(
                gettext("Instrument '%(instrument)s' allows no applicant types")
                % {"instrument": instrument}
            )
        if not instrument.countries.all():
            problems.append(
                gettext("Instrument '%(instrument)s' names no countries")
                % {"instrument": instrument}
            )
        for earmark in instrument.earmarks.all():
            if earmark.programme_id != programme.pk:
                problems.append(
                    gettext(
                        "Instrument '%(instrument)s' uses the earmark '%(earmark)s' "
                        "of another programme"
                    )
                    % {"instrument": instrument, "earmark": earmark}
                )
    criteria = list(
        Criterion.objects.filter(phase__call=call)
        .select_related("instrument")
        .order_by("phase__order", "instrument__order", "order", "pk")
    )
    for criterion in criteria:
        if criterion.instrument.call_id != call.pk:
            problems.append(
                gettext("Criterion '%(criterion)s' belongs to an instrument of another call")
                % {"criterion": criterion}
            )
    problems += missing_translations(call)
    problems += missing_translations_of_all(call.contacts.all())
    problems += missing_translations_of_all(instruments)
    problems += missing_translations_of_all(phases)
    problems += missing_translations_of_all(criteria)
    return problems


# --- The doors ----------------------------------------------------------------------------
# Each locks its row first, so two officers pressing Publish at once cannot both pass the
# checks; the caller's instance is updated too, and the locked, current one returned.


@transaction.atomic
def publish_programme(programme: Programme, *, by, now=None) -> Programme:
    """Publish ``programme``, or raise ``PublishRefused`` listing every reason not to."""
    locked = Programme.objects.select_for_update().select_related("funder").get(pk=programme.pk)
    _require(by, "programmes.publish_programme", locked)
    reasons = []
    if locked.is_published:
        reasons.append(gettext("The programme is already published"))
    reasons += programme_problems(locked)
    if reasons:
        raise PublishRefused(reasons)
    locked.state = PublicationState.PUBLISHED
    locked.published_at = now or timezone.now()
    locked.save(update_fields=["state", "published_at"])
    record(by, "programme.published", locked, slug=locked.slug)
    _refresh(programme, locked)
    return locked


@transaction.atomic
def unpublish_programme(programme: Programme, *, by) -> Programme:
    """Withdraw ``programme`` from the public, so that it can be changed again."""
    locked = Programme.objects.select_for_update().select_related("funder").get(pk=programme.pk)
    _require(by, "programmes.unpublish_programme", locked)
    reasons = []
    if not locked.is_published:
        reasons.append(gettext("The programme is not published"))
    for call in locked.calls.filter(state=PublicationState.PUBLISHED).order_by("slug"):
        reasons.append(
            gettext("Withdraw the call '%(call)s' first: it is published") % {"call": call}
        )
    if reasons:
        raise PublishRefused(reasons)
    locked.state = PublicationState.DRAFT
    locked.published_at = None
    locked.save(update_fields=["state", "published_at"])
    record(by, "programme.unpublished", locked, slug=locked.slug)
    _refresh(programme, locked)
    return locked


def _lock_call(call: Call) -> Call:
    return (
        Call.objects.select_for_update()
        .select_related("programme", "programme__funder")
        .get(pk=call.pk)
    )


@transaction.atomic
def publish_call(call: Call, *, by, now=None) -> Call:
    """Publish ``call`` in its published programme, or raise ``PublishRefused``."""
    locked = _lock_call(call)
    _require(by, "programmes.publish_call", locked)
    reasons = []
    if locked.is_published:
        reasons.append(gettext("The call is already published"))
    reasons += call_problems(locked)
    phases = list(locked.phases.order_by("order"))
    for phase in phases:
        # Applicants answer a form in every phase for every instrument; each must be
        # complete, and it is frozen with the call.
        reasons += questionnaires.phase_questionnaire_problems(phase)
    if reasons:
        raise PublishRefused(reasons)
    now = now or timezone.now()
    for phase in phases:
        questionnaires.freeze_phase_questionnaires(phase, by=by, now=now)
    locked.state = PublicationState.PUBLISHED
    locked.published_at = now
    locked.save(update_fields=["state", "published_at"])
    record(by, "call.published", locked, programme=locked.programme.slug, slug=locked.slug)
    _refresh(call, locked)
    return locked


@transaction.atomic
def unpublish_call(call: Call, *, by) -> Call:
    """Withdraw ``call`` from the public, so that it can be changed again."""
    locked = _lock_call(call)
    _require(by, "programmes.unpublish_call", locked)
    if not locked.is_published:
        raise PublishRefused([gettext("The call is not published")])
    from regionet.applications.models import Application

    if Application.objects.filter(phase__call=locked).exists():
        # Its rules and forms are what the applicants answered: they stay as published.
        raise PublishRefused([gettext("The call has applications")])
    locked.state = PublicationState.DRAFT
    locked.published_at = None
    locked.save(update_fields=["state", "published_at"])
    record(by, "call.unpublished", locked, programme=locked.programme.slug, slug=locked.slug)
    _refresh(call, locked)
    return locked

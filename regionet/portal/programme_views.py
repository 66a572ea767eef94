"""Public pages of programmes and calls: what is open, on what terms, and how it is judged.

Only published programmes, and published calls of published programmes, are public; anything
else is a 404. Each page asks for what it shows in a fixed number of queries, however many
themes, zones, phases or criteria there are. Whether a phase is open is decided by
``regionet.programmes.deadlines`` alone.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from babel.lists import format_list
from babel.numbers import format_percent
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext

from regionet.events import queries as event_queries
from regionet.events import services as event_services
from regionet.places.models import Region
from regionet.programmes import deadlines
from regionet.programmes.eligibility import describe_rules
from regionet.programmes.models import (
    AssessmentThreshold,
    Call,
    CallContact,
    Criterion,
    Instrument,
    Phase,
    Programme,
    PublicationState,
    Zone,
)
from regionet.programmes.money import babel_locale
from regionet.programmes.queries import published_calls, published_programmes

from .maps import RegionMap

# --- What the pages ask for ---------------------------------------------------------------


def _phases():
    return Prefetch("phases", queryset=Phase.objects.order_by("order", "pk"))


def _public_calls_of_programme():
    """A programme's published calls with their phases, for ``Prefetch("calls", …)``."""
    return Prefetch(
        "calls",
        queryset=Call.objects.filter(state=PublicationState.PUBLISHED)
        .prefetch_related(_phases())
        .order_by("slug"),
        to_attr="public_calls",
    )


def _zones_with_regions(lookup="zones"):
    regions = Region.objects.select_related("country").order_by("code")
    return Prefetch(
        lookup, queryset=Zone.objects.prefetch_related(Prefetch("regions", queryset=regions))
    )


def public_programmes():
    """Published programmes with their funder and their published calls (with phases)."""
    return (
        published_programmes()
        .select_related("funder")
        .prefetch_related(_public_calls_of_programme())
    )


def public_calls():
    """Published calls of published programmes, with the programme and its funder."""
    return published_calls().select_related("programme__funder")


# --- Where a call stands --------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseStatus:
    """Whether ``phase`` is open at the moment the page was made, still to come, or closed."""

    OPEN = "open"
    UPCOMING = "upcoming"
    CLOSED = "closed"

    phase: Phase
    state: str

    @property
    def is_open(self):
        return self.state == self.OPEN

    @property
    def is_upcoming(self):
        return self.state == self.UPCOMING

    @property
    def is_closed(self):
        return self.state == self.CLOSED


def phase_status(phase: Phase, now) -> PhaseStatus:
    if deadlines.is_open(phase.opens_at, phase.closes_at, now):
        return PhaseStatus(phase, PhaseStatus.OPEN)
    # Not open, yet an application made now would still meet the deadline: not opened yet.
    if deadlines.is_in_time(phase.closes_at, now):
        return PhaseStatus(phase, PhaseStatus.UPCOMING)
    return PhaseStatus(phase, PhaseStatus.CLOSED)


def call_status(phases, now) -> PhaseStatus | None:
    """The phase that tells where a call stands: the open one, else the next one to open,
    else the last one (closed); None for a call without phases."""
    statuses = [phase_status(phase, now) for phase in phases]
    for wanted in (PhaseStatus.OPEN, PhaseStatus.UPCOMING):
        for status in statuses:
            if status.state == wanted:
                return status
    return statuses[-1] if statuses else None


def _with_statuses(programmes, now):
    for programme in programmes:
        for call in programme.public_calls:
            call.status = call_status(call.phases.all(), now)
    return programmes


def _open_calls_of(programmes) -> list[Call]:
    return [
        call
        for programme in programmes
        for call in programme.public_calls
        if call.status is not None and call.status.is_open
    ]


def open_calls(now=None) -> list[Call]:
    """The published calls with a phase open at ``now``, each with its ``status``: what the
    front page lists (the home view passes them as ``open_calls``)."""
    now = now or timezone.now()
    return _open_calls_of(_with_statuses(list(public_programmes()), now))


# --- How things read ------------------------------------------------------------------------


def _percent(value: Decimal) -> str:
    """ "80 %" in Finnish and Swedish, "80%" in English."""
    return format_percent(value / 100, locale=babel_locale())


def _list_of(names) -> str:
    """ "Lappi ja Pohjois-Pohjanmaa", "Lappland och Norra Österbotten"."""
    names = list(names)
    return format_list(names, locale=babel_locale()) if names else ""


def _money_facts(programme: Programme) -> dict:
    """The aid shares, shown only when the programme distributes money."""
    if not programme.max_aid_percent:
        return {}
    return {
        "max_aid": _percent(programme.max_aid_percent),
        "min_own_financing": _percent(programme.min_own_financing_percent),
    }


@dataclass
class Assessment:
    """The criteria of one instrument in one phase: scored ones and yes/no conditions."""

    instrument: Instrument
    overall_threshold: Decimal | None = None
    scored: list[Criterion] = field(default_factory=list)
    gates: list[Criterion] = field(default_factory=list)


def _assessments(call: Call, phases, instruments) -> None:
    """Give each phase ``assessments``: per instrument, in the instruments' order."""
    criteria = Criterion.objects.filter(phase__call=call).order_by("order", "pk")
    thresholds = AssessmentThreshold.objects.filter(phase__call=call)
    table = {
        (phase.pk, instrument.pk): Assessment(instrument)
        for phase in phases
        for instrument in instruments
    }
    for criterion in criteria:
        assessment = table.get((criterion.phase_id, criterion.instrument_id))
        if assessment is not None:
            (assessment.gates if criterion.is_gate else assessment.scored).append(criterion)
    for threshold in thresholds:
        assessment = table.get((threshold.phase_id, threshold.instrument_id))
        if assessment is not None:
            assessment.overall_threshold = threshold.overall_threshold
    for phase in phases:
        phase.assessments = [
            assessment
            for instrument in instruments
            if (assessment := table[phase.pk, instrument.pk]).scored
            or assessment.gates
            or assessment.overall_threshold is not None
        ]


def _zone_maps(programme: Programme, zones) -> None:
    """Give each zone ``map`` (inline SVG of its country's regions, its own hatched) and
    ``region_names``. One query for the outlines, whatever the number of zones."""
    countries = {region.country_id for zone in zones for region in zone.regions.all()}
    outlines = RegionMap(
        Region.objects.filter(country_id__in=countries, boundary__isnull=False).valid_in(
            programme.first_year
        )
        if countries
        else []
    )
    for zone in zones:
        regions = list(zone.regions.all())
        zone.region_names = _list_of(region.name for region in regions)
        zone.map = outlines.svg(
            highlighted=[region.pk for region in regions],
            label=gettext("Map: %(zone)s covers the regions %(regions)s")
            % {"zone": zone.name, "regions": zone.region_names},
            id_prefix=f"zone-{zone.pk}",
        )


def _webinars(call: Call, now) -> list:
    """The call's published events, each with why registration is closed (or "")."""
    events = list(event_queries.public_events().filter(call=call).order_by("starts_at", "pk"))
    for event in events:
        problem = event_services.registration_problem(event, now)
        event.registration_closed_because = (
            event_services.registration_error(problem, event).messages[0] if problem else ""
        )
    return events


# --- The pages ------------------------------------------------------------------------------


def programme_list(request):
    now = timezone.now()
    programmes = _with_statuses(list(public_programmes()), now)
    return render(
        request,
        "portal/programmes/programme_list.html",
        {
            "programmes": programmes,
            "open_calls": _open_calls_of(programmes),
            "now": now,
        },
    )


def programme_detail(request, slug):
    now = timezone.now()
    programme = get_object_or_404(
        public_programmes().prefetch_related(
            "yearly_budgets", "earmarks", "themes", _zones_with_regions()
        ),
        slug=slug,
    )
    _with_statuses([programme], now)
    return render(
        request,
        "portal/programmes/programme_detail.html",
        {"programme": programme, "now": now, **_money_facts(programme)},
    )


def call_detail(request, programme, call):
    now = timezone.now()
    call = get_object_or_404(
        public_calls().prefetch_related(
            Prefetch("instruments", queryset=Instrument.objects.prefetch_related("countries")),
            "instruments__earmarks",
            _phases(),
            "programme__themes",
            _zones_with_regions("programme__zones"),
            Prefetch("contacts", queryset=CallContact.objects.order_by("order", "pk")),
        ),
        programme__slug=programme,
        slug=call,
    )
    programme = call.programme
    instruments = list(call.instruments.all())
    for instrument in instruments:
        instrument.rules = describe_rules(instrument)
    phases = list(call.phases.all())
    statuses = [phase_status(phase, now) for phase in phases]
    _assessments(call, phases, instruments)
    zones = list(programme.zones.all())
    _zone_maps(programme, zones)
    return render(
        request,
        "portal/programmes/call_detail.html",
        {
            "programme": programme,
            "call": call,
            "status": call_status(phases, now),
            "phase_statuses": statuses,
            "instruments": instruments,
            "themes": programme.themes.all(),
            "zones": zones,
            "events": _webinars(call, now),
            # What programmes/includes/contacts.html reads (the page writes the decisions
            # and each phase's next steps from the call itself).
            "guidance": {"contacts": list(call.contacts.all())},
            "now": now,
            **_money_facts(programme),
        },
    )

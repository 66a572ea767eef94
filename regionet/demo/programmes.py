"""Demo programmes from ``data/programmes.json``, published through the programmes' doors.

The Finnish inter-regional network programme of 2021 as DESIGN.md §3 describes it, an
identical round whose dates are counted from the moment of loading (so that a visitor can
apply today), and the Swedish yearly follow-up programme. Every object is validated
(``full_clean``) and published by its funder's programme officer through
``publish_programme``/``publish_call`` and ``publish_event``: the demo data passes the same
checks, including the fi–sv parity check, as anything an officer enters. What the data file
marks as illustrative is not in the programme's documents.
"""

import copy
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from regionet.accounts.models import Organisation, User
from regionet.events import services as event_services
from regionet.events.models import Event
from regionet.places.models import Country, Region
from regionet.programmes import services as programme_services
from regionet.programmes.deadlines import instant_at
from regionet.programmes.models import (
    AssessmentThreshold,
    Call,
    CallContact,
    Criterion,
    Earmark,
    Instrument,
    Phase,
    Programme,
    Theme,
    YearlyBudget,
    Zone,
)
from regionet.questionnaires.models import (
    Question,
    Questionnaire,
    QuestionnaireUse,
    QuestionnaireVersion,
)
from regionet.questionnaires.models import Section as QuestionnaireSection

DATA_FILE = Path(__file__).resolve().parent / "data" / "programmes.json"
QUESTIONNAIRES_FILE = DATA_FILE.with_name("questionnaires.json")
LANGUAGES = ("fi", "sv", "en")


def read_data() -> dict:
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)


def _texts(field: str, texts: dict | None) -> dict:
    """``{"name": {"fi": …}}`` → ``{"name_fi": …, "name_sv": …, "name_en": …}``."""
    texts = texts or {}
    return {f"{field}_{code}": texts.get(code, "") for code in LANGUAGES}


def _instant(wall_time: str, time_zone: str) -> datetime:
    return instant_at(datetime.fromisoformat(wall_time), time_zone)


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- The future round -----------------------------------------------------------------------


def future_round(original: dict, round_: dict, now: datetime) -> dict:
    """The programme ``original`` with one call copied, renamed and moved to dates counted in
    days from the local day of ``now``; its years start with the year its last phase closes."""
    spec = copy.deepcopy(original)
    call = next(c for c in spec["calls"] if c["slug"] == round_["call"])
    schedule = round_["schedule"]
    today = now.astimezone(ZoneInfo(spec["time_zone"])).date()

    def wall_time(days: int, clock: str) -> str:
        moment = datetime.combine(today + timedelta(days=days), time.fromisoformat(clock))
        return moment.isoformat(timespec="minutes")

    for phase in call["phases"]:
        phase["opens"] = wall_time(*schedule["phases"][phase["kind"]]["opens"])
        phase["closes"] = wall_time(*schedule["phases"][phase["kind"]]["closes"])
    for event in call["events"]:
        event["starts"] = wall_time(*schedule["events"]["starts"])
        event["ends"] = wall_time(*schedule["events"]["ends"])
    last_close = max(date.fromisoformat(phase["closes"][:10]) for phase in call["phases"])
    shift = last_close.year - spec["first_year"]
    spec["first_year"] += shift
    spec["last_year"] += shift
    spec["yearly_budgets"] = {
        str(int(year) + shift): amount for year, amount in spec["yearly_budgets"].items()
    }
    spec.update(slug=round_["slug"], name=round_["name"], description=round_["description"])
    call.update(
        slug=round_["call_slug"],
        name=round_["call_name"],
        decision_info=round_["decision_info"],
        decisions_expected=round_["decisions_expected"],
    )
    spec["calls"] = [call]
    return spec


# --- Application forms ---------------------------------------------------------------------


def _questionnaires(funder: Organisation) -> list[tuple[Questionnaire, list[str]]]:
    """The funder's demo application forms with the phase kinds they serve, created once (the
    first call that uses them publishes and so freezes them; later calls share them)."""
    with QUESTIONNAIRES_FILE.open(encoding="utf-8") as f:
        specs = json.load(f)["questionnaires"]
    result = []
    for spec in specs:
        if (funder.country.code, funder.name_fi) != (
            spec["funder"]["country"],
            spec["funder"]["name_fi"],
        ):
            continue
        questionnaire = Questionnaire.objects.filter(funder=funder, code=spec["code"]).first()
        if questionnaire is None:
            questionnaire = _questionnaire(funder, spec)
        result.append((questionnaire, spec["phases"]))
    return result


def _questionnaire(funder: Organisation, spec: dict) -> Questionnaire:
    questionnaire = _saved(
        Questionnaire(
            funder=funder,
            code=spec["code"],
            purpose=Questionnaire.Purpose.APPLICATION,
            **_texts("name", spec["name"]),
        )
    )
    version = _saved(QuestionnaireVersion(questionnaire=questionnaire, number=1))
    order = 0
    for section_order, section_spec in enumerate(spec["sections"], start=1):
        section = _saved(
            QuestionnaireSection(
                version=version, order=section_order, **_texts("title", section_spec["title"])
            )
        )
        for item in section_spec["questions"]:
            order += 1
            _saved(
                Question(
                    version=version,
                    section=section,
                    order=order,
                    key=item["key"],
                    kind=item["kind"],
                    required=item.get("required", False),
                    visibility=item.get("visibility", Question.Visibility.PUBLIC),
                    max_length=item.get("max_length"),
                    **_texts("label", item["label"]),
                    **_texts("help_text", item.get("help_text")),
                )
            )
    return questionnaire


# --- Building one programme -----------------------------------------------------------------


def _region(country: Country, ref: dict) -> Region:
    """A region by its national code, or by its NUTS3 code where the regions came from the
    registry packages (which key Finnish regions by NUTS3)."""
    return Region.objects.get(Q(code=ref["code"]) | Q(code=ref["nuts3_code_2021"]), country=country)


def _programme(spec: dict) -> Programme:
    funder = Organisation.objects.get(
        is_funder=True, country__code=spec["funder"]["country"], name_fi=spec["funder"]["name_fi"]
    )
    programme = _saved(
        Programme(
            funder=funder,
            slug=spec["slug"],
            **_texts("name", spec["name"]),
            **_texts("description", spec["description"]),
            appropriation_code=spec["appropriation_code"],
            **_texts("appropriation_name", spec["appropriation_name"]),
            **_texts("legal_basis", spec["legal_basis"]),
            total_budget=Decimal(spec["total_budget"]),
            currency=spec["currency"],
            max_aid_percent=Decimal(spec["max_aid_percent"]),
            min_own_financing_percent=Decimal(spec["min_own_financing_percent"]),
            indirect_cost_percent=Decimal(spec.get("indirect_cost_percent", "0.00")),
            record_number_format=spec.get("record_number_format", "{number}/{year}"),
            time_zone=spec["time_zone"],
            first_year=spec["first_year"],
            last_year=spec["last_year"],
        )
    )
    for year, amount in spec["yearly_budgets"].items():
        _saved(YearlyBudget(programme=programme, year=int(year), amount=Decimal(amount)))
    for item in spec["earmarks"]:
        _saved(
            Earmark(
                programme=programme,
                code=item["code"],
                **_texts("name", item["name"]),
                **_texts("rule_description", item.get("rule_description")),
                amount=Decimal(item["amount"]),
                regional_towns_only=item["regional_towns_only"],
            )
        )
    for order, item in enumerate(spec["themes"], start=1):
        _saved(
            Theme(
                programme=programme,
                code=item["code"],
                order=order,
                **_texts("name", item["name"]),
                **_texts("description", item.get("description")),
            )
        )
    country = funder.country
    for order, item in enumerate(spec["zones"], start=1):
        zone = _saved(
            Zone(
                programme=programme,
                code=item["code"],
                order=order,
                **_texts("name", item["name"]),
                **_texts("description", item.get("description")),
            )
        )
        zone.regions.set([_region(country, ref) for ref in item["regions"]])
    return programme


def _call(programme: Programme, spec: dict, gate_conditions: list[dict]) -> tuple[Call, list]:
    """The call with its instruments, phases and criteria; its events (unsaved) beside it."""
    call = _saved(
        Call(
            programme=programme,
            slug=spec["slug"],
            **_texts("name", spec["name"]),
            **_texts("description", spec.get("description")),
            **_texts("decision_info", spec.get("decision_info")),
            **_texts("decisions_expected", spec.get("decisions_expected")),
        )
    )
    for order, item in enumerate(spec.get("contacts", []), start=1):
        _saved(
            CallContact(
                call=call,
                order=order,
                name=item["name"],
                **_texts("role", item["role"]),
                email=item["email"],
                phone=item.get("phone", ""),
                languages=item["languages"],
            )
        )
    countries = {country.code: country for country in Country.objects.all()}
    earmarks = {earmark.code: earmark for earmark in programme.earmarks.all()}
    instruments = {}
    for order, item in enumerate(spec["instruments"], start=1):
        instrument = _saved(
            Instrument(
                call=call,
                code=item["code"],
                kind=item["kind"],
                order=order,
                **_texts("name", item["name"]),
                **_texts("description", item.get("description")),
                allowed_applicant_types=item["applicant_types"],
                min_municipalities=item["min_municipalities"],
                min_regions=item["min_regions"],
                min_partners=item["min_partners"],
            )
        )
        instrument.countries.set([countries[code] for code in item["countries"]])
        instrument.earmarks.set([earmarks[code] for code in item["earmarks"]])
        instruments[item["code"]] = instrument
    phases = {}
    for item in spec["phases"]:
        phases[item["kind"]] = _saved(
            Phase(
                call=call,
                kind=item["kind"],
                order=item["order"],
                **_texts("name", item["name"]),
                **_texts("description", item.get("description")),
                **_texts("next_steps", item.get("next_steps")),
                opens_at=_instant(item["opens"], programme.time_zone),
                closes_at=_instant(item["closes"], programme.time_zone),
                requires_invitation=item["requires_invitation"],
            )
        )
    for questionnaire, phase_kinds in _questionnaires(programme.funder):
        for kind in phase_kinds:
            if kind in phases:
                for instrument in instruments.values():
                    _saved(
                        QuestionnaireUse(
                            phase=phases[kind], instrument=instrument, questionnaire=questionnaire
                        )
                    )
    for item in spec["assessments"]:
        phase, instrument = phases[item["phase"]], instruments[item["instrument"]]
        _saved(
            AssessmentThreshold(
                phase=phase,
                instrument=instrument,
                overall_threshold=Decimal(item["overall_threshold"]),
            )
        )
        scored = [
            {
                **criterion,
                "kind": Criterion.Kind.SCORED,
                "weight": Decimal(criterion["weight"]),
                "threshold": (
                    None if criterion["threshold"] is None else Decimal(criterion["threshold"])
                ),
            }
            for criterion in item["scored"]
        ]
        gates = gate_conditions if item["statutory_gate_conditions"] else []
        gates = [{"kind": Criterion.Kind.GATE, **gate} for gate in gates]
        for order, criterion in enumerate(scored + gates, start=1):
            _saved(
                Criterion(
                    phase=phase,
                    instrument=instrument,
                    kind=criterion["kind"],
                    order=order,
                    **_texts("name", criterion["name"]),
                    **_texts("description", criterion.get("description")),
                    weight=criterion.get("weight", Decimal(1)),
                    threshold=criterion.get("threshold"),
                )
            )
    events = [
        Event(
            organiser=programme.funder,
            call=call,
            kind=item["kind"],
            **_texts("title", item["title"]),
            **_texts("description", item.get("description")),
            **_texts("location", item.get("location")),
            starts_at=_instant(item["starts"], programme.time_zone),
            ends_at=_instant(item["ends"], programme.time_zone),
            time_zone=programme.time_zone,
            capacity=item.get("capacity"),
        )
        for item in spec["events"]
    ]
    return call, events


def _publish(spec: dict, gate_conditions: list[dict]) -> Programme:
    officer = User.objects.get(email=spec["published_by"])
    programme = programme_services.publish_programme(_programme(spec), by=officer)
    for call_spec in spec["calls"]:
        call, events = _call(programme, call_spec, gate_conditions)
        programme_services.publish_call(call, by=officer)
        for event in events:
            event_services.publish_event(_saved(event), by=officer)
    return programme


@transaction.atomic
def load_programmes(now: datetime | None = None) -> bool:
    """Create and publish the demo programmes; False when they are already there.

    Needs the demo funders and their programme officers (``services.load_demo``).
    """
    data = read_data()
    rounds = data["future_rounds"]
    slugs = [spec["slug"] for spec in data["programmes"]] + [r["slug"] for r in rounds]
    if Programme.objects.filter(slug__in=slugs).exists():
        return False
    now = now or timezone.now()
    gates = data["statutory_gate_conditions"]
    by_slug = {spec["slug"]: spec for spec in data["programmes"]}
    for spec in data["programmes"]:
        _publish(spec, gates)
    for round_ in rounds:
        _publish(future_round(by_slug[round_["copy_of"]], round_, now), gates)
    return True

"""Annotated querysets of the officers' workspace: a fixed number of queries per page, however
many applications a phase has.

Officers see what the registry received: titles, amounts, themes, zones and municipalities
are those of each application's latest submission (``Application.last_submission``), never
the draft an applicant is completing, until the applicant submits it."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Length, NullIf
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from regionet.accounts.models import FunderRole
from regionet.places.models import Municipality, MunicipalityPeriod, Region, valid_in_year
from regionet.programmes.models import Phase

from .models import Application, ApplicationState, Export, Submission

# The sort keys of the workspace list (a leading "-" sorts descending).
SORT_KEYS = ("record_number", "title", "coordinator", "aid_requested", "received")
DEFAULT_SORT = "record_number"
# The search configurations of PostgreSQL's full-text search, one per interface language.
SEARCH_CONFIGS = ("finnish", "swedish", "english")


def facts_year(phase: Phase) -> int:
    """The year whose municipal division counts for the phase's applications."""
    return phase.closing_year()


def _language_codes() -> list[str]:
    active = (get_language() or settings.LANGUAGE_CODE)[:2]
    codes = [code for code, _name in settings.LANGUAGES]
    return [active, *(code for code in codes if code != active)]


def coordinator_name():
    """The coordinator's name in the active language, falling back to the other languages."""
    fields = [
        NullIf(
            F(f"coordinator__{build_localized_fieldname('name', code)}"),
            Value(""),
            output_field=CharField(),
        )
        for code in _language_codes()
    ]
    return Coalesce(*fields, Value(""), output_field=CharField())


class _CountDistinct(Func):
    """COUNT(DISTINCT …) as a plain expression, so a subquery counts without GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


_RECEIVED_MUNICIPALITIES = Submission.municipalities.through


def _municipality_count():
    through = _RECEIVED_MUNICIPALITIES.objects.filter(submission_id=OuterRef("last_submission_id"))
    return Coalesce(
        Subquery(through.annotate(n=_CountDistinct("municipality_id")).values("n")[:1]),
        0,
    )


def _region_count(year: int):
    periods = MunicipalityPeriod.objects.filter(
        valid_in_year(year), municipality__submissions=OuterRef("last_submission_id")
    ).order_by()
    return Coalesce(
        Subquery(periods.annotate(n=_CountDistinct("region_id")).values("n")[:1]),
        0,
    )


def submitted_applications(phase: Phase) -> QuerySet[Application]:
    """The phase's applications that reached the registry at least once (drafts are the
    applicants' own), with what the workspace list shows of the latest submission."""
    year = facts_year(phase)
    return (
        Application.objects.filter(phase=phase, first_submitted_at__isnull=False)
        .select_related(
            "coordinator", "instrument", "last_submission__theme", "last_submission__zone"
        )
        .defer("last_submission__content")
        .annotate(
            coordinator_name=coordinator_name(),
            municipality_count=_municipality_count(),
            region_count=_region_count(year),
            late=Exists(
                Submission.objects.filter(
                    application_id=OuterRef("pk"), late_admission__isnull=False
                )
            ),
        )
    )


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """A whole record number in any case ("tem/1/2021"), or words in the title, summary or
    coordinator's name: PostgreSQL's full-text search in Finnish, Swedish and English at once
    (stemmed, so "vetytaloudessa" finds "vetytalouden"), or a plain substring ("vety" finds
    "Vetytalouden", as officers type part-words); only the substring match elsewhere."""
    name_fields = [
        f"coordinator__{build_localized_fieldname('name', code)}" for code, _ in settings.LANGUAGES
    ]
    fields = ["last_submission__title", "last_submission__summary", *name_fields]
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = None
        query = None
        for config in SEARCH_CONFIGS:
            one_vector = SearchVector(*fields, config=config)
            one_query = SearchQuery(text, config=config, search_type="websearch")
            vector = one_vector if vector is None else vector + one_vector
            query = one_query if query is None else query | one_query
    # A record number is found whole, in any case ("tem/1/2026"): never "TEM/11/2026" too.
    condition = Q(record_number__iexact=text)
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    if connections[queryset.db].vendor == "postgresql":
        return queryset.annotate(search_document=vector).filter(
            Q(search_document=query) | condition
        )
    return queryset.filter(condition)


def _ordering(phase: Phase, sort: str) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = DEFAULT_SORT, False
    if key == "record_number":
        # Numbers grow within the year of the first submission (the registry's year): in that
        # year, a shorter number comes first ("TEM/9/2021" before "TEM/10/2021").
        zone = ZoneInfo(phase.call.programme.time_zone)
        expressions = [
            ExtractYear("first_submitted_at", tzinfo=zone),
            Length("record_number"),
            F("record_number"),
        ]
    elif key == "title":
        expressions = [F("last_submission__title")]
    elif key == "coordinator":
        expressions = [F("coordinator_name")]
    elif key == "aid_requested":
        expressions = [F("last_submission__aid_requested")]
    else:
        expressions = [F("first_submitted_at")]
    expressions.append(F("pk"))
    return [e.desc() if descending else e.asc() for e in expressions]


def applications_for_workspace(phase: Phase, filters: dict | None = None) -> QuerySet[Application]:
    """The phase's submitted applications narrowed by the workspace filters, sorted.

    ``filters`` is the cleaned data of ``workspace_forms.WorkspaceFilterForm``: state,
    instrument, theme, zone, region, municipality (objects), screening, late ("yes"/"no"),
    q (search text) and sort (a ``SORT_KEYS`` key, "-" for descending). Empty values do not
    narrow.
    """
    filters = filters or {}
    queryset = submitted_applications(phase)
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("instrument"):
        queryset = queryset.filter(instrument=filters["instrument"])
    for name in ("theme", "zone"):
        if filters.get(name):
            queryset = queryset.filter(**{f"last_submission__{name}": filters[name]})
    if filters.get("screening"):
        queryset = queryset.filter(screening=filters["screening"])
    if filters.get("municipality"):
        queryset = queryset.filter(
            Exists(
                _RECEIVED_MUNICIPALITIES.objects.filter(
                    submission_id=OuterRef("last_submission_id"),
                    municipality=filters["municipality"],
                )
            )
        )
    if filters.get("region"):
        queryset = queryset.filter(
            Exists(
                MunicipalityPeriod.objects.filter(
                    valid_in_year(facts_year(phase)),
                    region=filters["region"],
                    municipality__submissions=OuterRef("last_submission_id"),
                )
            )
        )
    if filters.get("late") in ("yes", "no"):
        queryset = queryset.filter(late=filters["late"] == "yes")
    text = (filters.get("q") or "").strip()
    if text:
        queryset = _search(queryset, text)
    return queryset.order_by(*_ordering(phase, filters.get("sort") or DEFAULT_SORT))


def applications_for_export(phase: Phase, filters: dict | None = None) -> QuerySet[Application]:
    """The workspace list with what an export adds: the latest submission's municipalities
    and its content (partners, budget total)."""
    return (
        applications_for_workspace(phase, filters)
        .defer(None)
        .prefetch_related("last_submission__municipalities")
    )


def draft_count(phase: Phase) -> int:
    return Application.objects.filter(phase=phase, state=ApplicationState.DRAFT).count()


def drafts(phase: Phase) -> QuerySet[Application]:
    """The phase's drafts as an officer may see them (to admit one late): who and when."""
    return (
        Application.objects.filter(phase=phase, state=ApplicationState.DRAFT)
        .select_related("coordinator", "instrument")
        .annotate(coordinator_name=coordinator_name())
        .order_by("coordinator_name", "pk")
    )


def managed_funder_ids(user) -> list[int]:
    """The funders ``user`` is a programme officer or administrator of."""
    if not user.is_authenticated:
        return []
    return list(
        FunderRole.objects.filter(
            user=user,
            role__in=[FunderRole.Role.PROGRAMME_OFFICER, FunderRole.Role.ADMINISTRATOR],
        )
        .values_list("funder_id", flat=True)
        .distinct()
    )


def phases_for_officer(funder_ids) -> QuerySet[Phase]:
    """The phases of the funders' calls with counts of submitted applications and of drafts."""
    return (
        Phase.objects.filter(call__programme__funder__in=funder_ids)
        .select_related("call__programme")
        .annotate(
            submitted_count=Count(
                "applications", filter=Q(applications__first_submitted_at__isnull=False)
            ),
            draft_count=Count("applications", filter=Q(applications__state=ApplicationState.DRAFT)),
        )
        .order_by("call__programme__first_year", "call__programme_id", "call_id", "order")
    )


def _received_municipality_ids(phase: Phase) -> QuerySet:
    return _RECEIVED_MUNICIPALITIES.objects.filter(
        submission_id__in=Application.objects.filter(
            phase=phase, last_submission__isnull=False
        ).values("last_submission_id")
    ).values("municipality_id")


def municipality_choices(phase: Phase) -> QuerySet[Municipality]:
    """The municipalities taking part in the phase's submitted applications."""
    return (
        Municipality.objects.filter(pk__in=_received_municipality_ids(phase))
        .select_related("country")
        .order_by("name", "pk")
    )


def region_choices(phase: Phase) -> QuerySet[Region]:
    """The regions of the municipalities taking part in the phase's submitted applications."""
    periods = MunicipalityPeriod.objects.filter(
        valid_in_year(facts_year(phase)), municipality_id__in=_received_municipality_ids(phase)
    ).values("region_id")
    return Region.objects.filter(pk__in=periods).order_by("name", "pk")


def exports_of(phase: Phase, user, limit: int = 5) -> list[Export]:
    return list(
        Export.objects.filter(phase=phase, requested_by=user).order_by("-created_at")[:limit]
    )


__all__ = [
    "applications_for_export",
    "applications_for_workspace",
    "draft_count",
    "drafts",
    "exports_of",
    "facts_year",
    "managed_funder_ids",
    "municipality_choices",
    "phases_for_officer",
    "region_choices",
    "submitted_applications",
]

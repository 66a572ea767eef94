"""The workspace's queryset: submitted applications only, each filter, search and sorting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.utils import timezone

from regionet.applications import queries, services
from regionet.applications.models import Application, ApplicationState, Screening
from regionet.applications.workspace_forms import WorkspaceFilterForm
from regionet.places.models import MunicipalityPeriod
from tests.factories import (
    FunderRoleFactory,
    InstrumentFactory,
    OrganisationFactory,
    ThemeFactory,
    ZoneFactory,
    eligible_draft,
    open_phase,
)

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0)


def officer_of(funder, role="programme_officer"):
    """A programme officer (or administrator) of ``funder`` with TOTP, as staff must have."""
    user = FunderRoleFactory(funder=funder, role=role).user
    TOTP.activate(user, generate_totp_secret())
    return user


def submitted(phase, *, minute=0, municipalities=None, aid=None, **fields) -> Application:
    """An eligible application of ``phase`` received ``minute`` minutes after BASE; ``aid``
    changes the 80 000,00 € requested (own financing covers the rest of 100 000,00 €)."""
    application = eligible_draft(phase, **fields)
    if municipalities is not None:
        application.municipalities.set(municipalities)
    if aid is not None:
        application.aid_requested = Decimal(aid)
        application.own_financing = Decimal("100000.00") - Decimal(aid)
        application.save(update_fields=["aid_requested", "own_financing"])
    services.submit_application(
        application, by=application.created_by, now=BASE + timedelta(minutes=minute)
    )
    application.refresh_from_db()
    return application


def other_municipalities(count=4, skip_regions=2, regions=2):
    """``count`` Finnish municipalities in regions other than those of eligible_draft()."""
    year = timezone.localdate().year
    by_region = {}
    periods = (
        MunicipalityPeriod.objects.valid_in(year)
        .filter(municipality__country__code="FI")
        .select_related("municipality", "region")
        .order_by("region__code", "municipality__code")
    )
    for period in periods:
        by_region.setdefault(period.region, []).append(period.municipality)
    chosen_regions = list(by_region)[skip_regions : skip_regions + regions]
    chosen = []
    for index in range(count):
        chosen.append(by_region[chosen_regions[index % regions]][index // regions])
    return chosen, chosen_regions


def numbers(queryset) -> list[str]:
    return [application.record_number for application in queryset]


def filtered(phase, **data) -> list[str]:
    form = WorkspaceFilterForm(phase, data={k: str(v) for k, v in data.items()})
    assert form.is_valid(), form.errors
    return numbers(queries.applications_for_workspace(phase, form.filters()))


@pytest.fixture
def phase():
    return open_phase(closes_in=timedelta(days=7))


def test_only_submitted_applications_with_counts(phase):
    first = submitted(phase, minute=1)
    eligible_draft(phase)  # a draft: the applicants' own
    listed = list(queries.applications_for_workspace(phase))
    assert numbers(listed) == [first.record_number]
    assert listed[0].municipality_count == 4
    assert listed[0].region_count == 2
    assert listed[0].late is False
    assert listed[0].coordinator_name == first.coordinator.name_fi
    assert queries.draft_count(phase) == 1


def test_each_filter_narrows_to_exact_record_numbers(phase):
    programme = phase.call.programme
    second_instrument = InstrumentFactory(call=phase.call, code="zone-instrument")
    theme = ThemeFactory(programme=programme)
    zone = ZoneFactory(programme=programme)
    elsewhere, (region, _other_region) = other_municipalities()
    plain = submitted(
        phase,
        minute=1,
        title="Etätyöpisteiden verkosto",
        coordinator=OrganisationFactory(name_fi="Lakeuden Kehitys Oy", name_sv=""),
    )
    by_instrument = submitted(phase, minute=2, instrument=second_instrument)
    themed = submitted(phase, minute=3, theme=theme)
    zoned = submitted(phase, minute=4, zone=zone)
    far = submitted(phase, minute=5, municipalities=elsewhere)
    hydrogen = submitted(phase, minute=6, title="Vetytalouden verkosto")
    officer = officer_of(programme.funder)
    services.screen_application(themed, Screening.ELIGIBLE, by=officer)
    services.screen_application(zoned, Screening.INELIGIBLE, by=officer)
    services.withdraw_application(far, by=far.created_by)
    services.request_completion(
        hydrogen,
        items=["basics"],
        closes_at=BASE + timedelta(days=3),
        by=officer,
        now=BASE + timedelta(hours=1),
    )
    # Admitted late: received after the phase closed.
    late_draft = eligible_draft(phase)
    closed = phase.closes_at
    services.grant_late_admission(
        late_draft,
        reason="Verkkokatko",
        valid_until=closed + timedelta(days=1),
        by=officer,
        now=closed + timedelta(hours=1),
    )
    services.submit_application(
        late_draft, by=late_draft.created_by, now=closed + timedelta(hours=2)
    )
    late_draft.refresh_from_db()
    everyone = [
        plain.record_number,
        by_instrument.record_number,
        themed.record_number,
        zoned.record_number,
        far.record_number,
        hydrogen.record_number,
        late_draft.record_number,
    ]
    assert filtered(phase) == everyone
    assert filtered(phase, instrument=second_instrument.pk) == [by_instrument.record_number]
    assert filtered(phase, theme=theme.pk) == [themed.record_number]
    assert filtered(phase, zone=zone.pk) == [zoned.record_number]
    assert filtered(phase, region=region.pk) == [far.record_number]
    assert filtered(phase, municipality=elsewhere[0].pk) == [far.record_number]
    assert filtered(phase, screening=Screening.ELIGIBLE) == [themed.record_number]
    assert filtered(phase, screening=Screening.INELIGIBLE) == [zoned.record_number]
    assert filtered(phase, state=ApplicationState.WITHDRAWN) == [far.record_number]
    assert filtered(phase, state=ApplicationState.COMPLETION_REQUESTED) == [hydrogen.record_number]
    assert filtered(phase, late="yes") == [late_draft.record_number]
    assert filtered(phase, late="no") == everyone[:-1]
    if connection.vendor == "postgresql":
        # Whole words, stemmed: "vetytaloudessa" finds "Vetytalouden".
        assert filtered(phase, q="vetytaloudessa") == [hydrogen.record_number]
    else:
        assert filtered(phase, q="vety") == [hydrogen.record_number]
    assert filtered(phase, q="lakeuden") == [plain.record_number]
    assert filtered(phase, theme=theme.pk, screening=Screening.INELIGIBLE) == []


def test_search_stems_finnish_on_postgresql(phase):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's full-text search")
    hydrogen = submitted(phase, minute=1, title="Vetytalouden verkosto")
    circular = submitted(phase, minute=2, title="Kiertotalouden verkosto")
    swedish = submitted(phase, minute=3, title="Nätverk för vätgasekonomi")
    english = submitted(phase, minute=4, title="Networks of regional towns")
    # Finnish stems: another case of the same word.
    assert filtered(phase, q="vetytaloudessa") == [hydrogen.record_number]
    assert filtered(phase, q="verkostojen") == [hydrogen.record_number, circular.record_number]
    # Swedish and English stems, in the same search.
    assert filtered(phase, q="nätverken") == [swedish.record_number]
    assert filtered(phase, q="network town") == [english.record_number]
    # Part of a word, as officers type it; the web search syntax excludes with a minus.
    assert filtered(phase, q="vety") == [hydrogen.record_number]
    assert filtered(phase, q="ekonomi") == [swedish.record_number]
    assert filtered(phase, q="verkosto -kiertotalouden") == [hydrogen.record_number]


def test_sorting(phase):
    first = submitted(phase, minute=3, title="Bbb", aid="70000.00")
    second = submitted(phase, minute=1, title="Aaa", aid="80000.00")
    third = submitted(phase, minute=2, title="Ccc", aid="75000.50")
    record = [first.record_number, second.record_number, third.record_number]
    assert filtered(phase) == record
    assert filtered(phase, sort="-record_number") == record[::-1]
    assert filtered(phase, sort="title") == [
        second.record_number,
        first.record_number,
        third.record_number,
    ]
    assert filtered(phase, sort="-title") == [
        third.record_number,
        first.record_number,
        second.record_number,
    ]
    assert filtered(phase, sort="received") == [
        second.record_number,
        third.record_number,
        first.record_number,
    ]
    assert filtered(phase, sort="-aid_requested") == [
        second.record_number,
        third.record_number,
        first.record_number,
    ]
    names = sorted([(a.coordinator.name_fi, a.record_number) for a in (first, second, third)])
    assert filtered(phase, sort="coordinator") == [number for _, number in names]


def test_record_numbers_sort_as_numbers(phase):
    applications = [submitted(phase, minute=minute) for minute in range(11)]
    assert applications[9].record_number.startswith("TEM/10/")
    assert filtered(phase) == [a.record_number for a in applications]


def test_the_list_shows_what_was_received_until_a_new_version_is_submitted(phase):
    """During a completion request the draft is the applicant's work in progress: the list,
    its search, filters and sorting read the latest submission until the next one."""
    programme = phase.call.programme
    received_theme, draft_theme = (
        ThemeFactory(programme=programme),
        ThemeFactory(programme=programme),
    )
    elsewhere, (far_region, _other_region) = other_municipalities()
    other = submitted(phase, minute=1, title="Kiertotalouden verkosto", aid="72000.00")
    completing = submitted(
        phase, minute=2, title="Vetytalouden verkosto", theme=received_theme, aid="75000.00"
    )
    services.request_completion(
        completing,
        items=["basics", "municipalities", "financing"],
        closes_at=BASE + timedelta(days=3),
        by=officer_of(programme.funder),
        now=BASE + timedelta(hours=1),
    )
    # The applicant's unsubmitted changes.
    Application.objects.filter(pk=completing.pk).update(
        title="Aurinkoenergian verkosto",
        summary="Aurinkoenergia",
        theme=draft_theme,
        aid_requested=Decimal("70000.00"),
        own_financing=Decimal("30000.00"),
    )
    completing.municipalities.set(elsewhere)
    both = [other.record_number, completing.record_number]

    row = next(a for a in queries.applications_for_workspace(phase) if a.pk == completing.pk)
    received = row.last_submission
    assert (received.title, received.theme, received.aid_requested) == (
        "Vetytalouden verkosto",
        received_theme,
        Decimal("75000.00"),
    )
    assert (row.municipality_count, row.region_count) == (4, 2)
    assert filtered(phase, q="aurinkoenergia") == []
    assert filtered(phase, q="vetytalouden") == [completing.record_number]
    assert filtered(phase, theme=draft_theme.pk) == []
    assert filtered(phase, theme=received_theme.pk) == [completing.record_number]
    # Not offered as filters, nor found when asked for.
    assert elsewhere[0] not in queries.municipality_choices(phase)
    assert far_region not in queries.region_choices(phase)
    for narrowed in ({"municipality": elsewhere[0]}, {"region": far_region}):
        assert numbers(queries.applications_for_workspace(phase, narrowed)) == []
    assert filtered(phase, sort="title") == both
    assert filtered(phase, sort="aid_requested") == both

    services.submit_application(completing, by=completing.created_by, now=BASE + timedelta(hours=2))
    assert filtered(phase, q="aurinkoenergia") == [completing.record_number]
    assert filtered(phase, theme=draft_theme.pk) == [completing.record_number]
    assert filtered(phase, municipality=elsewhere[0].pk) == [completing.record_number]
    assert filtered(phase, region=far_region.pk) == [completing.record_number]
    assert filtered(phase, sort="title") == both[::-1]
    assert filtered(phase, sort="aid_requested") == both[::-1]


def test_search_finds_a_whole_record_number_in_any_case(phase):
    """On SQLite and PostgreSQL alike: the number itself, never its neighbours that contain
    it ("TEM/1/…" is in "TEM/11/…")."""
    applications = [submitted(phase, minute=minute) for minute in range(11)]
    first, eleventh = applications[0].record_number, applications[10].record_number
    assert first == f"TEM/1/{applications[0].first_submitted_at.year}"
    assert eleventh.startswith("TEM/11/")
    assert filtered(phase, q=first) == [first]
    assert filtered(phase, q=first.lower()) == [first]
    assert filtered(phase, q=f"  {first} ") == [first]
    assert filtered(phase, q=eleventh.lower()) == [eleventh]
    assert filtered(phase, q=first.replace("/1/", "/99/")) == []


def test_phases_for_officer_count_submitted_and_drafts(phase):
    submitted(phase, minute=1)
    submitted(phase, minute=2)
    eligible_draft(phase)
    other = open_phase()
    submitted(other, minute=1)
    (row,) = queries.phases_for_officer([phase.call.programme.funder_id])
    assert (row.pk, row.submitted_count, row.draft_count) == (phase.pk, 2, 1)

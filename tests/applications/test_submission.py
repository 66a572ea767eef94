"""The submit door: the deadline to the millisecond (also across daylight saving changes), late
admission, retries, the registry's gap-free record numbers and the immutable snapshot."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from hypothesis import example, given, settings
from hypothesis import strategies as st

from regionet.applications import services
from regionet.applications.models import (
    Application,
    ApplicationState,
    LateAdmission,
    RecordSequence,
    Submission,
)
from regionet.applications.services import (
    ApplicationError,
    LateSubmission,
    NotAllowed,
    NotEligible,
    submit_application,
)
from regionet.applications.snapshot import content_hash, draft_content, received
from regionet.audit.models import AuditEvent
from regionet.notifications.models import Notice
from regionet.programmes.deadlines import instant_at
from tests.applications.conftest import draft_in, member_of, officer_of, phase_closing_at
from tests.factories import eligible_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HELSINKI = ZoneInfo("Europe/Helsinki")
MS = timedelta(milliseconds=1)
# 15.4.2021 16:15:00.000 Finnish summer time, the idea phase's deadline.
DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
LATE_MESSAGE = (
    "The application period has closed. The application was not submitted; your draft is "
    "kept. If you could not submit in time for a reason beyond your control, contact the "
    "programme's officers."
)


def submitted_verbs(application):
    return list(
        AuditEvent.objects.for_target(application)
        .filter(verb="application.submitted")
        .values_list("verb", flat=True)
    )


def receipts():
    return Notice.objects.filter(kind="application.receipt")


def sequence_number(phase, year):
    sequence = RecordSequence.objects.filter(funder=phase.call.programme.funder, year=year).first()
    return sequence and sequence.last_number


# --- The deadline ----------------------------------------------------------------------


def test_the_deadline_is_15_4_2021_at_16_15_helsinki_summer_time():
    assert datetime(2021, 4, 15, 13, 15, tzinfo=UTC) == DEADLINE


def test_received_at_the_deadline_exactly_is_accepted():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)

    submission = submit_application(application, by=application.created_by, now=DEADLINE)

    application.refresh_from_db()
    assert submission.received_at == DEADLINE
    assert submission.number == 1
    assert submission.record_number == "TEM/1/2021"
    assert application.state == ApplicationState.SUBMITTED
    assert application.record_number == "TEM/1/2021"
    assert application.first_submitted_at == DEADLINE
    assert Submission.objects.get().received_at == DEADLINE


def test_received_one_millisecond_before_the_deadline_is_accepted():
    application = draft_in(phase_closing_at(DEADLINE))

    submission = submit_application(application, by=application.created_by, now=DEADLINE - MS)

    assert submission.received_at == datetime(2021, 4, 15, 13, 14, 59, 999000, tzinfo=UTC)
    assert Application.objects.get().state == ApplicationState.SUBMITTED


def test_received_one_millisecond_late_is_refused_and_the_draft_is_kept():
    phase = phase_closing_at(DEADLINE)
    in_time = draft_in(phase)
    submit_application(in_time, by=in_time.created_by, now=DEADLINE)
    late = draft_in(phase)
    versions = dict(late.section_versions)

    with pytest.raises(LateSubmission) as refusal:
        submit_application(late, by=late.created_by, now=DEADLINE + MS)

    assert refusal.value.messages == [LATE_MESSAGE]
    late.refresh_from_db()
    assert late.state == ApplicationState.DRAFT
    assert late.record_number == ""
    assert late.first_submitted_at is None
    assert late.section_versions == versions
    assert late.submissions.count() == 0
    assert submitted_verbs(late) == []
    assert sequence_number(phase, 2021) == 1
    assert receipts().count() == 1


@pytest.mark.parametrize(
    ("fold", "received_at", "accepted"),
    [
        # The phase closes at the first 03:30 (summer time, UTC+3) = 00:30 UTC.
        (0, datetime(2021, 10, 31, 0, 30, tzinfo=UTC), True),
        (0, datetime(2021, 10, 31, 0, 30, 0, 1000, tzinfo=UTC), False),
        # 03:15 standard time reads earlier than 03:30 but is 45 minutes after the deadline.
        (0, datetime(2021, 10, 31, 1, 15, tzinfo=UTC), False),
        # The phase closes at the second 03:30 (standard time, UTC+2) = 01:30 UTC.
        # 03:45 summer time reads later than 03:30 but is 45 minutes before the deadline.
        (1, datetime(2021, 10, 31, 0, 45, tzinfo=UTC), True),
        (1, datetime(2021, 10, 31, 1, 30, tzinfo=UTC), True),
        (1, datetime(2021, 10, 31, 1, 30, 0, 1000, tzinfo=UTC), False),
    ],
)
def test_a_deadline_in_the_repeated_autumn_hour_is_one_instant(fold, received_at, accepted):
    closes_at = datetime(2021, 10, 31, 3, 30, fold=fold, tzinfo=HELSINKI).astimezone(UTC)
    application = draft_in(phase_closing_at(closes_at))

    if accepted:
        submission = submit_application(application, by=application.created_by, now=received_at)
        assert submission.received_at == received_at
    else:
        with pytest.raises(LateSubmission):
            submit_application(application, by=application.created_by, now=received_at)

    application.refresh_from_db()
    expected = ApplicationState.SUBMITTED if accepted else ApplicationState.DRAFT
    assert application.state == expected


@pytest.mark.parametrize(
    ("received_at", "accepted"),
    [
        # 02:59:59 EET, the last second before the clocks jump from 03:00 to 04:00.
        (datetime(2021, 3, 28, 0, 59, 59, tzinfo=UTC), True),
        (datetime(2021, 3, 28, 1, 15, tzinfo=UTC), True),
        (datetime(2021, 3, 28, 1, 15, 0, 1000, tzinfo=UTC), False),
        # 05:14 summer time: an hour late, although "4 h 15 min after 00:00" is 04:15 only
        # on the wall clock; the deadline counts real time.
        (datetime(2021, 3, 28, 2, 14, tzinfo=UTC), False),
    ],
)
def test_a_deadline_after_the_skipped_spring_hour(received_at, accepted):
    closes_at = instant_at(datetime(2021, 3, 28, 4, 15), "Europe/Helsinki")
    assert closes_at == datetime(2021, 3, 28, 1, 15, tzinfo=UTC)
    application = draft_in(phase_closing_at(closes_at))

    if accepted:
        submit_application(application, by=application.created_by, now=received_at)
    else:
        with pytest.raises(LateSubmission):
            submit_application(application, by=application.created_by, now=received_at)

    application.refresh_from_db()
    expected = ApplicationState.SUBMITTED if accepted else ApplicationState.DRAFT
    assert application.state == expected


class _Rollback(Exception):
    pass


def test_accepted_exactly_when_received_at_or_before_the_deadline():
    """Property: for any offset (µs) around the deadline, accepted ⇔ received_at ≤ closes_at.

    Each example runs in a transaction rolled back at its end, so each one meets the same
    draft and, having given its number back, takes record number 1.
    """
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    by = application.created_by

    @settings(max_examples=40, deadline=None, database=None)
    @given(offset=st.integers(min_value=-3_000_000, max_value=3_000_000))
    @example(offset=0)
    @example(offset=1)
    @example(offset=-1)
    @example(offset=1000)
    @example(offset=-1000)
    def check(offset):
        received_at = DEADLINE + timedelta(microseconds=offset)
        try:
            with transaction.atomic():
                try:
                    submission = submit_application(application, by=by, now=received_at)
                except LateSubmission:
                    assert offset > 0
                    assert Application.objects.get(pk=application.pk).state == "draft"
                    assert sequence_number(phase, 2021) is None
                else:
                    assert offset <= 0
                    assert submission.record_number == "TEM/1/2021"
                    assert submission.received_at == received_at
                raise _Rollback
        except _Rollback:
            pass

    check()
    assert Submission.objects.count() == 0


# --- Late admission ----------------------------------------------------------------------


def test_an_officer_admits_a_late_submission_with_a_reason():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    coordinator = application.created_by
    late = DEADLINE + timedelta(hours=2)
    with pytest.raises(LateSubmission):
        submit_application(application, by=coordinator, now=late)
    officer = officer_of(phase)

    admission = services.grant_late_admission(
        application,
        reason="  Sähkökatko esti jättämisen.  ",
        valid_until=DEADLINE + timedelta(days=1),
        by=officer,
        now=late + timedelta(minutes=5),
    )

    assert admission.reason == "Sähkökatko esti jättämisen."
    assert admission.granted_by == officer
    assert admission.used_at is None
    event = AuditEvent.objects.for_target(application).get(verb="application.late_admission")
    assert event.actor == officer
    assert event.data["admission"] == admission.pk
    notices = Notice.objects.filter(kind="application.late_admission")
    assert list(notices.values_list("recipient", flat=True)) == [coordinator.pk]

    received_at = late + timedelta(minutes=30)
    submission = submit_application(application, by=coordinator, now=received_at)

    assert submission.late_admission == admission
    assert submission.received_at == received_at
    admission.refresh_from_db()
    assert admission.used_at == received_at
    submitted = AuditEvent.objects.for_target(application).get(verb="application.submitted")
    assert submitted.data["late_admission"] == admission.pk


def test_a_late_admission_is_used_once():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    admission = services.grant_late_admission(
        application,
        reason="Verkkopalvelun häiriö.",
        valid_until=DEADLINE + timedelta(days=1),
        by=officer_of(phase),
        now=DEADLINE + MS,
    )
    first = DEADLINE + timedelta(hours=1)
    submission = submit_application(application, by=application.created_by, now=first)

    retry = submit_application(
        application, by=application.created_by, now=first + timedelta(minutes=1)
    )

    assert retry.pk == submission.pk
    admission.refresh_from_db()
    assert admission.used_at == first
    assert LateAdmission.objects.filter(used_at__isnull=True).count() == 0
    with pytest.raises(ApplicationError) as refusal:
        services.grant_late_admission(
            application,
            reason="Toinen kerta.",
            valid_until=DEADLINE + timedelta(days=2),
            by=officer_of(phase),
            now=first + timedelta(hours=1),
        )
    assert refusal.value.messages == ["Only a draft can be admitted late."]


def test_a_late_admission_needs_a_reason():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)

    with pytest.raises(ApplicationError) as refusal:
        services.grant_late_admission(
            application,
            reason=" \n ",
            valid_until=DEADLINE + timedelta(days=1),
            by=officer_of(phase),
            now=DEADLINE + MS,
        )

    assert refusal.value.messages == ["Give the reason for the late admission."]
    assert LateAdmission.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="application.late_admission").exists()


def test_only_the_funders_officers_admit_late():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    other_officer = officer_of(phase_closing_at(DEADLINE))

    for user in (application.created_by, other_officer):
        with pytest.raises(NotAllowed) as refusal:
            services.grant_late_admission(
                application,
                reason="Syy.",
                valid_until=DEADLINE + timedelta(days=1),
                by=user,
                now=DEADLINE + MS,
            )
        assert refusal.value.messages == ["Only the programme's officers can do this."]
    assert LateAdmission.objects.count() == 0


def test_an_expired_late_admission_does_not_let_the_application_in():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    valid_until = DEADLINE + timedelta(hours=1)
    services.grant_late_admission(
        application,
        reason="Syy.",
        valid_until=valid_until,
        by=officer_of(phase),
        now=DEADLINE + MS,
    )

    with pytest.raises(LateSubmission):
        submit_application(application, by=application.created_by, now=valid_until + MS)
    assert Application.objects.get(pk=application.pk).state == ApplicationState.DRAFT
    assert LateAdmission.objects.get().used_at is None


def test_a_late_admission_must_be_valid_in_the_future():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    now = DEADLINE + timedelta(hours=1)

    with pytest.raises(ApplicationError) as refusal:
        services.grant_late_admission(
            application, reason="Syy.", valid_until=now, by=officer_of(phase), now=now
        )

    assert refusal.value.messages == ["The admission must be valid until a future time."]


def test_a_late_admission_runs_at_most_14_days_after_it_is_granted():
    """Granted after the deadline: 14 days from the grant, to the millisecond; 31.12.9999 is
    refused with the limit named, and nothing is recorded."""
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    officer = officer_of(phase)
    granted = DEADLINE + timedelta(hours=2)
    for valid_until in (
        granted + timedelta(days=14) + MS,
        datetime(9999, 12, 31, 21, 59, tzinfo=UTC),
    ):
        with pytest.raises(ApplicationError) as refusal:
            services.grant_late_admission(
                application, reason="Syy.", valid_until=valid_until, by=officer, now=granted
            )
        assert refusal.value.messages == [
            "A late admission can run for at most 14 days after the phase's deadline, or "
            "after it is granted if that is later: until 29 April 2021 at 18:15 Finnish time "
            "at the latest."
        ]
    assert LateAdmission.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="application.late_admission").exists()

    admission = services.grant_late_admission(
        application,
        reason="Syy.",
        valid_until=granted + timedelta(days=14),
        by=officer,
        now=granted,
    )
    assert admission.valid_until == granted + timedelta(days=14)


def test_a_late_admission_granted_before_the_deadline_counts_from_the_deadline(settings):
    settings.REGIONET_LATE_ADMISSION_MAX_DAYS = 3
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    officer = officer_of(phase)
    granted = DEADLINE - timedelta(days=2)
    with pytest.raises(ApplicationError) as refusal:
        services.grant_late_admission(
            application,
            reason="Syy.",
            valid_until=DEADLINE + timedelta(days=3) + MS,
            by=officer,
            now=granted,
        )
    assert refusal.value.messages == [
        "A late admission can run for at most 3 days after the phase's deadline, or after it "
        "is granted if that is later: until 18 April 2021 at 16:15 Finnish time at the latest."
    ]
    admission = services.grant_late_admission(
        application,
        reason="Syy.",
        valid_until=DEADLINE + timedelta(days=3),
        by=officer,
        now=granted,
    )
    assert admission.valid_until == DEADLINE + timedelta(days=3)


@settings(max_examples=40, deadline=None)
@given(
    granted_hours=st.integers(min_value=-24 * 30, max_value=24 * 60),
    valid_for_minutes=st.integers(min_value=-60, max_value=60 * 24 * 400),
)
@example(granted_hours=2, valid_for_minutes=14 * 24 * 60)
@example(granted_hours=2, valid_for_minutes=14 * 24 * 60 + 1)
@example(granted_hours=-48, valid_for_minutes=16 * 24 * 60)
def test_a_late_admission_is_accepted_exactly_within_its_bound(granted_hours, valid_for_minutes):
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    granted = DEADLINE + timedelta(hours=granted_hours)
    valid_until = granted + timedelta(minutes=valid_for_minutes)
    expected = granted < valid_until <= max(DEADLINE, granted) + timedelta(days=14)
    try:
        services.grant_late_admission(
            application, reason="Syy.", valid_until=valid_until, by=officer_of(phase), now=granted
        )
    except ApplicationError:
        accepted = False
    else:
        accepted = True
    assert accepted == expected
    assert LateAdmission.objects.filter(application=application).count() == int(expected)


# --- Retries -------------------------------------------------------------------------------


def test_a_retry_returns_the_same_submission_and_one_receipt():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    by = application.created_by

    first = submit_application(application, by=by, now=DEADLINE - timedelta(minutes=1))
    second = submit_application(application, by=by, now=DEADLINE - timedelta(seconds=30))

    assert second.pk == first.pk
    assert second.received_at == DEADLINE - timedelta(minutes=1)
    assert Submission.objects.count() == 1
    assert receipts().count() == 1
    assert receipts().get().dedupe_key == f"receipt:{first.pk}"
    assert receipts().get().recipient == by
    assert receipts().get().attachments == [
        {"generator": "applications.receipt_pdf", "args": {"submission": first.pk}}
    ]
    assert submitted_verbs(application) == ["application.submitted"]
    assert sequence_number(phase, 2021) == 1


def test_a_retry_after_the_deadline_returns_the_submission_made_in_time():
    application = draft_in(phase_closing_at(DEADLINE))
    first = submit_application(application, by=application.created_by, now=DEADLINE)

    retry = submit_application(application, by=application.created_by, now=DEADLINE + MS)

    assert retry.pk == first.pk


def test_a_retry_is_answered_to_the_coordinators_members_only():
    application = draft_in(phase_closing_at(DEADLINE))
    submit_application(application, by=application.created_by, now=DEADLINE)
    partner_member = member_of(application.partners.get().organisation)

    with pytest.raises(NotAllowed):
        submit_application(application, by=partner_member, now=DEADLINE)


def test_a_resubmission_after_a_completion_request_is_number_2_under_the_same_record_number():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    by = application.created_by
    first = submit_application(application, by=by, now=DEADLINE - timedelta(days=1))
    request = services.request_completion(
        application,
        items=["basics"],
        closes_at=DEADLINE + timedelta(days=14),
        message="Täydentäkää tiivistelmä.",
        by=officer_of(phase),
        now=DEADLINE + timedelta(days=1),
    )
    services.save_section(
        application,
        "basics",
        {"title": application.title, "summary": "Tarkennettu tiivistelmä."},
        base_version=0,
        by=by,
        now=DEADLINE + timedelta(days=2),
    )

    received_at = DEADLINE + timedelta(days=3)
    second = submit_application(application, by=by, now=received_at)

    assert second.pk != first.pk
    assert (second.number, second.record_number) == (2, "TEM/1/2021")
    assert second.completion_request == request
    application.refresh_from_db()
    assert application.first_submitted_at == DEADLINE - timedelta(days=1)
    assert application.record_number == "TEM/1/2021"
    assert sequence_number(phase, 2021) == 1
    changed = {
        key
        for key in first.content.keys() | second.content.keys()
        if first.content.get(key) != second.content.get(key)
    }
    assert changed == {"number", "received_at", "summary"}
    assert second.content["summary"] == "Tarkennettu tiivistelmä."
    assert receipts().count() == 2


# --- Record numbers ------------------------------------------------------------------------


def test_record_numbers_are_gap_free_per_funder_and_year():
    phase = phase_closing_at(DEADLINE)
    drafts = [draft_in(phase) for _ in range(5)]

    numbers = [
        submit_application(
            draft, by=draft.created_by, now=DEADLINE - timedelta(minutes=i)
        ).record_number
        for i, draft in enumerate(drafts)
    ]

    assert numbers == [f"TEM/{n}/2021" for n in range(1, 6)]
    assert sequence_number(phase, 2021) == 5


def test_two_funders_have_sequences_of_their_own():
    tem = phase_closing_at(DEADLINE)
    other = phase_closing_at(DEADLINE, record_number_format="VM/{number}/{year}")
    drafts = [draft_in(tem), draft_in(other), draft_in(tem), draft_in(other)]

    numbers = [submit_application(d, by=d.created_by, now=DEADLINE).record_number for d in drafts]

    assert numbers == ["TEM/1/2021", "VM/1/2021", "TEM/2/2021", "VM/2/2021"]
    assert sequence_number(tem, 2021) == 2
    assert sequence_number(other, 2021) == 2


def test_two_funders_with_the_same_format_both_start_from_1():
    first = phase_closing_at(DEADLINE, record_number_format="{number}/{year}")
    second = phase_closing_at(DEADLINE, record_number_format="{number}/{year}")
    a, b = draft_in(first), draft_in(second)

    assert submit_application(a, by=a.created_by, now=DEADLINE).record_number == "1/2021"
    assert submit_application(b, by=b.created_by, now=DEADLINE).record_number == "1/2021"


def test_a_refused_submission_takes_no_number():
    phase = phase_closing_at(DEADLINE)
    first, ineligible, second = draft_in(phase), draft_in(phase), draft_in(phase)
    ineligible.title = ""
    ineligible.save()

    assert submit_application(first, by=first.created_by, now=DEADLINE).record_number == (
        "TEM/1/2021"
    )
    with pytest.raises(NotEligible) as refusal:
        submit_application(ineligible, by=ineligible.created_by, now=DEADLINE)
    assert refusal.value.messages == ["The project has a title"]
    assert submit_application(second, by=second.created_by, now=DEADLINE).record_number == (
        "TEM/2/2021"
    )
    ineligible.refresh_from_db()
    assert (ineligible.state, ineligible.record_number) == (ApplicationState.DRAFT, "")
    assert sequence_number(phase, 2021) == 2


def test_the_record_numbers_year_is_the_local_year_of_receipt():
    closes_at = instant_at(datetime(2022, 1, 14, 16, 15), "Europe/Helsinki")
    phase = phase_closing_at(closes_at)
    old_year, new_year = draft_in(phase), draft_in(phase)
    # 31.12.2021 23:59:59.999 and 1.1.2022 00:00 in Helsinki: both on 31.12.2021 in UTC.
    last_of_2021 = datetime(2021, 12, 31, 21, 59, 59, 999000, tzinfo=UTC)
    first_of_2022 = datetime(2021, 12, 31, 22, 0, tzinfo=UTC)

    assert submit_application(old_year, by=old_year.created_by, now=last_of_2021).record_number == (
        "TEM/1/2021"
    )
    assert submit_application(
        new_year, by=new_year.created_by, now=first_of_2022
    ).record_number == ("TEM/1/2022")


# --- The snapshot --------------------------------------------------------------------------

SNAPSHOT_KEYS = {
    "schema",
    "record_number",
    "number",
    "received_at",
    "time_zone",
    "currency",
    "language",
    "programme",
    "call",
    "phase",
    "instrument",
    "coordinator",
    "partners",
    "municipalities",
    "title",
    "summary",
    "theme",
    "zone",
    "questionnaire",
    "answers",
    "budget",
    "financing",
    "attachments",
    "checks",
}


def test_the_snapshot_holds_the_application_as_received():
    phase = phase_closing_at(DEADLINE)
    application = draft_in(phase)
    partner = application.partners.get()

    submission = submit_application(application, by=application.created_by, now=DEADLINE)

    content = Submission.objects.get().content
    assert set(content) == SNAPSHOT_KEYS
    assert content["record_number"] == "TEM/1/2021"
    assert content["number"] == 1
    assert content["received_at"] == "2021-04-15T13:15:00+00:00"
    assert content["phase"]["closes_at"] == "2021-04-15T13:15:00+00:00"
    assert (content["time_zone"], content["currency"]) == ("Europe/Helsinki", "EUR")
    assert content["coordinator"]["id"] == application.coordinator_id
    assert [p["id"] for p in content["partners"]] == [partner.organisation_id]
    assert content["partners"][0]["commitment"] == "Osallistumme hankkeeseen."
    assert content["partners"][0]["confirmed_by"] == partner.confirmed_by.email
    assert len(content["municipalities"]) == 4
    assert len({m["region"]["code"] for m in content["municipalities"]}) == 2
    assert content["budget"]["total_costs"] == "100000.00"
    assert content["budget"]["net_costs"] == "100000.00"
    assert content["budget"]["costs_by_year"] == {"2021": "100000.00"}
    assert content["financing"] == {
        "aid_requested": "80000.00",
        "own_financing": "20000.00",
        "other_public_funding": "0.00",
        "aid_percent": "80.00",
    }
    assert content["checks"] == [
        {"code": code, "passed": True}
        for code in [
            "title",
            "summary",
            "coordinator_type",
            "partner_types",
            "countries",
            "min_municipalities",
            "min_regions",
            "partners_confirmed",
            "budget",
            "financing_balanced",
            "aid_share",
            "own_financing",
        ]
    ]
    assert submission.sha256 == content_hash(submission.content)
    # Recomputed from the JSON as the database gives it back, the hash is the same.
    assert content_hash(content) == submission.sha256
    assert len(submission.sha256) == 64


def test_the_hash_changes_with_any_answer_and_only_then():
    application = draft_in(phase_closing_at(DEADLINE))
    application.answers = {"goals": "Verkosto", "partners_count": 4}
    application.save()

    def snapshot_hash():
        fresh = Application.objects.get(pk=application.pk)
        content = received(
            draft_content(fresh), record_number="TEM/1/2021", number=1, received_at=DEADLINE
        )
        return content_hash(content)

    original = snapshot_hash()
    assert snapshot_hash() == original
    for answers in (
        {"goals": "Verkosto.", "partners_count": 4},
        {"goals": "Verkosto", "partners_count": 5},
        {"goals": "Verkosto", "partners_count": 4, "extra": ""},
        {"goals": "Verkosto"},
    ):
        Application.objects.filter(pk=application.pk).update(answers=answers)
        assert snapshot_hash() != original, answers
    Application.objects.filter(pk=application.pk).update(
        answers={"partners_count": 4, "goals": "Verkosto"}
    )
    assert snapshot_hash() == original
    row = application.budget_rows.get(category="other")
    row.amount += Decimal("0.01")
    row.save()
    assert snapshot_hash() != original


def test_a_submission_cannot_be_saved_again():
    application = draft_in(phase_closing_at(DEADLINE))
    submission = submit_application(application, by=application.created_by, now=DEADLINE)
    submission.content["title"] = "Muutettu"

    with pytest.raises(ValueError, match=r"^A submission is immutable\.$"):
        submission.save()

    assert Submission.objects.get().content["title"] == application.title


def test_an_application_asking_no_aid_can_be_submitted():
    application = draft_in(phase_closing_at(DEADLINE))
    application.aid_requested = Decimal("0.00")
    application.own_financing = Decimal("100000.00")
    application.save()

    submission = submit_application(application, by=application.created_by, now=DEADLINE)

    assert submission.content["financing"]["aid_percent"] == "0.00"


def test_the_database_refuses_a_record_number_twice_for_one_funder():
    """The counter keeps numbers unique; the constraint makes sure nothing else breaks that."""
    first = eligible_draft()
    submit_application(first, by=first.created_by)
    first.refresh_from_db()
    second = eligible_draft(first.phase)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=second.pk).update(record_number=first.record_number)

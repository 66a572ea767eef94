"""What the database must hold after the rush; each failed check is one line of the report."""

import re
from collections import Counter, defaultdict

from django_tasks_db.models import DBTaskResult

from regionet.applications.models import Application, ApplicationState, RecordSequence, Submission
from regionet.audit.models import AuditEvent
from regionet.notifications.models import Notice
from regionet.notifications.services import sweep_waiting
from regionet.programmes.models import Programme

from .load import receipt_of
from .models import Ping


def _record_pattern(programme) -> re.Pattern:
    pattern = re.escape(programme.record_number_format)
    pattern = pattern.replace(r"\{number\}", r"(?P<number>\d+)").replace(
        r"\{year\}", r"(?P<year>\d{4})"
    )
    return re.compile(f"^{pattern}$")


def verify(world, rush, late, pings, *, deadline: float) -> tuple[list[str], list[str], dict]:
    """(passed checks, failed checks, counts) for the results of the three batches.

    ``deadline`` is the phase's closing instant as a ``time.time()``: the wall clock the server
    on this machine decides by (a monotonic clock can drift from it by a second in a minute on
    a virtual machine). An applicant of the rush is in time when its (first) post was sent
    before it.
    """
    passed, failed = [], []

    def check(ok: bool, text: str):
        (passed if ok else failed).append(text)

    applicants = {a.index: a for a in world.applicants}
    first_sent = {}
    for result in rush:
        first_sent.setdefault(result.post.applicant, result.sent_wall)
    on_time = [
        a for a in world.applicants if a.index in first_sent and first_sent[a.index] <= deadline
    ]
    queued_late = [
        a for a in world.applicants if a.index in first_sent and first_sent[a.index] > deadline
    ]
    late_ones = [a for a in world.applicants if a.late] + queued_late
    everything = [*rush, *late, *pings]

    errors = [r for r in everything if r.status is None or r.status >= 500]
    check(not errors, f"no server error or connection error ({len(errors)} found)")
    check(
        not queued_late,
        f"the rush was over before the deadline ({len(queued_late)} applicants' posts "
        "waited in the client's queue past it)",
    )

    receipts = defaultdict(set)
    for result in rush:
        receipt = receipt_of(result)
        if receipt is not None:
            pk, number = receipt
            if pk == applicants[result.post.applicant].application_id:
                receipts[result.post.applicant].add(number)
    accepted = set(receipts)
    check(
        accepted >= {a.index for a in on_time},
        f"every post sent before the deadline got a receipt "
        f"({len(accepted & {a.index for a in on_time})}/{len(on_time)})",
    )
    twice = [i for i, numbers in receipts.items() if len(numbers) != 1]
    double = [a for a in on_time if a.double_click]
    double_ok = [
        a
        for a in double
        if sum(1 for r in rush if r.post.applicant == a.index and receipt_of(r)) == 2
    ]
    check(
        not twice and len(double_ok) == len(double),
        f"a double click gets the same receipt twice ({len(double_ok)}/{len(double)})",
    )

    submissions = list(
        Submission.objects.filter(application__phase_id=world.phase_id).select_related(
            "application"
        )
    )
    per_application = Counter(s.application_id for s in submissions)
    accepted_ids = {applicants[i].application_id for i in accepted}
    check(
        set(per_application) == accepted_ids and set(per_application.values()) <= {1},
        f"exactly one submission per accepted application ({len(submissions)} submissions, "
        f"{len(accepted_ids)} accepted)",
    )
    submitted = set(
        Application.objects.filter(
            phase_id=world.phase_id, state=ApplicationState.SUBMITTED
        ).values_list("pk", flat=True)
    )
    check(submitted == accepted_ids, f"the accepted applications are submitted ({len(submitted)})")

    notices = Counter(
        Notice.objects.filter(kind="application.receipt").values_list("dedupe_key", flat=True)
    )
    expected = {f"receipt:{s.pk}" for s in submissions}
    check(
        set(notices) == expected and set(notices.values()) <= {1},
        f"exactly one receipt notice per submission ({sum(notices.values())} notices)",
    )

    programme = Programme.objects.get(pk=world.programme_id)
    pattern = _record_pattern(programme)
    numbers_by_year = defaultdict(list)
    mismatched = 0
    for submission in submissions:
        match = pattern.match(submission.record_number or "")
        if match is None or submission.application.record_number != submission.record_number:
            mismatched += 1
            continue
        numbers_by_year[int(match["year"])].append(int(match["number"]))
    check(
        not mismatched,
        f"each submission carries its application's record number ({mismatched} not)",
    )
    for year, numbers in sorted(numbers_by_year.items()):
        count = len(numbers)
        sequence = RecordSequence.objects.get(funder_id=world.funder_id, year=year)
        check(
            sorted(numbers) == list(range(1, count + 1)) and sequence.last_number == count,
            f"record numbers {year} are exactly 1..{count}, no gap or duplicate "
            f"(counter at {sequence.last_number})",
        )

    late_receipts = [r for r in late if receipt_of(r) is not None] + [
        r
        for r in rush
        if r.sent_wall > deadline
        and receipt_of(r) is not None
        and first_sent[r.post.applicant] > deadline
    ]
    late_posts = len(late) + sum(
        1 for a in queued_late for r in rush if r.post.applicant == a.index
    )
    after = sorted(r.sent_wall - deadline for r in late)
    sent = f"sent {after[0]:.2f}–{after[-1]:.2f} s after closing (wall clock), " if after else ""
    check(
        not late_receipts,
        f"every post after the deadline was refused ({late_posts} posts, {sent}"
        f"{len(late_receipts)} accepted)",
    )
    late_ids = {a.application_id for a in late_ones}
    late_drafts = Application.objects.filter(
        pk__in=late_ids, state=ApplicationState.DRAFT, record_number=""
    ).count()
    check(
        late_drafts == len(late_ids) and not (late_ids & set(per_application)),
        f"late applications are still drafts without a submission ({late_drafts}/{len(late_ids)})",
    )

    ping_ok = sum(1 for r in pings if r.status == 302)
    check(
        Ping.objects.count() == ping_ok == len(pings),
        f"the one-insert view inserted one row per request ({Ping.objects.count()}/{len(pings)})",
    )

    audit = AuditEvent.objects.filter(verb="application.submitted").count()
    check(audit == len(submissions), f"one audit event per submission ({audit})")

    # Nothing sends without a worker: every pending receipt must be left to a waiting sweep
    # (the database queue), or have been sent in the request (the immediate one).
    pending = Notice.objects.filter(kind="application.receipt", state=Notice.State.PENDING)
    waiting = sweep_waiting()
    check(
        not pending.exists() or waiting,
        f"the pending receipts are left to a waiting sweep ({pending.count()} pending, "
        f"a sweep {'waits' if waiting else 'does not wait'})",
    )

    counts = {
        "submissions": len(submissions),
        "receipt_notices": sum(notices.values()),
        "notices_pending": Notice.objects.filter(
            kind="application.receipt", state=Notice.State.PENDING
        ).count(),
        "notices_sent": Notice.objects.filter(
            kind="application.receipt", state=Notice.State.SENT
        ).count(),
        "tasks_queued": DBTaskResult.objects.count(),
        "late_refusals": Counter(r.status for r in late),
        "rush_statuses": Counter(r.status for r in rush),
    }
    return passed, failed, counts

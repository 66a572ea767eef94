"""The content prepared on the check page: the submit door freezes it while the draft is the
one it was built from, and reads and checks the draft itself otherwise."""

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regionet.applications import services
from regionet.applications.models import (
    Application,
    ApplicationState,
    PreparedSubmission,
    Submission,
)
from regionet.applications.services import (
    DraftChanged,
    LateSubmission,
    NotEligible,
    prepare_submission,
    submit_application,
)
from regionet.applications.snapshot import SCHEMA, content_hash, draft_content
from regionet.notifications.models import Notice
from regionet.programmes.deadlines import instant_at

from .conftest import draft_in, member_of, officer_of, phase_closing_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DEADLINE = instant_at(datetime(2021, 4, 15, 16, 15), "Europe/Helsinki")
BEFORE = DEADLINE - timedelta(minutes=5)
MS = timedelta(milliseconds=1)


class _Rollback(Exception):
    pass


def fresh(application):
    return Application.objects.get(pk=application.pk)


def submitted_content(application, *, prepared: bool) -> dict:
    """The content a submission of ``application`` at the deadline freezes, rolled back."""
    try:
        with transaction.atomic():
            PreparedSubmission.objects.filter(application=application).delete()
            if prepared:
                prepare_submission(application, now=BEFORE)
            content = submit_application(
                application, by=application.created_by, now=DEADLINE
            ).content
            raise _Rollback
    except _Rollback:
        return content


def tables_read(queries) -> str:
    return " ".join(query["sql"] for query in queries)


@pytest.fixture
def draft():
    return draft_in(phase_closing_at(DEADLINE))


def test_preparing_keeps_the_drafts_content_under_its_fingerprint(draft):
    prepared = prepare_submission(draft, now=BEFORE)

    stored = PreparedSubmission.objects.get()
    assert stored == prepared
    assert stored.application_id == draft.pk
    assert stored.fingerprint == services.draft_fingerprint(fresh(draft))
    assert stored.prepared_at == BEFORE
    assert stored.content == draft_content(fresh(draft))
    assert stored.content["schema"] == SCHEMA
    assert {"record_number", "number", "received_at"}.isdisjoint(stored.content)


def test_preparing_again_replaces_the_prepared_content(draft):
    prepare_submission(draft, now=BEFORE)
    services.save_section(
        draft,
        "basics",
        {"title": "Vetytalouden verkosto", "summary": draft.summary},
        base_version=0,
        by=draft.created_by,
    )

    prepare_submission(draft, now=BEFORE + MS)

    stored = PreparedSubmission.objects.get()
    assert stored.content["title"] == "Vetytalouden verkosto"
    assert stored.fingerprint == services.draft_fingerprint(fresh(draft))
    assert stored.prepared_at == BEFORE + MS


def test_a_prepared_and_an_unprepared_submission_freeze_the_same_content(draft):
    with_preparation = submitted_content(draft, prepared=True)
    without = submitted_content(draft, prepared=False)

    assert with_preparation == without
    assert content_hash(with_preparation) == content_hash(without)
    assert with_preparation["record_number"] == "TEM/1/2021"
    assert with_preparation["received_at"] == "2021-04-15T13:15:00+00:00"


def test_the_submit_door_uses_the_prepared_content_and_reads_no_lists(draft):
    prepare_submission(draft, now=BEFORE)

    with CaptureQueriesContext(connection) as queries:
        submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    read = tables_read(queries.captured_queries)
    for table in (
        "applications_partner",
        "applications_budgetrow",
        "applications_incomerow",
        "applications_attachment",
        "places_municipality",
        "programmes_instrument_countries",
    ):
        assert table not in read, table
    assert submission.content["title"] == draft.title
    assert submission.sha256 == content_hash(Submission.objects.get().content)


def test_the_prepared_content_is_what_is_received_while_the_fingerprint_matches(draft):
    """The door trusts the prepared content for the draft it was built from: the check page
    showed it, and nothing of the draft has changed since."""
    prepare_submission(draft, now=BEFORE)
    PreparedSubmission.objects.filter(application=draft).update(
        content={**draft_content(fresh(draft)), "title": "Tarkistussivun nimi"}
    )

    submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert submission.content["title"] == "Tarkistussivun nimi"


def test_content_prepared_before_a_change_is_not_used(draft):
    prepare_submission(draft, now=BEFORE)
    services.save_section(
        draft,
        "basics",
        {"title": "Muutettu nimi", "summary": draft.summary},
        base_version=0,
        by=draft.created_by,
    )

    submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert submission.content["title"] == "Muutettu nimi"
    assert submission.content == {
        **draft_content(fresh(draft)),
        "record_number": "TEM/1/2021",
        "number": 1,
        "received_at": "2021-04-15T13:15:00+00:00",
    }


def test_content_of_another_snapshot_schema_is_not_used(draft):
    prepare_submission(draft, now=BEFORE)
    PreparedSubmission.objects.filter(application=draft).update(
        content={"schema": SCHEMA + 1, "title": "Vanha muoto"}
    )

    submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert submission.content["title"] == draft.title
    assert submission.content["schema"] == SCHEMA


def test_a_draft_that_cannot_be_submitted_gets_nothing_prepared(draft):
    Application.objects.filter(pk=draft.pk).update(summary="")

    assert prepare_submission(draft, now=BEFORE) is None

    assert not PreparedSubmission.objects.exists()
    with pytest.raises(NotEligible):
        submit_application(draft, by=draft.created_by, now=DEADLINE)


def test_a_submitted_application_gets_nothing_prepared(draft):
    submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert prepare_submission(draft, now=DEADLINE) is None

    assert not PreparedSubmission.objects.exists()


def test_prepared_content_does_not_let_a_late_submission_in(draft):
    prepare_submission(draft, now=BEFORE)

    with pytest.raises(LateSubmission):
        submit_application(draft, by=draft.created_by, now=DEADLINE + MS)

    assert fresh(draft).state == ApplicationState.DRAFT
    assert not Submission.objects.exists()


def test_prepared_content_does_not_pass_a_changed_draft_off_as_checked(draft):
    checked = services.draft_fingerprint(fresh(draft))
    services.save_section(
        draft,
        "basics",
        {"title": "Muutettu nimi", "summary": draft.summary},
        base_version=0,
        by=draft.created_by,
    )
    prepare_submission(draft, now=BEFORE)

    with pytest.raises(DraftChanged):
        submit_application(draft, by=draft.created_by, now=DEADLINE, expected_fingerprint=checked)

    assert not Submission.objects.exists()


def test_a_resubmission_after_a_completion_request_uses_content_prepared_for_it(draft):
    submit_application(draft, by=draft.created_by, now=BEFORE)
    services.request_completion(
        fresh(draft),
        items=["basics"],
        closes_at=DEADLINE + timedelta(days=7),
        by=officer_of(draft),
        now=DEADLINE,
    )
    services.save_section(
        fresh(draft),
        "basics",
        {"title": "Täydennetty nimi", "summary": draft.summary},
        base_version=0,
        by=draft.created_by,
        now=DEADLINE + timedelta(days=1),
    )
    prepare_submission(draft, now=DEADLINE + timedelta(days=1))

    second = submit_application(fresh(draft), by=draft.created_by, now=DEADLINE + timedelta(days=2))

    assert second.number == 2
    assert second.record_number == "TEM/1/2021"
    assert second.content["title"] == "Täydennetty nimi"
    assert second.content["number"] == 2


def test_the_check_page_prepares_what_its_submit_button_sends(client, draft):
    client.force_login(draft.created_by)
    with translation.override("en"):
        page = reverse("applications:check", kwargs={"pk": draft.pk})

    response = client.get(page)

    stored = PreparedSubmission.objects.get()
    assert response.status_code == 200
    assert f'value="{stored.fingerprint}"' in response.content.decode()
    assert stored.content == draft_content(fresh(draft))


def test_the_check_page_of_a_partner_prepares_nothing(client, draft):
    partner_member = member_of(draft.partners.get().organisation)
    client.force_login(partner_member)
    with translation.override("en"):
        page = reverse("applications:check", kwargs={"pk": draft.pk})

    response = client.get(page)

    assert response.status_code == 200
    assert not PreparedSubmission.objects.exists()


def test_a_prepared_submission_is_received_in_a_fixed_number_of_statements(
    draft, django_assert_num_queries
):
    """One statement locks and reads the draft with its prepared content and the submitter's
    membership; then number, submission, its municipalities (what the officers' lists filter
    by), application, audit event, receipt notice — however large the draft. (In a test the
    door's transaction is a savepoint: two more; the year's first number also creates the
    funder's counter row: two more.)"""
    earlier = draft_in(draft.phase)
    submit_application(earlier, by=earlier.created_by, now=BEFORE)
    prepare_submission(draft, now=BEFORE)
    by = fresh(draft).created_by

    with django_assert_num_queries(9):
        submit_application(Application(pk=draft.pk), by=by, now=DEADLINE)


@pytest.mark.parametrize("published", ["call", "programme"])
def test_content_prepared_before_the_call_was_published_again_is_not_used(draft, published):
    """The call's rules change only while it is withdrawn: publishing it again (or its
    programme) makes earlier prepared content stale, whatever the draft's fingerprint."""
    prepare_submission(draft, now=BEFORE)
    PreparedSubmission.objects.filter(application=draft).update(
        content={**draft_content(fresh(draft)), "title": "Ennen uutta julkaisua"}
    )
    call = draft.phase.call
    target = call if published == "call" else call.programme
    type(target).objects.filter(pk=target.pk).update(published_at=BEFORE + MS)

    submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert submission.content["title"] == draft.title


def test_content_prepared_after_the_latest_publication_is_used(draft):
    call = draft.phase.call
    type(call).objects.filter(pk=call.pk).update(published_at=BEFORE)
    prepare_submission(draft, now=BEFORE)
    PreparedSubmission.objects.filter(application=draft).update(
        content={**draft_content(fresh(draft)), "title": "Julkaisun jälkeen"}
    )

    submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert submission.content["title"] == "Julkaisun jälkeen"


@pytest.mark.parametrize("active", ["fi", "sv", "en"])
def test_organisation_names_are_frozen_in_the_applications_language(draft, active):
    """Whoever's page prepared it: a Swedish-speaking colleague's check page does not turn
    the Finnish application's coordinator into its Swedish name (nor the receipt)."""
    coordinator = draft.coordinator
    coordinator.name_fi, coordinator.name_sv = "Vaasan kaupunki", "Vasa stad"
    coordinator.name_en = "City of Vaasa"
    coordinator.save(update_fields=["name_fi", "name_sv", "name_en"])
    draft.language = "fi"
    draft.save(update_fields=["language"])
    with translation.override(active):
        prepare_submission(draft, now=BEFORE)
    with translation.override("sv"):
        submission = submit_application(draft, by=draft.created_by, now=DEADLINE)

    assert submission.content["coordinator"]["name"] == "Vaasan kaupunki"
    notice = Notice.objects.get(kind="application.receipt")
    assert notice.context["organisation_name"] == "Vaasan kaupunki"

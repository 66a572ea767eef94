"""What the second reading of the applications found, held by tests: during a completion
request the work in progress stays the applicants' own, the request ends at its deadline or
when the officer closes it, and a submit checks the answers the submitter saw under the lock."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from regionet.accounts.models import Organisation
from regionet.applications import services
from regionet.applications.eligibility import application_checks, sections_opened_together
from regionet.applications.models import ApplicationState, CostCategory, Section, Submission
from regionet.applications.uploads import check_upload
from regionet.questionnaires.models import Question
from tests.factories import (
    AttachmentFactory,
    FunderFactory,
    QuestionFactory,
    QuestionnaireVersionFactory,
    SectionFactory,
    eligible_draft,
)
from tests.factories.documents import make_pdf

from .conftest import member_of, officer_of

pytestmark = pytest.mark.django_db

PDF = make_pdf()


def submitted_with_request(items, closes_in=timedelta(days=3)):
    application = eligible_draft()
    services.submit_application(application, by=application.created_by)
    officer = officer_of(application)
    services.request_completion(
        application, items=items, closes_at=timezone.now() + closes_in, by=officer
    )
    application.refresh_from_db()
    return application, officer


def signed_in_officer(client, application):
    """An officer of the application's funder, signed in with two-factor authentication set."""
    officer = officer_of(application)
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    return officer


def uploaded(application, by):
    file = SimpleUploadedFile("lisaselvitys.pdf", PDF, content_type="application/pdf")
    file.checked = check_upload(file)
    return services.add_attachment(application, file, by=by)


def test_officers_see_what_was_received_not_the_work_in_progress(client, english):
    application, officer = submitted_with_request([Section.BASICS, Section.ATTACHMENTS])
    assert application.attachments.count() == 0
    in_progress = uploaded(application, application.created_by)
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    pk = application.pk
    for name in ("detail", "check", "basics"):
        assert client.get(reverse(f"applications:{name}", kwargs={"pk": pk})).status_code == 404
    assert (
        client.get(reverse("applications:receipt", kwargs={"pk": pk, "number": 1})).status_code
        == 200
    )
    download = reverse(
        "applications:download_attachment", kwargs={"pk": pk, "attachment": in_progress.pk}
    )
    assert client.get(download).status_code == 404
    page = client.get(reverse("workspace:application", kwargs={"pk": pk}))
    assert page.status_code == 200
    assert page.context["checks"] is None
    client.force_login(application.created_by)
    assert client.get(download).status_code == 200


def test_officers_download_the_files_a_submission_received(client):
    """In the workspace, as the submission received them; the applicants' own download
    (which serves the draft's files) is not theirs."""
    application = eligible_draft()
    attachment = AttachmentFactory(application=application)
    services.submit_application(application, by=application.created_by)
    signed_in_officer(client, application)
    response = client.get(
        reverse(
            "workspace:attachment",
            kwargs={"pk": application.pk, "number": 1, "attachment": attachment.pk},
        )
    )
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    applicants_download = reverse(
        "applications:download_attachment",
        kwargs={"pk": application.pk, "attachment": attachment.pk},
    )
    assert client.get(applicants_download).status_code == 404


def test_nothing_can_be_edited_after_the_requests_deadline():
    application, _officer = submitted_with_request([Section.BASICS])
    assert services.editable_sections(application, application.created_by) == {"basics"}
    request = application.completion_requests.get()
    request.closes_at = timezone.now() - timedelta(milliseconds=1)
    request.save(update_fields=["closes_at"])
    assert services.editable_sections(application, application.created_by) == set()


def test_the_officer_closes_a_request_without_additions(english):
    application, officer = submitted_with_request([Section.BASICS])
    with pytest.raises(services.NotAllowed):
        services.close_completion_request(application, by=application.created_by)
    services.close_completion_request(application, by=officer)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.completion_requests.get().answered_at is not None
    assert application.submissions.count() == 1
    with pytest.raises(services.ApplicationError) as refused:
        services.close_completion_request(application, by=officer)
    assert refused.value.messages == ["The application has no open completion request."]


def test_a_partner_cannot_confirm_when_the_consortium_was_not_requested(english):
    application = eligible_draft(confirmed_partner=False)
    partner = application.partners.get()
    services.confirm_partnership(partner, commitment="Mukana.", by=member_of(partner.organisation))
    services.submit_application(application, by=application.created_by)
    officer = officer_of(application)
    services.request_completion(
        application,
        items=[Section.BUDGET],
        closes_at=timezone.now() + timedelta(days=2),
        by=officer,
    )
    partner.confirmed_at = None
    partner.save(update_fields=["confirmed_at"])
    with pytest.raises(services.ApplicationError) as refused:
        services.confirm_partnership(
            partner, commitment="Mukana.", by=member_of(partner.organisation)
        )
    assert refused.value.messages == ["The consortium is not among the requested additions."]


def test_a_submit_compares_the_answers_the_submitter_saw_under_the_lock(english):
    application = eligible_draft()
    seen = services.draft_fingerprint(application)
    services.save_section(
        application,
        Section.BASICS,
        {"title": "Uusi nimi", "summary": application.summary},
        base_version=0,
        by=application.created_by,
    )
    with pytest.raises(services.DraftChanged):
        services.submit_application(
            application, by=application.created_by, expected_fingerprint=seen
        )
    assert Submission.objects.count() == 0
    application.refresh_from_db()
    submission = services.submit_application(
        application,
        by=application.created_by,
        expected_fingerprint=services.draft_fingerprint(application),
    )
    assert submission.content["title"] == "Uusi nimi"


def test_a_funder_cannot_apply(english):
    application = eligible_draft()
    funder = FunderFactory(type=Organisation.Type.STATE_AUTHORITY)
    user = member_of(funder)
    problems = services.start_problems(application.phase, application.instrument, funder, user)
    assert problems == ["A funder cannot apply to a call."]


def test_the_completion_email_names_the_parts_in_the_applicants_language(
    django_capture_on_commit_callbacks,
):
    application = eligible_draft()
    services.submit_application(application, by=application.created_by)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_completion(
            application,
            items=[Section.BUDGET, Section.MUNICIPALITIES],
            closes_at=timezone.now() + timedelta(days=2),
            by=officer_of(application),
        )
    (message,) = mail.outbox
    assert "- Budjetti\n" in message.body
    assert "- Osallistuvat kunnat\n" in message.body
    assert "budget" not in message.body
    assert "- Rahoitussuunnitelma\n" in message.body


# --- A completion request never leaves a check the applicant cannot put right -------------


def test_completing_the_budget_opens_the_financing_plan_so_the_applicant_is_not_stuck(
    english,
):
    """The officer asks for the budget only; the applicant adds 3 000,00 € of travel costs,
    which the financing plan must then cover: it is opened with the budget, so the
    applicant puts it right and submits (before, it stayed locked and the check failed)."""
    application, _officer = submitted_with_request([Section.BUDGET])
    coordinator = application.created_by
    assert services.open_completion_request(application).items == [
        Section.BUDGET,
        Section.FINANCING,
    ]
    year = application.phase.call.programme.first_year
    costs = {
        (row.year, row.category): row.amount
        for row in application.budget_rows.exclude(category=CostCategory.INDIRECT)
    }
    costs[(year, CostCategory.TRAVEL)] = Decimal("3000.00")
    services.save_section(
        application,
        Section.BUDGET,
        {"costs": costs, "income": []},
        base_version=application.section_version(Section.BUDGET),
        by=coordinator,
    )
    application.refresh_from_db()
    failing = [check.code for check in application_checks(application) if not check.passed]
    assert failing == ["financing_balanced", "own_financing"]

    services.save_section(
        application,
        Section.FINANCING,
        {
            "aid_requested": Decimal("80000.00"),
            "own_financing": Decimal("23000.00"),
            "other_public_funding": Decimal("0.00"),
        },
        base_version=application.section_version(Section.FINANCING),
        by=coordinator,
    )
    application.refresh_from_db()
    submission = services.submit_application(application, by=coordinator)

    assert (submission.number, submission.content["financing"]["own_financing"]) == (
        2,
        "23000.00",
    )
    assert Submission.objects.get(pk=submission.pk).application.state == (
        ApplicationState.SUBMITTED
    )


def test_questions_answered_by_a_file_open_the_attachments_with_their_section(english):
    application = eligible_draft()
    section = SectionFactory(version=QuestionnaireVersionFactory(), order=1)
    QuestionFactory(section=section, key="work_plan", kind=Question.Kind.FILE, order=1)
    plain = SectionFactory(version=section.version, order=2)
    QuestionFactory(section=plain, key="goals", kind=Question.Kind.SHORT_TEXT, order=1)
    application.questionnaire_version = section.version
    application.save(update_fields=["questionnaire_version"])

    assert sections_opened_together(application, [f"answers:{section.pk}"]) == [
        f"answers:{section.pk}",
        Section.ATTACHMENTS,
    ]
    assert sections_opened_together(application, [f"answers:{plain.pk}"]) == [f"answers:{plain.pk}"]
    assert sections_opened_together(application, [Section.FINANCING, Section.BASICS]) == [
        Section.BASICS,
        Section.FINANCING,
    ]

"""The applicant's pages through the client: list, start, task list, check and submit, receipt,
withdraw, partner confirmation and attachment download, and who is kept out of them."""

import html
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from regionet.applications import services
from regionet.applications.models import (
    Application,
    ApplicationState,
    PreparedSubmission,
    Section,
    Submission,
)
from regionet.audit.models import AuditEvent
from regionet.programmes import deadlines
from regionet.programmes.models import Instrument, Phase
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PhaseFactory,
    QuestionFactory,
    QuestionnaireVersionFactory,
    SectionFactory,
    UserFactory,
    eligible_draft,
    open_phase,
)

from .conftest import draft_in, member_of, officer_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a temporary folder, not to the project's media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"applications:{name}", kwargs=kwargs)


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip()


def text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    body = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", body.replace("&nbsp;", " ").replace("\xa0", " ")).strip()


def submit_form_present(response) -> bool:
    return (
        re.search(r'<form method="post" action="[^"]*/submit/"', response.content.decode())
        is not None
    )


def record_year() -> int:
    return timezone.now().astimezone(ZoneInfo("Europe/Helsinki")).year


@pytest.fixture
def draft():
    """A complete draft with a confirmed partner and one attachment."""
    application = eligible_draft()
    AttachmentFactory(application=application, name="suunnitelma.pdf")
    return application


@pytest.fixture
def coordinator(draft):
    return draft.created_by


def fingerprint(application):
    application.refresh_from_db()
    return services.draft_fingerprint(application)


def submitted(application):
    return services.submit_application(application, by=application.created_by)


# --- Every page as the coordinator ------------------------------------------------------


def test_every_page_opens_for_the_coordinator(client, draft, coordinator):
    client.force_login(coordinator)
    pages = {
        url("list"): "My applications",
        url("start", call=draft.phase.call_id): f"Start an application: {draft.phase.call.name_en}",
        url("detail", pk=draft.pk): f"Application: {draft.title}",
        url("check", pk=draft.pk): "Check your answers",
        url("withdraw", pk=draft.pk): "Withdraw the application",
    }
    for address, heading in pages.items():
        response = client.get(address)
        assert response.status_code == 200, address
        assert h1(response) == heading
    submission = submitted(draft)
    response = client.get(url("receipt", pk=draft.pk, number=submission.number))
    assert response.status_code == 200
    assert h1(response) == "Application received"


def test_the_list_groups_drafts_and_submitted_applications(client, draft, coordinator):
    other = ApplicationFactory(
        created_by=coordinator, coordinator=draft.coordinator, title="Toinen hanke"
    )
    submitted(draft)
    client.force_login(coordinator)
    page = client.get(url("list")).content.decode().replace("\xa0", " ")
    drafts = page[page.index('id="drafts-heading"') : page.index('id="submitted-heading"')]
    sent = page[page.index('id="submitted-heading"') :]
    assert "Toinen hanke" in drafts
    assert draft.title not in drafts
    assert draft.title in sent
    assert f"TEM/1/{record_year()}" in sent
    assert "Toinen hanke" not in sent
    phase = other.phase
    deadline = phase.closes_at.astimezone(ZoneInfo("Europe/Helsinki"))
    assert f"at {deadline:%H:%M} Finnish time" in drafts
    assert "6 days" in drafts


def test_the_list_asks_the_same_number_of_queries_for_one_and_five_applications(
    client, django_assert_num_queries
):
    user = MembershipFactory().user
    organisation = user.memberships.get().organisation
    phase = open_phase()
    ApplicationFactory(phase=phase, coordinator=organisation, created_by=user)
    client.force_login(user)
    # One of them asks whether the user's address is verified (accounts.verification).
    with django_assert_num_queries(8):
        assert client.get(url("list")).status_code == 200
    for _ in range(2):
        ApplicationFactory(phase=phase, coordinator=organisation, created_by=user)
    # Two more as a partner, one of them still to confirm.
    PartnerFactory(organisation=organisation, confirmed_at=timezone.now())
    pending = PartnerFactory(organisation=organisation)
    with django_assert_num_queries(8):
        response = client.get(url("list"))
    body = response.content.decode()
    assert len(re.findall(r'href="/en/applications/\d+/"', body)) == 5
    assert url("confirm_partner", pk=pending.pk) in body


# --- Nobody reads another organisation's application -------------------------------------


@pytest.fixture
def submitted_application(draft):
    submitted(draft)
    return draft


PROTECTED = [
    ("get", "detail"),
    ("get", "check"),
    ("post", "submit"),
    ("get", "withdraw"),
    ("post", "withdraw"),
    ("get", "receipt"),
    ("get", "receipt_pdf"),
    ("get", "download_attachment"),
    ("get", "confirm_partner"),
    ("post", "confirm_partner"),
]


def _address(name, application):
    if name in ("receipt", "receipt_pdf"):
        return url(name, pk=application.pk, number=1)
    if name == "download_attachment":
        return url(name, pk=application.pk, attachment=application.attachments.get().pk)
    if name == "confirm_partner":
        return url(name, pk=application.partners.get().pk)
    return url(name, pk=application.pk)


@pytest.mark.parametrize(("method", "name"), PROTECTED)
def test_a_member_of_another_organisation_gets_404(client, submitted_application, method, name):
    outsider = member_of(OrganisationFactory())
    client.force_login(outsider)
    address = _address(name, submitted_application)
    data = {"fingerprint": fingerprint(submitted_application), "reason": "x", "commitment": "x"}
    response = getattr(client, method)(address, data) if method == "post" else client.get(address)
    assert response.status_code == 404
    submitted_application.refresh_from_db()
    assert submitted_application.state == ApplicationState.SUBMITTED
    assert submitted_application.submissions.count() == 1


def test_an_outsider_cannot_submit_a_draft(client, draft):
    client.force_login(member_of(OrganisationFactory()))
    response = client.post(url("submit", pk=draft.pk), {"fingerprint": fingerprint(draft)})
    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_an_outsider_does_not_see_the_application_in_their_list(client, draft):
    client.force_login(member_of(OrganisationFactory()))
    assert draft.title not in client.get(url("list")).content.decode()


def test_a_partner_member_sees_the_application_but_cannot_submit_or_withdraw(client, draft):
    partner_user = draft.partners.get().organisation.memberships.get().user
    client.force_login(partner_user)
    assert client.get(url("detail", pk=draft.pk)).status_code == 200
    check_page = client.get(url("check", pk=draft.pk))
    assert check_page.status_code == 200
    assert not submit_form_present(check_page)
    assert "Only the coordinator's members can submit the application." in text(check_page)
    response = client.post(url("submit", pk=draft.pk), {"fingerprint": fingerprint(draft)})
    assert response.status_code == 404
    assert client.get(url("withdraw", pk=draft.pk)).status_code == 404
    assert client.post(url("withdraw", pk=draft.pk), {"reason": ""}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT
    assert Submission.objects.count() == 0


# --- Starting ---------------------------------------------------------------------------


def test_starting_an_application_makes_a_draft_and_opens_its_task_list(client):
    phase = open_phase()
    user = MembershipFactory(user__preferred_language="sv").user
    organisation = user.memberships.get().organisation
    client.force_login(user)
    page = client.get(url("start", call=phase.call_id))
    assert page.status_code == 200
    assert 'value="sv" required id="id_language_1" checked' in page.content.decode()
    response = client.post(
        url("start", call=phase.call_id),
        {
            "phase": phase.pk,
            "instrument": phase.call.instruments.get().pk,
            "coordinator": organisation.pk,
            "language": "sv",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", pk=application.pk)
    assert (application.phase, application.coordinator, application.created_by) == (
        phase,
        organisation,
        user,
    )
    assert (application.language, application.state) == ("sv", ApplicationState.DRAFT)


def test_a_user_without_an_organisation_is_sent_to_register_one(client):
    phase = open_phase()
    client.force_login(UserFactory())
    page = client.get(url("start", call=phase.call_id))
    assert page.status_code == 200
    assert url_of_registration() in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()


def url_of_registration():
    with translation.override("en"):
        return reverse("accounts:organisation_register_country")


def test_an_invitation_only_phase_refuses_a_consortium_not_invited(client):
    phase = open_phase(requires_invitation=True, kind=Phase.Kind.FULL)
    user = MembershipFactory().user
    client.force_login(user)
    response = client.post(
        url("start", call=phase.call_id),
        {
            "phase": phase.pk,
            "instrument": phase.call.instruments.get().pk,
            "coordinator": user.memberships.get().organisation_id,
            "language": "fi",
        },
    )
    assert response.status_code == 409
    assert "Only consortia invited after the idea phase can apply in this phase." in text(response)
    assert Application.objects.count() == 0


# --- The invitation to the full application -------------------------------------------


@pytest.fixture
def invited_idea():
    """A submitted idea application invited to the full phase, which is open for 30 days."""
    idea = eligible_draft()
    submitted(idea)
    now = timezone.now()
    PhaseFactory(
        call=idea.phase.call,
        kind=Phase.Kind.FULL,
        order=idea.phase.order + 100,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=30),
        requires_invitation=True,
    )
    services.invite_to_full_phase(idea, by=officer_of(idea))
    return idea


def test_the_applicants_pages_show_the_invitation_and_start_the_full_application(
    client, invited_idea
):
    idea = invited_idea
    full_phase = idea.invitation.phase
    client.force_login(idea.created_by)
    deadline = deadlines.format_deadline(full_phase.closes_at, "Europe/Helsinki", "en")

    for page in (url("list"), url("detail", pk=idea.pk)):
        response = client.get(page)
        assert f"Deadline of the full application: {deadline}." in text(response)
        body = response.content.decode()
        assert f'<form method="post" action="{url("start", call=full_phase.call_id)}">' in body
        assert f'<input type="hidden" name="phase" value="{full_phase.pk}">' in body
    assert deadline.endswith(" Finnish time")

    response = client.post(
        url("start", call=full_phase.call_id),
        {
            "phase": full_phase.pk,
            "instrument": idea.instrument_id,
            "coordinator": idea.coordinator_id,
            "language": idea.language,
        },
    )

    full = Application.objects.get(phase=full_phase)
    assert (response.status_code, response["Location"]) == (302, url("detail", pk=full.pk))
    assert (full.idea_id, full.title) == (idea.pk, idea.title)
    for page in (url("list"), url("detail", pk=idea.pk)):
        body = client.get(page).content.decode()
        assert f'<a class="button" href="{url("detail", pk=full.pk)}">' in body
        assert "Start the full application" not in body


def test_a_partner_sees_the_invitation_without_the_button(client, invited_idea):
    partner = invited_idea.partners.get()
    client.force_login(partner.confirmed_by)

    response = client.get(url("detail", pk=invited_idea.pk))

    assert "Invited to the full application" in text(response)
    assert "The coordinator's members start the full application." in text(response)
    assert "Start the full application" not in text(response)


# --- The task list ----------------------------------------------------------------------


def _status_of(response, title) -> str:
    body = response.content.decode()
    item = re.search(
        rf"<li class=\"task-list__item\">\s*(?:<a [^>]*>|<span>){re.escape(title)}</.*?"
        r'<strong class="task-list__status[^"]*"[^>]*>([^<]+)</strong>',
        body,
        re.S,
    )
    return item.group(1)


def test_the_task_list_shows_each_part_and_its_status(client):
    application = ApplicationFactory(title="Vetyverkosto")
    version = QuestionnaireVersionFactory()
    section = SectionFactory(version=version, title_en="Goals")
    goal = QuestionFactory(section=section, key="goals")
    application.questionnaire_version = version
    application.answers = {goal.key: "Vetytalouden verkosto."}
    application.completed_sections = {"basics": True}
    application.save()
    client.force_login(application.created_by)
    response = client.get(url("detail", pk=application.pk))
    assert h1(response) == "Application: Vetyverkosto"
    assert _status_of(response, "Title, summary and theme") == "Completed"
    assert _status_of(response, "Goals") == "In progress"
    assert _status_of(response, "Consortium") == "Not started"
    assert _status_of(response, "Attachments") == "Not started"
    body = response.content.decode()
    assert url("answers", pk=application.pk, section=section.pk) in body
    assert url("check", pk=application.pk) in body
    assert "6 days" in text(response)


def test_in_a_completion_request_only_the_requested_parts_can_be_changed(
    client, submitted_application
):
    application = submitted_application
    services.request_completion(
        application,
        items=["budget"],
        closes_at=timezone.now() + timedelta(days=5),
        message="Täydentäkää budjetin perustelut.",
        by=officer_of(application),
    )
    client.force_login(application.created_by)
    response = client.get(url("detail", pk=application.pk))
    page = text(response)
    assert "Täydentäkää budjetin perustelut." in page
    assert "Only these parts can be changed: Budget Financing plan" in page
    body = response.content.decode()
    assert f'href="{url("budget", pk=application.pk)}"' in body
    assert f'href="{url("basics", pk=application.pk)}"' not in body
    assert "Receipt of submission 1" in page


def _statuses(response) -> dict[str, str]:
    body = response.content.decode()
    return dict(
        re.findall(
            r'<li class="task-list__item">\s*(?:<a [^>]*>|<span>)([^<]+)</.*?'
            r'<strong class="task-list__status[^"]*"[^>]*>([^<]+)</strong>',
            body,
            re.S,
        )
    )


def test_a_submitted_application_shows_its_parts_as_submitted(client, submitted_application):
    application = submitted_application
    client.force_login(application.created_by)

    response = client.get(url("detail", pk=application.pk))

    assert set(_statuses(response).values()) == {"Submitted"}
    assert len(_statuses(response)) == 6
    body = response.content.decode()
    assert f'href="{url("budget", pk=application.pk)}"' not in body
    assert f'href="{url("check", pk=application.pk)}"' in body
    assert "Check and submit" not in text(response)


def test_in_a_completion_request_the_opened_parts_are_to_complete_and_the_rest_submitted(
    client, submitted_application
):
    application = submitted_application
    application.completed_sections = dict.fromkeys(Section.values, True)
    application.save(update_fields=["completed_sections"])
    services.request_completion(
        application,
        items=[Section.BUDGET],
        closes_at=timezone.now() + timedelta(days=5),
        by=officer_of(application),
    )
    client.force_login(application.created_by)

    statuses = _statuses(client.get(url("detail", pk=application.pk)))

    assert statuses == {
        "Title, summary and theme": "Submitted",
        "Consortium": "Submitted",
        "Participating municipalities": "Submitted",
        "Budget": "To complete",
        "Financing plan": "To complete",
        "Attachments": "Submitted",
    }
    application.refresh_from_db()
    services.mark_section_complete(application, Section.BUDGET, True, by=application.created_by)
    statuses = _statuses(client.get(url("detail", pk=application.pk)))
    assert (statuses["Budget"], statuses["Financing plan"]) == ("Completed", "To complete")


# --- Check and submit -------------------------------------------------------------------


def test_the_check_page_summarises_the_draft_and_offers_to_submit(client, draft, coordinator):
    client.force_login(coordinator)
    response = client.get(url("check", pk=draft.pk))
    page = text(response)
    assert submit_form_present(response)
    assert f'value="{fingerprint(draft)}"' in response.content.decode()
    assert "✓ In order: The project has a title" in page
    assert "✗" not in page
    assert "Total costs €100,000.00" in page
    assert "suunnitelma.pdf" in page
    assert f'href="{url("basics", pk=draft.pk)}"' in response.content.decode()


def test_the_check_page_lists_failing_checks_and_offers_no_submit_button(client):
    application = ApplicationFactory(summary="")
    client.force_login(application.created_by)
    response = client.get(url("check", pk=application.pk))
    page = text(response)
    assert response.status_code == 200
    assert not submit_form_present(response)
    assert "✗ Not in order: The project has a summary" in page
    assert "✓ In order: The project has a title" in page
    assert "The application can be submitted once every point marked ✗ is in order." in page


def test_the_check_page_shows_only_the_rows_that_apply_to_the_instrument(client):
    network = ApplicationFactory()
    zone = ApplicationFactory()
    Instrument.objects.filter(pk=zone.instrument_id).update(kind=Instrument.Kind.DEVELOPMENT_ZONE)
    client.force_login(network.created_by)
    page = text(client.get(url("check", pk=network.pk)))
    assert "Theme Not given" in page
    assert "Development zone" not in page
    client.force_login(zone.created_by)
    page = text(client.get(url("check", pk=zone.pk)))
    assert "Development zone Not given" in page
    assert "Theme" not in page


def test_the_check_page_names_and_links_the_questions_to_answer(client):
    application = ApplicationFactory()
    version = QuestionnaireVersionFactory()
    section = SectionFactory(version=version, title_en="Goals")
    QuestionFactory(section=section, key="goals", label_en="Goals of the network", required=True)
    application.questionnaire_version = version
    application.save()
    client.force_login(application.created_by)

    response = client.get(url("check", pk=application.pk))

    answers = url("answers", pk=application.pk, section=section.pk)
    assert (
        f'<li><a href="{answers}#id_goals">Goals of the network: this answer is required.</a></li>'
        in response.content.decode()
    )


def test_an_empty_financing_plan_is_not_said_to_cover_the_costs(client):
    application = ApplicationFactory()
    client.force_login(application.created_by)

    page = text(client.get(url("check", pk=application.pk)))

    assert (
        "✗ Not in order: The financing plan is checked against the costs less income, and "
        "there are none yet: enter the costs in the budget first" in page
    )
    assert "covers the costs" not in page
    assert "Aid at most" not in page


def test_submitting_in_time_leads_to_the_receipt(client, draft, coordinator):
    client.force_login(coordinator)
    response = client.post(url("submit", pk=draft.pk), {"fingerprint": fingerprint(draft)})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("receipt", pk=draft.pk, number=1)
    receipt = client.get(response["Location"])
    page = text(receipt)
    assert f"Record number: {submission.record_number}" in page
    assert submission.record_number == f"TEM/1/{record_year()}"
    assert submission.sha256 in page
    local = submission.received_at.astimezone(ZoneInfo("Europe/Helsinki"))
    assert f"at {local:%H:%M:%S} Finnish time" in page
    assert url("receipt_pdf", pk=draft.pk, number=1) in receipt.content.decode()


def test_a_repeated_submit_lands_on_the_same_receipt(client, draft, coordinator):
    client.force_login(coordinator)
    data = {"fingerprint": fingerprint(draft)}
    first = client.post(url("submit", pk=draft.pk), data)
    second = client.post(url("submit", pk=draft.pk), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url("receipt", pk=draft.pk, number=1)
    assert Submission.objects.count() == 1


def test_a_submit_after_the_deadline_is_refused_and_the_draft_kept(client):
    phase = open_phase(now=timezone.now() - timedelta(days=10))
    application = draft_in(phase)
    client.force_login(application.created_by)
    response = client.post(
        url("submit", pk=application.pk), {"fingerprint": fingerprint(application)}
    )
    assert response.status_code == 409
    assert h1(response) == "Check your answers"
    assert "The application period has closed. The application was not submitted" in text(response)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.record_number == ""
    assert Submission.objects.count() == 0


def test_a_submit_prepared_in_time_but_posted_after_the_deadline_is_refused(client):
    """The check page prepared the snapshot while the phase was open; the post comes after
    the phase closed (moved as the deadline-rush benchmark moves it): refused, draft kept."""
    phase = open_phase(now=timezone.now() - timedelta(days=1))
    application = draft_in(phase)
    client.force_login(application.created_by)
    assert client.get(url("check", pk=application.pk)).status_code == 200
    assert PreparedSubmission.objects.filter(application=application).exists()
    Phase.objects.filter(pk=phase.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    response = client.post(
        url("submit", pk=application.pk), {"fingerprint": fingerprint(application)}
    )

    assert response.status_code == 409
    assert "The application period has closed. The application was not submitted" in text(response)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert Submission.objects.count() == 0


def test_a_submit_of_a_draft_changed_since_the_check_is_refused(client, draft, coordinator):
    client.force_login(coordinator)
    old = fingerprint(draft)
    services.save_section(
        draft,
        "basics",
        {"title": "Uusi nimi", "summary": "Tiivistelmä."},
        base_version=0,
        by=coordinator,
    )
    response = client.post(url("submit", pk=draft.pk), {"fingerprint": old})
    assert response.status_code == 409
    assert "The application changed after you opened this page." in text(response)
    assert Submission.objects.count() == 0


def test_an_ineligible_submit_returns_to_the_check_page_with_the_reasons(client):
    application = eligible_draft(confirmed_partner=False)
    client.force_login(application.created_by)
    response = client.post(
        url("submit", pk=application.pk), {"fingerprint": fingerprint(application)}
    )
    assert response.status_code == 409
    partner = application.partners.get().organisation
    assert f"Partners yet to confirm: {partner}" in text(response)
    assert Submission.objects.count() == 0


def test_submit_accepts_only_post(client, draft, coordinator):
    client.force_login(coordinator)
    assert client.get(url("submit", pk=draft.pk)).status_code == 405


# --- Receipt PDF ------------------------------------------------------------------------


def test_the_receipt_pdf_is_a_download_named_after_the_record_number(client, submitted_application):
    client.force_login(submitted_application.created_by)
    response = client.get(url("receipt_pdf", "fi", pk=submitted_application.pk, number=1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="kuittaus-TEM-1-{record_year()}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_an_unknown_receipt_number_is_404(client, submitted_application):
    client.force_login(submitted_application.created_by)
    assert client.get(url("receipt", pk=submitted_application.pk, number=2)).status_code == 404


# --- Withdrawing ------------------------------------------------------------------------


def test_withdrawing_records_the_reason(client, draft, coordinator):
    client.force_login(coordinator)
    response = client.post(url("withdraw", pk=draft.pk), {"reason": "Hanke siirtyy."})
    assert response.status_code == 302
    assert response["Location"] == url("detail", pk=draft.pk)
    draft.refresh_from_db()
    assert (draft.state, draft.withdrawal_reason) == (ApplicationState.WITHDRAWN, "Hanke siirtyy.")
    event = AuditEvent.objects.get(verb="application.withdrawn")
    assert (event.actor, event.data) == (coordinator, {"reason": "Hanke siirtyy."})
    assert client.get(url("withdraw", pk=draft.pk)).status_code == 404


# --- Confirming a partnership -----------------------------------------------------------


@pytest.fixture
def unconfirmed():
    application = eligible_draft(confirmed_partner=False)
    partner = application.partners.get()
    return partner, member_of(partner.organisation)


def test_a_partner_member_confirms_with_a_letter_of_commitment(client, unconfirmed):
    partner, user = unconfirmed
    client.force_login(user)
    page = client.get(url("confirm_partner", pk=partner.pk))
    assert page.status_code == 200
    assert h1(page) == f"Confirm the participation of {partner.organisation}"
    assert (
        f"{partner.organisation} commits to take part in the project “{partner.application.title}”"
        in text(page)
    )
    response = client.post(
        url("confirm_partner", pk=partner.pk), {"commitment": "Sitoudumme hankkeeseen."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", pk=partner.application_id)
    partner.refresh_from_db()
    assert (partner.confirmed_by, partner.commitment) == (user, "Sitoudumme hankkeeseen.")


def test_an_empty_letter_of_commitment_is_an_error(client, unconfirmed):
    partner, user = unconfirmed
    client.force_login(user)
    response = client.post(url("confirm_partner", pk=partner.pk), {"commitment": ""})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    partner.refresh_from_db()
    assert partner.confirmed_at is None


def test_only_the_partners_own_members_reach_the_confirmation(client, unconfirmed):
    partner, _user = unconfirmed
    client.force_login(partner.application.created_by)
    assert client.get(url("confirm_partner", pk=partner.pk)).status_code == 404


# --- Attachments ------------------------------------------------------------------------


def test_an_attachment_downloads_with_its_name_and_type(client, draft, coordinator):
    attachment = draft.attachments.get()
    client.force_login(coordinator)
    response = client.get(url("download_attachment", pk=draft.pk, attachment=attachment.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="suunnitelma.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_an_attachment_of_another_application_is_404(client, draft, coordinator):
    other = AttachmentFactory(application=ApplicationFactory(coordinator=draft.coordinator))
    client.force_login(coordinator)
    response = client.get(url("download_attachment", pk=draft.pk, attachment=other.pk))
    assert response.status_code == 404


def test_a_removed_attachment_downloads_only_if_a_submission_received_it(
    client, submitted_application
):
    application = submitted_application
    received = application.attachments.get()
    never_sent = AttachmentFactory(application=application, removed_at=timezone.now())
    type(received).objects.filter(pk=received.pk).update(removed_at=timezone.now())
    client.force_login(application.created_by)
    assert (
        client.get(
            url("download_attachment", pk=application.pk, attachment=received.pk)
        ).status_code
        == 200
    )
    assert (
        client.get(
            url("download_attachment", pk=application.pk, attachment=never_sent.pk)
        ).status_code
        == 404
    )


def test_the_submit_door_is_given_the_instant_the_request_was_received(client, monkeypatch):
    """Time spent after receipt (middleware, waiting for the row lock) is not lateness."""
    from regionet.applications import middleware

    application = eligible_draft()
    closes_at = application.phase.closes_at
    # The middleware reads the clock at the deadline; the door runs after it.
    monkeypatch.setattr(middleware, "server_now", lambda: closes_at)
    client.force_login(application.created_by)
    response = client.post(
        reverse("applications:submit", kwargs={"pk": application.pk}),
        {"fingerprint": services.draft_fingerprint(application)},
    )
    assert response.status_code == 302
    assert application.submissions.get().received_at == closes_at


@pytest.mark.parametrize("pk", [10**6, 10**20])
def test_a_submit_post_to_an_application_that_does_not_exist_is_404(client, coordinator, pk):
    client.force_login(coordinator)
    response = client.post(
        reverse("applications:submit", kwargs={"pk": pk}), {"fingerprint": "0" * 64}
    )
    assert response.status_code == 404


# --- Who to ask ------------------------------------------------------------------------------


def test_the_application_pages_name_the_calls_contact_persons(client):
    from tests.factories import CallContactFactory

    application = ApplicationFactory()
    call = application.phase.call
    CallContactFactory(call=call, order=2, name="Johan Lindqvist", languages=["sv"])
    CallContactFactory(call=call, order=1, name="Anna Virtanen", role_en="Programme manager")
    client.force_login(application.created_by)
    for page in (
        client.get(url("detail", pk=application.pk)),
        client.get(url("basics", pk=application.pk)),
        client.get(url("partners", pk=application.pk)),
    ):
        body = page.content.decode()
        section = body[body.index('aria-labelledby="call-contacts-heading"') :]
        names = re.findall(
            r'<p class="contact-list__name"><strong>(.*?)</strong><br>(.*?)</p>', section
        )
        assert names == [
            ("Anna Virtanen", "Programme manager"),
            ("Johan Lindqvist", "Programme manager"),
        ]
        assert "<dd>Swedish</dd>" in section
    # Before submitting, the task list does not yet tell what happens after it.
    assert "What happens next" not in text(client.get(url("detail", pk=application.pk)))

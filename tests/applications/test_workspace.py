"""The officers' workspace through the client: lists, filters, sorting, pages, bulk actions,
the officer's application page and its actions, version comparison, and who gets a 404."""

import hashlib
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse as django_reverse
from django.utils import translation

from regionet.applications import services, workspace_views
from regionet.applications.models import (
    ApplicationState,
    Attachment,
    CompletionRequest,
    Export,
    FullPhaseInvitation,
    LateAdmission,
    Screening,
)
from regionet.programmes.deadlines import format_deadline
from regionet.programmes.models import Phase
from tests.applications.test_queries import BASE, officer_of, submitted
from tests.factories import (
    AttachmentFactory,
    FunderRoleFactory,
    PhaseFactory,
    QuestionFactory,
    SectionFactory,
    UserFactory,
    eligible_draft,
    open_phase,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def phase():
    return open_phase(closes_in=timedelta(days=7))


@pytest.fixture
def officer(phase):
    return officer_of(phase.call.programme.funder)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def reverse(name, kwargs=None):
    """The English address: the tests read the interface's English texts."""
    with translation.override("en"):
        return django_reverse(name, kwargs=kwargs)


def phase_url(phase, **params):
    url = reverse("workspace:phase", kwargs={"pk": phase.pk})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def listed(response) -> list[str]:
    """The record numbers in the list, in order."""
    return re.findall(
        r'<th scope="row"><a href="/en/workspace/applications/\d+/">([^<]+)</a>',
        (response.content.decode()),
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The index ---------------------------------------------------------------------------


def test_index_lists_the_funders_phases_with_counts(officer_client, phase):
    submitted(phase, minute=1)
    submitted(phase, minute=2)
    eligible_draft(phase)
    other_funder_phase = open_phase()
    response = officer_client.get(reverse("workspace:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/en/workspace/phases/{phase.pk}/">{phase.name_en}</a>' in page
    assert f"/workspace/phases/{other_funder_phase.pk}/" not in page
    row = re.search(rf"phases/{phase.pk}/.*?</tr>", page, re.S).group(0)
    assert re.findall(r'<td class="number">(\d+)</td>', row) == ["2", "1"]


def test_index_asks_a_fixed_number_of_queries(officer_client, phase, django_assert_num_queries):
    officer_client.get(reverse("workspace:index"))  # warm the session
    with django_assert_num_queries(5):
        officer_client.get(reverse("workspace:index"))
    PhaseFactory(
        call=phase.call,
        kind=Phase.Kind.FULL,
        opens_at=phase.closes_at + timedelta(days=1),
        closes_at=phase.closes_at + timedelta(days=30),
    )
    submitted(phase, minute=1)
    with django_assert_num_queries(5):
        officer_client.get(reverse("workspace:index"))


# --- A phase's list ----------------------------------------------------------------------


def test_list_shows_submitted_applications_and_counts_drafts(officer_client, phase):
    application = submitted(phase, minute=1, title="Vetytalouden verkosto")
    eligible_draft(phase, title="Salainen luonnos")
    response = officer_client.get(phase_url(phase))
    assert response.status_code == 200
    page = response.content.decode()
    assert listed(response) == [application.record_number]
    assert "Vetytalouden verkosto" in page
    assert "Salainen luonnos" not in page
    assert application.coordinator.name_fi in page
    assert '<td class="number">4 / 2</td>' in page
    assert '<td class="number">€80,000.00</td>' in page
    assert "1 draft has not been submitted." in page


def test_list_shows_the_received_title_while_the_applicant_completes(
    officer_client, phase, officer, django_assert_num_queries
):
    application = submitted(phase, minute=1, title="Vetytalouden verkosto")
    services.request_completion(
        application,
        items=["basics"],
        closes_at=BASE + timedelta(days=3),
        by=officer,
        now=BASE + timedelta(hours=1),
    )
    application.refresh_from_db()
    services.save_section(
        application,
        "basics",
        {"title": "Keskeneräinen uusi nimi", "summary": "Luonnos", "theme": None, "zone": None},
        base_version=application.section_versions.get("basics", 0),
        by=application.created_by,
        now=BASE + timedelta(hours=2),
    )
    application.refresh_from_db()
    assert application.title == "Keskeneräinen uusi nimi"
    assert officer_client.get(phase_url(phase)).status_code == 200
    with django_assert_num_queries(14):
        response = officer_client.get(phase_url(phase))
    page = response.content.decode()
    assert listed(response) == [application.record_number]
    assert '<td lang="fi">Vetytalouden verkosto</td>' in page
    assert "Keskeneräinen" not in page
    assert listed(officer_client.get(phase_url(phase, q="keskeneräinen"))) == []
    assert listed(officer_client.get(phase_url(phase, q="vetytalouden"))) == [
        application.record_number
    ]


def test_filters_and_search_through_the_form(officer_client, phase, officer):
    hydrogen = submitted(phase, minute=1, title="Vetytalouden verkosto")
    other = submitted(phase, minute=2, title="Etätyöpisteet")
    services.screen_application(other, Screening.ELIGIBLE, by=officer)
    assert listed(officer_client.get(phase_url(phase, q="vetytalouden"))) == [
        hydrogen.record_number
    ]
    assert listed(officer_client.get(phase_url(phase, screening="eligible"))) == [
        other.record_number
    ]
    assert listed(officer_client.get(phase_url(phase, late="yes"))) == []
    # An unknown choice is shown as an error and does not narrow the list.
    response = officer_client.get(phase_url(phase, instrument=999999))
    assert listed(response) == [hydrogen.record_number, other.record_number]
    assert 'id="id_instrument_error"' in response.content.decode()


def test_sorting_links_say_their_direction(officer_client, phase):
    first = submitted(phase, minute=2, title="Bbb")
    second = submitted(phase, minute=1, title="Aaa")
    response = officer_client.get(phase_url(phase, sort="title"))
    assert listed(response) == [second.record_number, first.record_number]
    page = response.content.decode()
    assert re.search(r'<th scope="col" aria-sort="ascending"><a href="\?sort=-title">', page)
    assert '<a href="?sort=record_number">' in page
    assert page.count("aria-sort=") == 1
    response = officer_client.get(phase_url(phase, sort="-title"))
    assert listed(response) == [first.record_number, second.record_number]
    assert 'aria-sort="descending"><a href="?sort=title">' in response.content.decode()


def test_pages_keep_the_filters(officer_client, phase, monkeypatch):
    monkeypatch.setattr(workspace_views, "PAGE_SIZE", 2)
    applications = [submitted(phase, minute=minute) for minute in range(5)]
    numbers = [a.record_number for a in applications]
    response = officer_client.get(phase_url(phase, state="submitted"))
    assert listed(response) == numbers[:2]
    page = response.content.decode()
    assert '<a href="?state=submitted&amp;page=2" rel="next">' in page
    assert '<li aria-current="page">Page 1 of 3</li>' in page
    response = officer_client.get(phase_url(phase, state="submitted", page=3))
    assert listed(response) == numbers[4:]
    assert '<a href="?state=submitted&amp;page=2" rel="prev">' in response.content.decode()


def test_list_asks_the_same_number_of_queries_for_2_and_12(
    officer_client, phase, django_assert_num_queries
):
    for minute in range(2):
        submitted(phase, minute=minute)
    officer_client.get(phase_url(phase))
    with django_assert_num_queries(14):
        response = officer_client.get(phase_url(phase))
    assert len(listed(response)) == 2
    for minute in range(2, 12):
        submitted(phase, minute=minute)
    with django_assert_num_queries(14):
        response = officer_client.get(phase_url(phase))
    assert len(listed(response)) == 12


# --- Bulk actions ------------------------------------------------------------------------


def test_bulk_screening_reports_how_many(officer_client, phase):
    first = submitted(phase, minute=1)
    second = submitted(phase, minute=2)
    third = submitted(phase, minute=3)
    response = officer_client.post(
        reverse("workspace:bulk_action", kwargs={"pk": phase.pk}) + "?sort=-title",
        {"action": "mark_eligible", "applications": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == phase_url(phase, sort="-title")
    for application, screening in (
        (first, "eligible"),
        (second, "eligible"),
        (third, "unscreened"),
    ):
        application.refresh_from_db()
        assert application.screening == screening
    assert messages_of(response) == ["The action was done for 2 applications."]


def test_bulk_invitation_names_the_problems_by_record_number(officer_client, phase, officer):
    invited = submitted(phase, minute=1)
    withdrawn = submitted(phase, minute=2)
    services.withdraw_application(withdrawn, by=withdrawn.created_by)
    full = PhaseFactory(
        call=phase.call,
        kind=Phase.Kind.FULL,
        opens_at=phase.closes_at + timedelta(days=1),
        closes_at=phase.closes_at + timedelta(days=30),
    )
    response = officer_client.post(
        reverse("workspace:bulk_action", kwargs={"pk": phase.pk}),
        {"action": "invite_to_full_phase", "applications": [invited.pk, withdrawn.pk]},
    )
    assert response.status_code == 302
    assert list(FullPhaseInvitation.objects.values_list("idea_id", "phase_id")) == [
        (invited.pk, full.pk)
    ]
    assert messages_of(response) == [
        "The action was done for 1 application.",
        f"Not done: {withdrawn.record_number}: Only submitted idea applications can be invited.",
    ]


def test_bulk_action_is_post_only_and_checks_its_input(officer_client, phase):
    url = reverse("workspace:bulk_action", kwargs={"pk": phase.pk})
    assert officer_client.get(url).status_code == 405
    response = officer_client.post(url, {"action": "mark_eligible"})
    assert messages_of(response) == ["Select at least one application."]


# --- The officer's application page --------------------------------------------------------


def test_application_page_shows_snapshot_checks_and_audit_trail(officer_client, phase):
    application = submitted(phase, minute=1, title="Vetytalouden verkosto")
    response = officer_client.get(reverse("workspace:application", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["snapshot"]["record_number"] == application.record_number
    assert 'id="snapshot-application"' in page
    assert [check.code for check in response.context["checks"] if not check.passed] == []
    assert "The project has a title" in page
    assert response.context["audit_trail"][0]["event"].verb == "application.submitted"


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "fi",
            [
                "Täydennyspyyntö suljettu",
                "Hakemuksen osa merkitty valmiiksi tai keskeneräiseksi",
                "Täydennystä pyydetty",
                "Jätetty",
            ],
        ),
        (
            "sv",
            [
                "Begäran om komplettering stängd",
                "Del av ansökan markerad som klar eller ofullständig",
                "Komplettering begärd",
                "Inlämnad",
            ],
        ),
    ],
)
def test_the_audit_trail_speaks_the_officers_language(
    officer_client, phase, officer, language, labels
):
    application = submitted(phase, minute=1)
    services.request_completion(
        application,
        items=["basics"],
        closes_at=BASE + timedelta(days=3),
        by=officer,
        now=BASE + timedelta(hours=1),
    )
    services.mark_section_complete(
        application, "basics", True, by=application.created_by, now=BASE + timedelta(hours=2)
    )
    services.close_completion_request(application, by=officer, now=BASE + timedelta(hours=3))
    with translation.override(language):
        url = django_reverse("workspace:application", kwargs={"pk": application.pk})
    page = officer_client.get(url).content.decode()
    trail = page[page.index('id="audit-title"') :]
    assert re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", trail)[:4] == labels
    assert "application." not in trail


def test_completion_request_takes_the_deadline_in_local_time(officer_client, phase):
    application = submitted(phase, minute=1)
    day = (BASE + timedelta(days=10)).astimezone(HELSINKI).date()
    response = officer_client.post(
        reverse("workspace:request_completion", kwargs={"pk": application.pk}),
        {
            "completion-items": ["basics", "budget"],
            "completion-deadline_date": day.isoformat(),
            "completion-deadline_time": "16:15",
            "completion-message": "Täydentäkää budjetti.",
        },
    )
    assert response.status_code == 302
    request = CompletionRequest.objects.get(application=application)
    local = request.closes_at.astimezone(HELSINKI)
    assert (local.date(), local.hour, local.minute) == (day, 16, 15)
    # The financing plan, which must cover the budget, is opened with it.
    assert request.items == ["basics", "budget", "financing"]
    application.refresh_from_db()
    assert application.state == ApplicationState.COMPLETION_REQUESTED


def test_completion_request_refuses_a_skipped_local_time(officer_client, phase):
    application = submitted(phase, minute=1)
    response = officer_client.post(
        reverse("workspace:request_completion", kwargs={"pk": application.pk}),
        {
            "completion-items": ["basics"],
            "completion-deadline_date": "2099-03-29",
            "completion-deadline_time": "03:30",
        },
    )
    assert response.status_code == 200
    assert response.context["completion_form"].errors == {
        "deadline_time": [
            "This time does not exist on that day: the clocks skip it. Choose another time."
        ]
    }
    assert not CompletionRequest.objects.exists()


def test_screening_form(officer_client, phase):
    application = submitted(phase, minute=1)
    response = officer_client.post(
        reverse("workspace:screen", kwargs={"pk": application.pk}),
        {"screening-result": "ineligible", "screening-note": "Liian vähän kuntia."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.screening, application.screening_note) == (
        Screening.INELIGIBLE,
        "Liian vähän kuntia.",
    )


def test_late_admission_of_a_draft_from_the_drafts_list(officer_client, phase):
    draft = eligible_draft(phase)
    response = officer_client.get(reverse("workspace:drafts", kwargs={"pk": phase.pk}))
    assert response.status_code == 200
    url = reverse("workspace:late_admission", kwargs={"pk": draft.pk})
    assert url in response.content.decode()
    assert draft.title not in response.content.decode()
    response = officer_client.post(url, {"late-reason": "", "late-valid_until_date": "2099-01-01"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason", "valid_until_time"}
    day = (phase.closes_at + timedelta(days=10)).astimezone(HELSINKI).date()
    response = officer_client.post(
        url,
        {
            "late-reason": "Verkkopalvelun katko",
            "late-valid_until_date": day.isoformat(),
            "late-valid_until_time": "12:00",
        },
    )
    assert response.status_code == 302
    admission = LateAdmission.objects.get(application=draft)
    assert admission.reason == "Verkkopalvelun katko"
    local = admission.valid_until.astimezone(HELSINKI)
    assert (local.date(), local.hour, local.minute) == (day, 12, 0)


def test_a_late_admission_to_year_9999_is_refused_on_the_form(officer_client, phase):
    """The form names the limit before the officer chooses, and refuses a later date on the
    date field, keeping the reason typed."""
    draft = eligible_draft(phase)
    url = reverse("workspace:late_admission", kwargs={"pk": draft.pk})
    limit = format_deadline(phase.closes_at + timedelta(days=14), "Europe/Helsinki", "en")
    explained = (
        f"At the latest {limit}: a late admission runs for at most 14 days after the phase's "
        "deadline, or after it is granted if that is later."
    )
    assert explained in officer_client.get(url).content.decode()
    response = officer_client.post(
        url,
        {
            "late-reason": "Verkkopalvelun katko",
            "late-valid_until_date": "9999-12-31",
            "late-valid_until_time": "23:59",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "valid_until_date": [
            "A late admission can run for at most 14 days after the phase's deadline, or after "
            f"it is granted if that is later: until {limit} at the latest."
        ]
    }
    assert "Verkkopalvelun katko</textarea>" in response.content.decode()
    assert LateAdmission.objects.count() == 0


def test_a_late_admission_in_the_past_is_refused_on_the_date_field(officer_client, phase):
    """The form asks the door's own rule, so every refusal of the date lands on the date."""
    draft = eligible_draft(phase)
    url = reverse("workspace:late_admission", kwargs={"pk": draft.pk})
    response = officer_client.post(
        url,
        {
            "late-reason": "Verkkopalvelun katko",
            "late-valid_until_date": "2000-01-01",
            "late-valid_until_time": "12:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "valid_until_date": ["The admission must be valid until a future time."]
    }
    assert LateAdmission.objects.count() == 0


def test_completion_can_name_a_questionnaire_section(officer_client, phase):
    section = SectionFactory()
    QuestionFactory(section=section, key="goal")
    application = eligible_draft(phase, questionnaire_version=section.version)
    services.submit_application(application, by=application.created_by, now=BASE)
    response = officer_client.get(reverse("workspace:application", kwargs={"pk": application.pk}))
    choices = response.context["completion_form"].fields["items"].choices
    assert choices[-1] == (f"answers:{section.pk}", f"Questions: {section.title_en}")
    assert [value for value, _label in choices[:-1]] == [
        "basics",
        "partners",
        "municipalities",
        "budget",
        "financing",
        "attachments",
    ]
    response = officer_client.post(
        reverse("workspace:request_completion", kwargs={"pk": application.pk}),
        {
            "completion-items": [f"answers:{section.pk}"],
            "completion-deadline_date": "2099-06-02",
            "completion-deadline_time": "16:15",
        },
    )
    assert response.status_code == 302
    assert CompletionRequest.objects.get().items == [f"answers:{section.pk}"]


# --- Versions side by side ---------------------------------------------------------------


def test_changed_parts_names_parts_and_answers():
    earlier = {
        "title": "Verkosto",
        "summary": "Lyhyesti",
        "budget": {"total_costs": "100000.00"},
        "answers": {"goal": "Kasvu", "reach": "Koko maa"},
    }
    later = {
        "title": "Verkosto",
        "summary": "Lyhyesti ja selvästi",
        "budget": {"total_costs": "100000.00"},
        "answers": {"goal": "Kasvu ja työ", "extra": "Uusi"},
    }
    labels = {"reach": "Reach", "goal": "Goal of the project"}
    with translation.override("en"):
        assert workspace_views.changed_parts(earlier, later, labels) == [
            "Summary",
            "Answer: Reach",
            "Answer: Goal of the project",
            "Answer: extra",
        ]
        assert workspace_views.changed_parts(earlier, earlier, labels) == []


def _resubmitted(phase, officer):
    application = submitted(phase, minute=1, title="Vetytalouden verkosto")
    services.request_completion(
        application,
        items=["basics"],
        closes_at=BASE + timedelta(days=3),
        by=officer,
        now=BASE + timedelta(hours=1),
    )
    coordinator = application.created_by
    services.save_section(
        application,
        "basics",
        {"title": "Vetytalouden verkosto 2.0", "summary": application.summary},
        base_version=application.section_version("basics"),
        by=coordinator,
    )
    services.submit_application(application, by=coordinator, now=BASE + timedelta(hours=2))
    application.refresh_from_db()
    return application


def test_compare_shows_two_versions_and_what_changed(client, phase, officer):
    application = _resubmitted(phase, officer)
    client.force_login(application.created_by)
    response = client.get(reverse("applications:compare", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    assert (response.context["earlier"].number, response.context["later"].number) == (1, 2)
    assert response.context["changes"] == ["Title"]
    page = response.content.decode()
    assert 'id="version-a-application"' in page and 'id="version-b-application"' in page
    assert re.findall(r'<option value="(\d)" selected>', page) == ["1", "2"]
    response = client.get(
        reverse("applications:compare", kwargs={"pk": application.pk}) + "?a=2&b=1"
    )
    assert (response.context["earlier"].number, response.context["later"].number) == (1, 2)
    response = client.get(
        reverse("applications:compare", kwargs={"pk": application.pk}) + "?a=2&b=2"
    )
    assert response.context["same"] is True
    assert response.context["changes"] == []


def test_compare_is_for_those_who_may_see_the_application(client, phase, officer):
    application = _resubmitted(phase, officer)
    url = reverse("applications:compare", kwargs={"pk": application.pk})
    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


# --- Who gets a 404 ----------------------------------------------------------------------


def _workspace_urls(phase, application, draft, export):
    return [
        ("get", reverse("workspace:phase", kwargs={"pk": phase.pk})),
        ("post", reverse("workspace:bulk_action", kwargs={"pk": phase.pk})),
        ("post", reverse("workspace:create_export", kwargs={"pk": phase.pk})),
        ("get", reverse("workspace:drafts", kwargs={"pk": phase.pk})),
        ("get", reverse("workspace:export", kwargs={"pk": export.pk})),
        ("get", reverse("workspace:export_download", kwargs={"pk": export.pk})),
        ("get", reverse("workspace:application", kwargs={"pk": application.pk})),
        ("post", reverse("workspace:request_completion", kwargs={"pk": application.pk})),
        ("post", reverse("workspace:screen", kwargs={"pk": application.pk})),
        ("get", reverse("workspace:late_admission", kwargs={"pk": draft.pk})),
        ("post", reverse("workspace:late_admission", kwargs={"pk": draft.pk})),
    ]


def test_another_funders_officer_and_an_applicant_get_404_everywhere(client, phase, officer):
    application = submitted(phase, minute=1)
    draft = eligible_draft(phase)
    export = Export.objects.create(
        phase=phase, requested_by=officer, format="csv", language="fi", state="done"
    )
    other_officer = officer_of(open_phase().call.programme.funder)
    administrator = officer_of(open_phase().call.programme.funder, role="administrator")
    for user in (other_officer, administrator, application.created_by):
        client.force_login(user)
        for method, url in _workspace_urls(phase, application, draft, export):
            response = getattr(client, method)(url, {"format": "csv"} if method == "post" else {})
            assert (user.email, url, response.status_code) == (user.email, url, 404)
    client.force_login(application.created_by)
    assert client.get(reverse("workspace:index")).status_code == 404
    assert Export.objects.count() == 1


def test_administrator_of_the_funder_is_an_officer_too(client, phase):
    application = submitted(phase, minute=1)
    client.force_login(officer_of(phase.call.programme.funder, role="administrator"))
    assert client.get(phase_url(phase)).status_code == 200
    url = reverse("workspace:application", kwargs={"pk": application.pk})
    assert client.get(url).status_code == 200


def test_a_draft_has_no_officers_page(officer_client, phase):
    draft = eligible_draft(phase)
    url = reverse("workspace:application", kwargs={"pk": draft.pk})
    assert officer_client.get(url).status_code == 404


def test_an_officer_without_two_factor_authentication_sets_it_up_first(client, phase):
    client.force_login(FunderRoleFactory(funder=phase.call.programme.funder).user)
    response = client.get(reverse("workspace:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_anonymous_visitors_are_sent_to_sign_in(client, phase):
    response = client.get(phase_url(phase))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


# --- Attachments of what was received -----------------------------------------------------

RECEIVED_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Attachments go to the test's own folder, not to var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def attached(application, name, data=RECEIVED_PDF):
    return AttachmentFactory(
        application=application,
        file=ContentFile(data, name=name),
        name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def attachment_url(application, number, attachment_id):
    return reverse(
        "workspace:attachment",
        kwargs={"pk": application.pk, "number": number, "attachment": attachment_id},
    )


@pytest.mark.usefixtures("media_in_tmp")
def test_officers_open_each_received_attachment_from_the_application_page(officer_client, phase):
    application = eligible_draft(phase)
    budget = attached(application, "budjetti.pdf")
    plan = attached(application, "suunnitelma.pdf", RECEIVED_PDF + b"% plan\n")
    services.submit_application(application, by=application.created_by, now=BASE)
    response = officer_client.get(reverse("workspace:application", kwargs={"pk": application.pk}))
    page = response.content.decode()
    shown = [
        (a["name"], a["type"], a["size"], a["url"])
        for a in response.context["snapshot"]["attachments"]
    ]
    assert shown == [
        ("budjetti.pdf", "PDF", "48\xa0B", attachment_url(application, 1, budget.pk)),
        ("suunnitelma.pdf", "PDF", "55\xa0B", attachment_url(application, 1, plan.pk)),
    ]
    for name, _type, _size, url in shown:
        assert f'<a href="{url}" download>{name}</a>' in page
    assert re.search(r"<dt>File type</dt>\s*<dd>PDF</dd>", page)

    response = officer_client.get(attachment_url(application, 1, plan.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == RECEIVED_PDF + b"% plan\n"
    assert (
        response["Content-Type"],
        response["Content-Disposition"],
        response["X-Content-Type-Options"],
        response["Cache-Control"],
    ) == (
        "application/pdf",
        'attachment; filename="suunnitelma.pdf"',
        "nosniff",
        "private, no-store",
    )


@pytest.mark.usefixtures("media_in_tmp")
def test_an_officer_never_gets_a_drafts_attachment(officer_client, phase, officer):
    application = eligible_draft(phase)
    received = attached(application, "budjetti.pdf")
    services.submit_application(application, by=application.created_by, now=BASE)
    services.request_completion(
        application,
        items=["attachments"],
        closes_at=BASE + timedelta(days=3),
        by=officer,
        now=BASE + timedelta(hours=1),
    )
    in_progress = attached(application, "uusi-budjetti.pdf", RECEIVED_PDF + b"% new\n")
    page = officer_client.get(
        reverse("workspace:application", kwargs={"pk": application.pk})
    ).content.decode()
    assert attachment_url(application, 1, received.pk) in page
    assert "uusi-budjetti.pdf" not in page
    assert officer_client.get(attachment_url(application, 1, in_progress.pk)).status_code == 404
    # The received version only, and only while the stored file is the one it froze.
    assert officer_client.get(attachment_url(application, 2, received.pk)).status_code == 404
    Attachment.objects.filter(pk=received.pk).update(sha256="f" * 64)
    assert officer_client.get(attachment_url(application, 1, received.pk)).status_code == 404
    for huge in (10**20, 2**63):
        assert officer_client.get(attachment_url(application, huge, received.pk)).status_code == 404
        assert officer_client.get(attachment_url(application, 1, huge)).status_code == 404


@pytest.mark.usefixtures("media_in_tmp")
def test_only_the_funders_officers_open_attachments_in_the_workspace(client, phase):
    application = eligible_draft(phase)
    received = attached(application, "budjetti.pdf")
    services.submit_application(application, by=application.created_by, now=BASE)
    url = attachment_url(application, 1, received.pk)
    assert client.get(url).status_code == 302  # to sign in
    for user in (application.created_by, officer_of(open_phase().call.programme.funder)):
        client.force_login(user)
        assert (user.email, client.get(url).status_code) == (user.email, 404)

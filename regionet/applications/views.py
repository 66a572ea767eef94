"""The applicant's pages: their applications, starting one, the task list, checking and
submitting, receipts, withdrawing, confirming a partnership and downloading attachments.

Every page gets its application through ``get_application_for``: without the permission the
answer is a 404, so nobody learns that another organisation's application exists. The views
parse input with ``forms.py`` and act through the doors of ``services.py`` only.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.dates import format_date
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext, pgettext
from django.views.decorators.http import require_POST

from regionet.programmes import deadlines
from regionet.programmes.models import Instrument, Phase
from regionet.programmes.money import format_money
from regionet.programmes.queries import published_calls
from regionet.questionnaires.answers import is_empty
from regionet.questionnaires.models import Question
from regionet.questionnaires.queries import questions_of

from . import receipts, services
from .downloads import attachment_response
from .eligibility import application_checks, budget_totals, can_submit, financing_check
from .forms import CommitmentForm, StartForm, SubmitForm, WithdrawForm, user_organisations
from .models import (
    EDITABLE_STATES,
    Application,
    ApplicationState,
    Attachment,
    BudgetRow,
    CompletionRequest,
    CostCategory,
    FullPhaseInvitation,
    IncomeRow,
    Partner,
    Section,
)
from .receipts import format_instant_seconds, receipt_file_name, snapshot_context
from .rules import is_coordinator_member, member_organisation_ids

# --- Getting the application ------------------------------------------------------------


def get_application_for(request, pk, perm="applications.view_application") -> Application:
    """The application ``pk`` if the user has ``perm`` on it; otherwise 404 (never 403: a
    user without access is not told that the application exists)."""
    application = get_object_or_404(
        Application.objects.select_related(
            "phase__call__programme",
            "instrument",
            "coordinator",
            "theme",
            "zone",
            "questionnaire_version",
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, application):
        raise Http404
    return application


def _organisation_ids(user) -> frozenset[int]:
    return member_organisation_ids(user)


# --- Times ------------------------------------------------------------------------------

_DATE_PATTERNS = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMMM yyyy"}


def _language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in _DATE_PATTERNS else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Deadline:
    """A deadline as the pages show it: the local time with the zone, and the time left."""

    at: object
    text: str
    left: str

    @property
    def has_passed(self) -> bool:
        return not self.left


def _deadline(instant, time_zone, now) -> Deadline:
    language = _language()
    return Deadline(
        at=instant,
        text=deadlines.format_deadline(instant, time_zone, language),
        left=deadlines.time_left(instant, now=now, language=language),
    )


def _application_deadline(application, now, completion_request=None) -> Deadline:
    """The deadline that binds the applicant now: a completion request's, else the phase's."""
    time_zone = application.phase.call.programme.time_zone
    if completion_request is not None:
        return _deadline(completion_request.closes_at, time_zone, now)
    return _deadline(application.phase.closes_at, time_zone, now)


# --- Invitations to the full application -----------------------------------------------


@dataclass(frozen=True)
class InvitationView:
    """An idea application's invitation to the full phase as the applicant's pages show it."""

    idea: Application
    phase: object
    deadline: Deadline
    opens: str
    is_open: bool
    full_application_id: int | None
    # Whether this user can start the full application now (the coordinator's members).
    can_start: bool


def _invitation_view(idea, invitation, full_application_id, is_coordinated, now):
    if invitation is None:
        return None
    phase = invitation.phase
    time_zone = idea.phase.call.programme.time_zone
    is_open = phase.is_open(now)
    return InvitationView(
        idea=idea,
        phase=phase,
        deadline=_deadline(phase.closes_at, time_zone, now),
        opens=deadlines.format_deadline(phase.opens_at, time_zone, _language()),
        is_open=is_open,
        full_application_id=full_application_id,
        can_start=is_coordinated and is_open and full_application_id is None,
    )


def _full_applications():
    """The full application started from an idea (``OuterRef("pk")``), unless withdrawn."""
    return Subquery(
        Application.objects.filter(idea=OuterRef("pk"))
        .exclude(state=ApplicationState.WITHDRAWN)
        .order_by("pk")
        .values("pk")[:1]
    )


# --- My applications --------------------------------------------------------------------


@login_required
def my_applications(request):
    """The user's applications (as a coordinator's or a partner's member), by state, and the
    partnerships their organisations have yet to confirm. A fixed number of queries."""
    now = timezone.now()
    organisation_ids = _organisation_ids(request.user)
    applications = list(
        Application.objects.filter(
            Q(coordinator_id__in=organisation_ids)
            | Q(
                pk__in=Partner.objects.filter(organisation_id__in=organisation_ids).values(
                    "application_id"
                )
            )
        )
        .select_related("phase__call__programme", "instrument", "coordinator", "invitation__phase")
        .annotate(full_application_id=_full_applications())
        .prefetch_related(
            Prefetch(
                "completion_requests",
                queryset=CompletionRequest.objects.filter(answered_at__isnull=True),
                to_attr="open_requests",
            )
        )
        .order_by("-updated_at", "-pk")
    )
    groups = {state: [] for state in ApplicationState}
    invitations = []
    for application in applications:
        request_ = application.open_requests[0] if application.open_requests else None
        application.deadline = _application_deadline(application, now, request_)
        application.is_coordinated = application.coordinator_id in organisation_ids
        groups[ApplicationState(application.state)].append(application)
        invitation = _invitation_view(
            application,
            getattr(application, "invitation", None),
            application.full_application_id,
            application.is_coordinated,
            now,
        )
        if invitation is not None and application.state != ApplicationState.WITHDRAWN:
            invitations.append(invitation)
    pending = (
        Partner.objects.filter(
            organisation_id__in=organisation_ids,
            confirmed_at__isnull=True,
            application__state__in=EDITABLE_STATES,
        )
        .select_related("organisation", "application__coordinator", "application__phase__call")
        .order_by("application__phase__closes_at", "pk")
    )
    return render(
        request,
        "applications/list.html",
        {
            "drafts": groups[ApplicationState.DRAFT],
            "submitted": groups[ApplicationState.SUBMITTED]
            + groups[ApplicationState.COMPLETION_REQUESTED],
            "withdrawn": groups[ApplicationState.WITHDRAWN],
            "pending_partnerships": list(pending),
            "invitations": invitations,
            "has_organisations": bool(organisation_ids),
        },
    )


# --- Starting ---------------------------------------------------------------------------


@login_required
def start(request, call):
    call = get_object_or_404(published_calls().select_related("programme"), pk=call)
    now = timezone.now()
    open_phases = [phase for phase in call.phases.order_by("order") if phase.is_open(now)]
    has_organisations = user_organisations(request.user).exists()
    form = StartForm(
        request.POST if request.method == "POST" else None,
        call=call,
        user=request.user,
        open_phases=open_phases,
    )
    refused = False
    if request.method == "POST" and open_phases and has_organisations and form.is_valid():
        try:
            application = services.start_application(
                phase=form.cleaned_data["phase"],
                instrument=form.cleaned_data["instrument"],
                coordinator=form.cleaned_data["coordinator"],
                language=form.cleaned_data["language"],
                by=request.user,
            )
        except services.ApplicationError as error:
            refused = True
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("The application was started as a draft."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/start.html",
        {
            "call": call,
            "programme": call.programme,
            "form": form,
            "open_phases": open_phases,
            "has_organisations": has_organisations,
        },
        status=409 if refused else 200,
    )


# --- The task list ----------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One part of the application on the task list."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    # Once submitted: a part as received, or one a completion request opened again.
    SUBMITTED = "submitted"
    TO_COMPLETE = "to_complete"

    code: str
    title: str
    url: str
    status: str
    editable: bool

    @property
    def status_label(self) -> str:
        return {
            self.NOT_STARTED: gettext("Not started"),
            self.IN_PROGRESS: gettext("In progress"),
            self.COMPLETED: gettext("Completed"),
            self.SUBMITTED: pgettext("part of an application", "Submitted"),
            self.TO_COMPLETE: gettext("To complete"),
        }[self.status]

    @property
    def anchor(self) -> str:
        return "task-" + self.code.replace(":", "-")


def _questionnaire_sections(application) -> list:
    """The questionnaire's sections, each with ``keys``: its top-level question keys."""
    version = application.questionnaire_version
    if version is None:
        return []
    sections = list(version.sections.order_by("order", "pk"))
    keys: dict[int, list[str]] = {section.pk: [] for section in sections}
    for section_id, key in Question.objects.filter(version=version, table__isnull=True).values_list(
        "section_id", "key"
    ):
        keys.setdefault(section_id, []).append(key)
    for section in sections:
        section.keys = keys[section.pk]
        section.code = f"answers:{section.pk}"
    return sections


def _section_facts(application) -> dict:
    """Whether each fixed section holds data, in one query."""
    return (
        Application.objects.filter(pk=application.pk)
        .annotate(
            has_partners=Exists(Partner.objects.filter(application=OuterRef("pk"))),
            has_municipalities=Exists(
                Application.municipalities.through.objects.filter(application_id=OuterRef("pk"))
            ),
            has_costs=Exists(BudgetRow.objects.filter(application=OuterRef("pk"))),
            has_income=Exists(IncomeRow.objects.filter(application=OuterRef("pk"))),
            has_attachments=Exists(
                Attachment.objects.filter(application=OuterRef("pk"), removed_at__isnull=True)
            ),
        )
        .values("has_partners", "has_municipalities", "has_costs", "has_income", "has_attachments")
        .get()
    )


def _tasks(application, user, sections, completion_request=None) -> list[Task]:
    """The parts of the application with their status: a draft's progress, or once submitted
    "Submitted", and "To complete" for the parts an open completion request names."""
    facts = _section_facts(application)
    allowed = services.editable_sections(application, user)
    submitted = application.first_submitted_at is not None
    requested = set(completion_request.items) if completion_request is not None else set()
    has_data = {
        Section.BASICS: bool(
            application.title or application.summary or application.theme_id or application.zone_id
        ),
        Section.PARTNERS: facts["has_partners"],
        Section.MUNICIPALITIES: facts["has_municipalities"],
        Section.BUDGET: facts["has_costs"] or facts["has_income"],
        Section.FINANCING: bool(application.total_financing()),
        Section.ATTACHMENTS: facts["has_attachments"],
    }
    parts = [
        (code, label, reverse(f"applications:{code}", kwargs={"pk": application.pk}))
        for code, label in Section.choices
        if code != Section.ATTACHMENTS
    ]
    for section in sections:
        has_data[section.code] = any(key in application.answers for key in section.keys)
        parts.append(
            (
                section.code,
                section.title,
                reverse(
                    "applications:answers", kwargs={"pk": application.pk, "section": section.pk}
                ),
            )
        )
    parts.append(
        (
            Section.ATTACHMENTS,
            Section.ATTACHMENTS.label,
            reverse("applications:attachments", kwargs={"pk": application.pk}),
        )
    )
    tasks = []
    for code, title, url in parts:
        if submitted and code not in requested:
            status = Task.SUBMITTED
        elif submitted:
            completed = application.completed_sections.get(code)
            status = Task.COMPLETED if completed else Task.TO_COMPLETE
        elif application.completed_sections.get(code):
            status = Task.COMPLETED
        elif has_data.get(code) or application.section_version(code):
            status = Task.IN_PROGRESS
        else:
            status = Task.NOT_STARTED
        editable = allowed is None or code in allowed
        tasks.append(Task(str(code), str(title), url, status, editable))
    return tasks


def _item_labels(items, sections, version) -> list[str]:
    """What a completion request asks for, in words: sections, or single questions."""
    titles = {code: str(label) for code, label in Section.choices}
    titles.update({section.code: section.title for section in sections})
    question_keys = [item.partition(":")[2] for item in items if item not in titles]
    questions = {}
    if version is not None and question_keys:
        questions = {
            question.key: question
            for question in Question.objects.filter(version=version, key__in=question_keys)
        }
    labels = []
    for item in items:
        if item in titles:
            labels.append(titles[item])
        elif (question := questions.get(item.partition(":")[2])) is not None:
            labels.append(gettext("Question: %(question)s") % {"question": question.label})
        else:
            labels.append(item)
    return labels


def _receipt_rows(application, submissions):
    time_zone = application.phase.call.programme.time_zone
    for submission in submissions:
        submission.received_at_text = format_instant_seconds(submission.received_at, time_zone)
    return submissions


@login_required
def detail(request, pk):
    application = get_application_for(request, pk)
    now = timezone.now()
    user = request.user
    sections = _questionnaire_sections(application)
    completion_request = (
        services.open_completion_request(application)
        if application.state == ApplicationState.COMPLETION_REQUESTED
        else None
    )
    organisation_ids = _organisation_ids(user)
    invitation = None
    if application.phase.kind == Phase.Kind.IDEA and application.first_submitted_at is not None:
        invitation = _invitation_view(
            application,
            FullPhaseInvitation.objects.filter(idea=application).select_related("phase").first(),
            Application.objects.filter(idea=application)
            .exclude(state=ApplicationState.WITHDRAWN)
            .values_list("pk", flat=True)
            .order_by("pk")
            .first(),
            application.coordinator_id in organisation_ids,
            now,
        )
    unconfirmed = [
        partner
        for partner in application.partners.select_related("organisation")
        if partner.organisation_id in organisation_ids and not partner.is_confirmed
    ]
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "programme": application.phase.call.programme,
            "deadline": _application_deadline(application, now, completion_request),
            "phase_deadline": _application_deadline(application, now),
            "tasks": _tasks(application, user, sections, completion_request)
            if application.state != ApplicationState.WITHDRAWN
            else [],
            "completion_request": completion_request,
            "requested_items": _item_labels(
                completion_request.items, sections, application.questionnaire_version
            )
            if completion_request
            else [],
            "submissions": _receipt_rows(
                application, list(application.submissions.defer("content").order_by("number"))
            ),
            "unconfirmed_partnerships": unconfirmed,
            "invitation": invitation,
            "is_coordinator": application.coordinator_id in organisation_ids,
            "can_withdraw": user.has_perm("applications.withdraw_application", application),
            "withdrawn_at": application.withdrawn_at
            and format_instant_seconds(
                application.withdrawn_at, application.phase.call.programme.time_zone
            ),
        },
    )


# --- Check your answers -----------------------------------------------------------------


@dataclass
class Table:
    caption: str
    columns: list[str]
    # Each row: its header cell and its data cells (texts).
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    numeric: bool = False


@dataclass
class Row:
    """One row of a summary: a label and a value (text, list of texts, or a table)."""

    label: str
    text: str = ""
    items: list[str] | None = None
    table: Table | None = None
    multiline: bool = False
    missing: bool = False


@dataclass
class SummarySection:
    code: str
    title: str
    change_url: str = ""
    rows: list[Row] = field(default_factory=list)
    table: Table | None = None
    attachments: list | None = None


def _not_given() -> str:
    return gettext("Not given")


def _money(amount, currency) -> str:
    return format_money(Decimal(amount), currency)


def _answer_row(question, value, currency, files) -> Row:
    """How one answer reads on the summary, by the question's kind."""
    label = question.label
    Kind = Question.Kind
    if question.kind == Kind.FILE:
        names = files.get(question.key, [])
        if names:
            return Row(label, items=names)
    if is_empty(value):
        return Row(label, gettext("Not answered"), missing=True)
    if question.kind == Kind.TABLE:
        columns = question.column_list
        table = Table(caption=label, columns=[column.label for column in columns])
        for number, row in enumerate(value if isinstance(value, list) else [], start=1):
            cells = [
                _answer_text(
                    column, row.get(column.key) if isinstance(row, dict) else None, currency
                )
                for column in columns
            ]
            table.rows.append((str(number), cells))
        return Row(label, table=table)
    if question.kind == Kind.MULTIPLE_CHOICE:
        choices = {choice.value: choice.label for choice in question.choice_list}
        return Row(label, items=[choices.get(v, str(v)) for v in value])
    return Row(
        label,
        _answer_text(question, value, currency),
        multiline=question.kind == Kind.LONG_TEXT,
    )


def _answer_text(question, value, currency) -> str:
    Kind = Question.Kind
    if is_empty(value):
        return ""
    try:
        if question.kind == Kind.MONEY:
            return _money(str(value), currency)
        if question.kind == Kind.NUMBER:
            return number_format(Decimal(str(value)), use_l10n=True)
        if question.kind == Kind.DATE:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            return format_date(day, _DATE_PATTERNS[_language()], locale=_language())
    except (InvalidOperation, ValueError):
        return str(value)
    if question.kind == Kind.YES_NO:
        return gettext("Yes") if value else gettext("No")
    if question.kind == Kind.SINGLE_CHOICE:
        choices = {choice.value: choice.label for choice in question.choice_list}
        return choices.get(value, str(value))
    if question.kind == Kind.MULTIPLE_CHOICE and isinstance(value, list):
        choices = {choice.value: choice.label for choice in question.choice_list}
        return ", ".join(choices.get(v, str(v)) for v in value)
    return str(value)


def _change_url(application, code, allowed, **kwargs) -> str:
    if allowed is not None and code not in allowed:
        return ""
    name = "answers" if code.startswith("answers:") else code
    return reverse(f"applications:{name}", kwargs={"pk": application.pk, **kwargs})


def _summary(application, user) -> list[SummarySection]:
    """Every part of the application as the check page shows it, with "Change" links to the
    parts the user may edit now."""
    programme = application.phase.call.programme
    currency = programme.currency
    allowed = services.editable_sections(application, user)
    summary = []

    basics = SummarySection(
        Section.BASICS, str(Section.BASICS.label), _change_url(application, "basics", allowed)
    )
    basics.rows = [
        Row(gettext("Title"), application.title or _not_given(), missing=not application.title),
        Row(
            pgettext("application", "Summary"),
            application.summary or _not_given(),
            multiline=True,
            missing=not application.summary,
        ),
    ]
    # A thematic network has a theme and a development zone a zone (as on the basics page):
    # the other row does not apply to the instrument.
    kind = application.instrument.kind
    if kind == Instrument.Kind.THEMATIC_NETWORK or application.theme is not None:
        basics.rows.append(
            Row(
                gettext("Theme"),
                application.theme.name if application.theme else _not_given(),
                missing=application.theme is None,
            )
        )
    if kind == Instrument.Kind.DEVELOPMENT_ZONE or application.zone is not None:
        basics.rows.append(
            Row(
                gettext("Development zone"),
                application.zone.name if application.zone else _not_given(),
                missing=application.zone is None,
            )
        )
    summary.append(basics)

    consortium = SummarySection(
        Section.PARTNERS, str(Section.PARTNERS.label), _change_url(application, "partners", allowed)
    )
    consortium.rows.append(
        Row(
            gettext("Coordinator"),
            f"{application.coordinator} ({application.coordinator.get_type_display()})",
        )
    )
    for partner in application.partners.select_related("organisation"):
        confirmed = (
            gettext("Confirmed")
            if partner.is_confirmed
            else gettext("Participation not yet confirmed")
        )
        items = [
            f"{partner.get_role_display()} ({partner.organisation.get_type_display()})",
            confirmed,
        ]
        if partner.tasks:
            items.append(gettext("Tasks: %(tasks)s") % {"tasks": partner.tasks})
        consortium.rows.append(Row(str(partner.organisation), items=items))
    if len(consortium.rows) == 1:
        consortium.rows.append(Row(gettext("Partners"), gettext("No partners"), missing=True))
    summary.append(consortium)

    municipalities = SummarySection(
        Section.MUNICIPALITIES,
        str(Section.MUNICIPALITIES.label),
        _change_url(application, "municipalities", allowed),
    )
    names = sorted(str(m.name) for m in application.municipalities.all())
    municipalities.rows.append(
        Row(gettext("Municipalities (%(count)d)") % {"count": len(names)}, items=names)
        if names
        else Row(pgettext("application", "Municipalities"), _not_given(), missing=True)
    )
    summary.append(municipalities)

    totals = budget_totals(application)
    budget = SummarySection(
        Section.BUDGET, str(Section.BUDGET.label), _change_url(application, "budget", allowed)
    )
    years = totals.years
    if totals.costs:
        table = Table(
            caption=gettext("Costs by year and category"),
            columns=[str(year) for year in years] + [gettext("Total")],
            numeric=True,
        )
        for category, label in CostCategory.choices:
            amounts = [totals.costs.get(year, {}).get(category) for year in years]
            if not any(amounts):
                continue
            table.rows.append(
                (
                    str(label).capitalize(),
                    [_money(a or 0, currency) for a in amounts]
                    + [_money(totals.category_total(category), currency)],
                )
            )
        table.rows.append(
            (
                gettext("Total costs"),
                [_money(totals.costs_in(year), currency) for year in years]
                + [_money(totals.total_costs, currency)],
            )
        )
        budget.table = table
    else:
        budget.rows.append(Row(gettext("Costs"), gettext("No costs entered"), missing=True))
    for row in application.income_rows.all():
        budget.rows.append(
            Row(
                gettext("Income %(year)d: %(description)s")
                % {"year": row.year, "description": row.description},
                _money(row.amount, currency),
            )
        )
    if totals.total_income:
        budget.rows.append(Row(gettext("Total income"), _money(totals.total_income, currency)))
        budget.rows.append(Row(gettext("Costs less income"), _money(totals.net_costs, currency)))
    summary.append(budget)

    financing = financing_check(application, totals)
    plan = SummarySection(
        Section.FINANCING,
        str(Section.FINANCING.label),
        _change_url(application, "financing", allowed),
    )
    plan.rows = [
        Row(gettext("Aid requested"), _money(application.aid_requested, currency)),
        Row(gettext("Own financing"), _money(application.own_financing, currency)),
        Row(gettext("Other public funding"), _money(application.other_public_funding, currency)),
        Row(gettext("Financing in total"), _money(financing.total_financing, currency)),
    ]
    summary.append(plan)

    attachments = list(
        application.attachments.filter(removed_at__isnull=True).order_by("uploaded_at", "pk")
    )
    files: dict[str, list[str]] = {}
    for attachment in attachments:
        if attachment.question_key:
            files.setdefault(attachment.question_key, []).append(attachment.name)
    version = application.questionnaire_version
    if version is not None:
        by_section: dict[int, SummarySection] = {}
        for question in questions_of(version):
            section = by_section.get(question.section_id)
            if section is None:
                code = f"answers:{question.section_id}"
                section = SummarySection(
                    code,
                    question.section.title,
                    _change_url(application, code, allowed, section=question.section_id),
                )
                by_section[question.section_id] = section
                summary.append(section)
            section.rows.append(
                _answer_row(question, application.answers.get(question.key), currency, files)
            )

    summary.append(
        SummarySection(
            Section.ATTACHMENTS,
            str(Section.ATTACHMENTS.label),
            _change_url(application, "attachments", allowed),
            attachments=attachments,
        )
    )
    return summary


def _check_page(request, application, *, errors=(), status=200):
    """The check page: the summary, the checklist and, when it can go, the submit form."""
    now = timezone.now()
    user = request.user
    checks = application_checks(application)
    eligible = can_submit(checks)
    coordinator = is_coordinator_member(user, application)
    editable = application.is_editable
    completion_request = (
        services.open_completion_request(application)
        if application.state == ApplicationState.COMPLETION_REQUESTED
        else None
    )
    deadline = _application_deadline(application, now, completion_request)
    blockers = []
    if not editable:
        blockers.append(
            gettext("The application is %(state)s: there is nothing to submit now.")
            % {"state": application.get_state_display()}
        )
    elif not coordinator:
        blockers.append(gettext("Only the coordinator's members can submit the application."))
    if editable and not eligible:
        blockers.append(
            gettext("The application can be submitted once every point marked ✗ is in order.")
        )
    show_form = editable and coordinator and eligible
    if show_form and not errors:
        # What the submit button will send, read and checked now rather than in the rush at
        # the deadline; the submit door uses it only while the draft's fingerprint is the
        # same as the one the form carries.
        services.prepare_submission(application, now=now)
    return render(
        request,
        "applications/check.html",
        {
            "application": application,
            "programme": application.phase.call.programme,
            "summary": _summary(application, user),
            "checks": checks,
            "can_submit": show_form,
            "blockers": blockers,
            "errors": list(errors),
            "deadline": deadline,
            "form": SubmitForm(initial={"fingerprint": services.draft_fingerprint(application)}),
            "now": now,
        },
        status=status,
    )


@login_required
def check(request, pk):
    application = get_application_for(request, pk)
    return _check_page(request, application)


@login_required
@require_POST
def submit(request, pk):
    """Receive the draft; a retry of an accepted submission lands on the same receipt."""
    # Only the coordinator's members submit: the door reads the draft under its lock and
    # refuses anyone else, whom this view answers as if there were no such application. A
    # retry after the state became "submitted" must still reach the door, so the state-bound
    # submit permission is not asked here.
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            pk,
            [
                gettext(
                    "The application changed after you opened this page. Check the answers "
                    "below and submit again."
                )
            ],
        )
    try:
        submission = services.submit_application(
            Application(pk=pk),
            by=request.user,
            now=getattr(request, "received_at", None),
            expected_fingerprint=form.cleaned_data["fingerprint"],
        )
    except (Application.DoesNotExist, services.NotAllowed) as error:
        raise Http404 from error
    except services.ApplicationError as error:
        return _refused(request, pk, error.messages)
    return redirect("applications:receipt", pk=pk, number=submission.number)


def _refused(request, pk, errors):
    """The check page again, with why the submission was not received."""
    application = get_application_for(request, pk)
    if not is_coordinator_member(request.user, application):
        raise Http404
    return _check_page(request, application, errors=errors, status=409)


# --- Receipts ---------------------------------------------------------------------------


def _submission(application, number):
    return get_object_or_404(application.submissions.select_related("submitted_by"), number=number)


@login_required
def receipt(request, pk, number):
    application = get_application_for(request, pk, "applications.view_submissions")
    submission = _submission(application, number)
    language = _language()
    time_zone = application.phase.call.programme.time_zone
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "submission": submission,
            "received_at": format_instant_seconds(submission.received_at, time_zone, language),
            "snapshot": snapshot_context(submission.content, language),
        },
    )


@login_required
def receipt_pdf(request, pk, number):
    application = get_application_for(request, pk, "applications.view_submissions")
    submission = _submission(application, number)
    language = _language()
    response = HttpResponse(
        receipts.receipt_pdf(submission, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=receipt_file_name(submission.record_number, language)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Withdrawing ------------------------------------------------------------------------


@login_required
def withdraw(request, pk):
    application = get_application_for(request, pk, "applications.withdraw_application")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(
                application, reason=form.cleaned_data["reason"], by=request.user
            )
        except services.ApplicationError as error:
            refused = True
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("The application was withdrawn."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/withdraw.html",
        {"application": application, "form": form},
        status=409 if refused else 200,
    )


# --- Confirming a partnership -----------------------------------------------------------


def _commitment_text(partner) -> str:
    return gettext(
        "%(organisation)s commits to take part in the project “%(title)s” coordinated by "
        "%(coordinator)s as %(role)s and to carry out the tasks agreed for it in the "
        "application."
    ) % {
        "organisation": partner.organisation,
        "title": partner.application.title or gettext("Untitled application"),
        "coordinator": partner.application.coordinator,
        "role": partner.get_role_display(),
    }


@login_required
def confirm_partner(request, pk):
    """A partner organisation's member confirms its participation with a letter of
    commitment. Only the partner's own members reach this page."""
    partner = get_object_or_404(Partner.objects.select_related("organisation"), pk=pk)
    application = get_application_for(request, partner.application_id)
    if partner.organisation_id not in _organisation_ids(request.user):
        raise Http404
    partner.application = application
    open_to_confirm = application.is_editable and not partner.is_confirmed
    form = CommitmentForm(
        request.POST if request.method == "POST" else None,
        initial={"commitment": _commitment_text(partner)},
    )
    refused = False
    if request.method == "POST" and open_to_confirm and form.is_valid():
        try:
            services.confirm_partnership(
                partner, commitment=form.cleaned_data["commitment"], by=request.user
            )
        except services.ApplicationError as error:
            refused = True
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                gettext("%(organisation)s confirmed its participation.")
                % {"organisation": partner.organisation},
            )
            return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "applications/confirm_partner.html",
        {
            "application": application,
            "partner": partner,
            "form": form,
            "open_to_confirm": open_to_confirm,
            "confirmed_at": partner.confirmed_at
            and format_instant_seconds(
                partner.confirmed_at, application.phase.call.programme.time_zone
            ),
        },
        status=409 if refused else 200,
    )


# --- Attachments ------------------------------------------------------------------------


def _in_a_submission(application, attachment_id) -> bool:
    for content in application.submissions.values_list("content", flat=True):
        if any(item.get("id") == attachment_id for item in content.get("attachments", [])):
            return True
    return False


@login_required
def download_attachment(request, pk, attachment):
    """The applicants' file, as a download with its own name; a file removed from the draft
    stays downloadable if a submission received it. Officers open what a submission received
    in the workspace (``workspace_views.attachment``)."""
    application = get_application_for(request, pk, "applications.download_attachment")
    attachment = get_object_or_404(Attachment, pk=attachment, application=application)
    if attachment.removed_at is not None and not _in_a_submission(application, attachment.pk):
        raise Http404
    return attachment_response(attachment.file, name=attachment.name, kind=attachment.kind)

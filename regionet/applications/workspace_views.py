"""The officers' workspace: a funder's calls and phases, a phase's submitted applications
(filters, search, sorting, bulk actions, exports), one application with the officer's
actions and the attachments it was received with, and the comparison of two submitted versions.

Programme officers and administrators of the call's funder only: to anyone else the pages do
not exist (404). Forms parse, services act, queries fetch; these functions orchestrate.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from regionet.audit.labels import verb_label
from regionet.audit.models import AuditEvent
from regionet.audit.services import record
from regionet.programmes.models import Phase

from . import exports, queries, services
from .downloads import attachment_response
from .eligibility import application_checks
from .models import Application, ApplicationState, Attachment, Export
from .receipts import snapshot_context
from .uploads import ALLOWED_KINDS
from .workspace_forms import (
    BulkActionForm,
    CompareForm,
    CompletionRequestForm,
    LateAdmissionForm,
    ScreeningForm,
    WorkspaceFilterForm,
)

PAGE_SIZE = 25

# The sortable columns of a phase's list: sort key → heading.
SORTABLE_COLUMNS = {
    "record_number": _("Record number"),
    "title": _("Title"),
    "coordinator": _("Coordinator"),
    "aid_requested": _("Aid requested"),
    "received": _("Received"),
}

# The parts of a snapshot the comparison names when they differ, in reading order.
COMPARED_PARTS = (
    ("title", _("Title")),
    ("summary", pgettext_lazy("application", "Summary")),
    ("theme", _("Theme")),
    ("zone", _("Development zone")),
    ("instrument", _("Instrument")),
    ("partners", _("Consortium")),
    ("municipalities", _("Participating municipalities")),
    ("budget", _("Budget")),
    ("financing", _("Financing plan")),
    ("attachments", _("Attachments")),
)


# --- Who may see what -------------------------------------------------------------------


def _officer_phase(request, pk) -> Phase:
    phase = get_object_or_404(Phase.objects.select_related("call__programme__funder"), pk=pk)
    if not request.user.has_perm("applications.handle_call", phase):
        raise Http404
    return phase


def _handled_application(request, pk) -> Application:
    """A submitted application of the officer's funder (drafts are the applicants' own)."""
    application = get_object_or_404(
        Application.objects.select_related(
            "phase__call__programme__funder",
            "coordinator",
            "instrument",
            "theme",
            "zone",
            "questionnaire_version",
        ),
        pk=pk,
    )
    if not request.user.has_perm("applications.handle_application", application):
        raise Http404
    return application


def _officer_export(request, pk) -> Export:
    export = get_object_or_404(
        Export.objects.select_related("phase__call__programme__funder", "requested_by"), pk=pk
    )
    # The requester, or any officer of the funder: an officer no longer is one cannot.
    if not request.user.has_perm("applications.handle_call", export.phase):
        raise Http404
    return export


def _phase_url(phase, query_string="") -> str:
    url = reverse("workspace:phase", kwargs={"pk": phase.pk})
    return f"{url}?{query_string}" if query_string else url


# --- The funder's calls and phases ------------------------------------------------------


@login_required
def index(request):
    funder_ids = queries.managed_funder_ids(request.user)
    if not funder_ids:
        raise Http404
    return render(
        request,
        "applications/workspace/index.html",
        {"phases": list(queries.phases_for_officer(funder_ids))},
    )


# --- One phase's applications -----------------------------------------------------------


def _sort_headings(sort: str) -> dict[str, dict]:
    """The sortable headings: the current one says its direction (aria-sort), and each links
    to itself ascending, or descending when it is the ascending one now."""
    current = sort.lstrip("-") if sort else queries.DEFAULT_SORT
    descending = sort.startswith("-")
    headings = {}
    for key, label in SORTABLE_COLUMNS.items():
        is_current = key == current
        headings[key] = {
            "label": label,
            "aria_sort": ("descending" if descending else "ascending") if is_current else "",
            "next": f"-{key}" if is_current and not descending else key,
            "numeric": key == "aid_requested",
        }
    return headings


@login_required
def phase_applications(request, pk):
    phase = _officer_phase(request, pk)
    form = WorkspaceFilterForm(phase, request.GET)
    filters = form.filters()
    applications = queries.applications_for_workspace(phase, filters)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/workspace/phase.html",
        {
            "phase": phase,
            "programme": phase.call.programme,
            "form": form,
            "filtered": any(name != "sort" for name in filters),
            "page": page,
            "headings": _sort_headings(filters.get("sort", "")),
            "bulk_form": BulkActionForm(phase),
            "export_formats": Export.Format.choices,
            "draft_count": queries.draft_count(phase),
            "exports": queries.exports_of(phase, request.user),
        },
    )


@login_required
@require_POST
def bulk_action(request, pk):
    phase = _officer_phase(request, pk)
    form = BulkActionForm(phase, request.POST)
    if form.is_valid():
        done, problems = services.bulk_action(
            form.cleaned_data["applications"].order_by("first_submitted_at", "pk"),
            form.cleaned_data["action"],
            by=request.user,
        )
        messages.success(
            request,
            ngettext(
                "The action was done for %(count)d application.",
                "The action was done for %(count)d applications.",
                done,
            )
            % {"count": done},
        )
        for problem in problems:
            messages.warning(request, gettext("Not done: %(problem)s") % {"problem": problem})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_phase_url(phase, request.GET.urlencode()))


@login_required
def drafts(request, pk):
    """Who has a draft in the phase, so that one of them can be admitted late."""
    phase = _officer_phase(request, pk)
    return render(
        request,
        "applications/workspace/drafts.html",
        {
            "phase": phase,
            "programme": phase.call.programme,
            "drafts": list(queries.drafts(phase).prefetch_related("late_admissions")),
        },
    )


# --- Exports ----------------------------------------------------------------------------


@login_required
@require_POST
def create_export(request, pk):
    phase = _officer_phase(request, pk)
    format = request.POST.get("format")
    if format not in Export.Format.values:
        messages.error(request, gettext("Choose CSV or XLSX."))
        return redirect(_phase_url(phase, request.GET.urlencode()))
    export = exports.request_export(
        phase,
        format=format,
        filters=WorkspaceFilterForm(phase, request.GET).query_parameters(),
        language=get_language(),
        by=request.user,
    )
    return redirect("workspace:export", pk=export.pk)


@login_required
def export_detail(request, pk):
    """The export's progress; HTMX asks again every 2 seconds until it is finished."""
    export = _officer_export(request, pk)
    context = {
        "export": export,
        "phase": export.phase,
        "finished": export.state in (Export.State.DONE, Export.State.FAILED),
    }
    if request.htmx:
        return render(request, "applications/workspace/includes/export_progress.html", context)
    return render(request, "applications/workspace/export.html", context)


@login_required
def export_download(request, pk):
    export = _officer_export(request, pk)
    if export.state != Export.State.DONE or not export.file:
        raise Http404
    record(request.user, "applications.export_downloaded", export.phase, export=str(export.pk))
    content_type = (
        "text/csv; charset=utf-8"
        if export.format == Export.Format.CSV
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=exports.download_name(export),
        content_type=content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- One application --------------------------------------------------------------------


def _audit_trail(application) -> list[dict]:
    events = AuditEvent.objects.for_target(application).select_related("actor")
    return [
        {
            "event": event,
            "label": verb_label(event.verb),
            "actor": (event.actor.full_name or event.actor.email) if event.actor else "",
        }
        for event in events
    ]


def _link_attachments(application, submission, content, snapshot) -> None:
    """Give each attachment the snapshot shows its type and the address of the file as
    ``submission`` received it (the lists are in the same order)."""
    for shown, received in zip(
        snapshot["attachments"], content.get("attachments", []), strict=True
    ):
        kind = ALLOWED_KINDS.get(received.get("kind"))
        shown["type"] = kind.label if kind else ""
        shown["url"] = reverse(
            "workspace:attachment",
            kwargs={
                "pk": application.pk,
                "number": submission.number,
                "attachment": received["id"],
            },
        )


def _render_application(request, application, **forms):
    submissions = list(application.submissions.order_by("number").defer("content"))
    latest = submissions[-1] if submissions else None
    latest_content = (
        application.submissions.values_list("content", flat=True).get(pk=latest.pk)
        if latest
        else None
    )
    snapshot = snapshot_context(latest_content, get_language()) if latest else None
    if snapshot is not None:
        _link_attachments(application, latest, latest_content, snapshot)
    context = {
        "application": application,
        "phase": application.phase,
        "programme": application.phase.call.programme,
        "submissions": submissions,
        "latest": latest,
        "snapshot": snapshot,
        "received_title": latest_content["title"] if latest else "",
        # A submitted application cannot change, so its live checks are those of what was
        # received; during a completion request the draft is the applicant's work in progress.
        "checks": application_checks(application)
        if application.state == ApplicationState.SUBMITTED
        else None,
        "audit_trail": _audit_trail(application),
        "open_request": services.open_completion_request(application),
        "can_request_completion": application.state == ApplicationState.SUBMITTED,
        "completion_form": forms.get("completion_form") or CompletionRequestForm(application),
        "screening_form": forms.get("screening_form") or ScreeningForm(application),
    }
    return render(request, "applications/workspace/application.html", context)


@login_required
def application_detail(request, pk):
    return _render_application(request, _handled_application(request, pk))


@login_required
def attachment(request, pk, number, attachment):
    """An attachment as submission ``number`` received it, as a download.

    Only a file that the submission's snapshot lists, with the hash the snapshot froze: the
    draft's files (also during a completion request) stay the applicants' own."""
    application = _handled_application(request, pk)
    content = get_object_or_404(
        application.submissions.values_list("content", flat=True), number=number
    )
    received = next(
        (item for item in content.get("attachments", []) if item.get("id") == attachment), None
    )
    if received is None:
        raise Http404
    stored = get_object_or_404(Attachment, pk=attachment, application=application)
    if stored.sha256 != received["sha256"]:
        raise Http404
    return attachment_response(stored.file, name=received["name"], kind=received.get("kind"))


@login_required
@require_POST
def request_completion(request, pk):
    application = _handled_application(request, pk)
    form = CompletionRequestForm(application, request.POST)
    if form.is_valid():
        try:
            services.request_completion(
                application,
                items=form.cleaned_data["items"],
                closes_at=form.cleaned_data["deadline"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except services.ApplicationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("The completion request was sent."))
            return redirect("workspace:application", pk=application.pk)
    return _render_application(request, application, completion_form=form)


@login_required
@require_POST
def close_completion(request, pk):
    application = _handled_application(request, pk)
    try:
        services.close_completion_request(application, by=request.user)
    except services.ApplicationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            gettext("The completion request was closed; the application is as last submitted."),
        )
    return redirect("workspace:application", pk=application.pk)


@login_required
@require_POST
def screen(request, pk):
    application = _handled_application(request, pk)
    form = ScreeningForm(application, request.POST)
    if form.is_valid():
        try:
            services.screen_application(
                application,
                form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.ApplicationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, gettext("The screening was saved."))
            return redirect("workspace:application", pk=application.pk)
    return _render_application(request, application, screening_form=form)


@login_required
def late_admission(request, pk):
    """Admit a draft after the deadline (the applicant could not submit in time)."""
    application = get_object_or_404(
        Application.objects.select_related(
            "phase__call__programme__funder", "coordinator", "instrument"
        ),
        pk=pk,
        state=ApplicationState.DRAFT,
    )
    if not request.user.has_perm("applications.handle_call", application.phase):
        raise Http404
    form = LateAdmissionForm(application, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_late_admission(
                application,
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
                by=request.user,
            )
        except services.ApplicationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                gettext("%(coordinator)s was admitted to submit late.")
                % {"coordinator": application.coordinator},
            )
            return redirect("workspace:drafts", pk=application.phase_id)
    return render(
        request,
        "applications/workspace/late_admission.html",
        {
            "application": application,
            "phase": application.phase,
            "programme": application.phase.call.programme,
            "admissions": list(application.late_admissions.order_by("-granted_at")),
            "form": form,
        },
    )


# --- Two versions side by side ----------------------------------------------------------


def changed_parts(earlier: dict, later: dict, question_labels: dict[str, str]) -> list[str]:
    """What differs between two snapshots' contents, in words: the parts of COMPARED_PARTS
    and each answer (by its question) that changed."""
    changes = [str(label) for key, label in COMPARED_PARTS if earlier.get(key) != later.get(key)]
    old_answers = earlier.get("answers") or {}
    new_answers = later.get("answers") or {}
    keys = [key for key in question_labels if key in old_answers or key in new_answers]
    keys += sorted((set(old_answers) | set(new_answers)) - set(keys))
    for key in keys:
        if old_answers.get(key) != new_answers.get(key):
            changes.append(
                gettext("Answer: %(question)s") % {"question": question_labels.get(key, key)}
            )
    return changes


def _question_labels(*snapshots) -> dict[str, str]:
    labels = {}
    for snapshot in snapshots:
        for section in snapshot["answer_sections"]:
            for answer in section["answers"]:
                labels.setdefault(answer["key"], answer["label"])
    return labels


@login_required
def compare_versions(request, pk):
    """Two submitted versions side by side (``?a=1&b=2``, by default the last two) and what
    changed between them; for everyone who may see the application."""
    application = get_object_or_404(
        Application.objects.select_related("phase__call__programme__funder"), pk=pk
    )
    if not request.user.has_perm("applications.view_submissions", application):
        raise Http404
    numbers = list(application.submissions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404
    a, b = CompareForm(numbers, request.GET).versions()
    # The choice shown is the one made, an unknown version falling back to the default.
    form = CompareForm(numbers, initial={"a": a, "b": b})
    by_number = {s.number: s for s in application.submissions.filter(number__in={a, b})}
    earlier, later = by_number[a], by_number[b]
    language = get_language()
    earlier_snapshot = snapshot_context(earlier.content, language)
    later_snapshot = earlier_snapshot if a == b else snapshot_context(later.content, language)
    changes = (
        changed_parts(
            earlier.content,
            later.content,
            _question_labels(earlier_snapshot, later_snapshot),
        )
        if a != b
        else []
    )
    return render(
        request,
        "applications/compare.html",
        {
            "application": application,
            "form": form,
            "numbers": numbers,
            "earlier": earlier,
            "later": later,
            "earlier_snapshot": earlier_snapshot,
            "later_snapshot": later_snapshot,
            "same": a == b,
            "changes": changes,
            "is_officer": request.user.has_perm("applications.handle_application", application),
        },
    )

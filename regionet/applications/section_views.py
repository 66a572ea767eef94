"""The applicant's section pages: basics, consortium, municipalities, budget, financing,
questionnaire answers and attachments, each saved on its own and autosaved with HTMX.

Every section form carries the section's ``version``. A save goes through
``services.save_section`` with it as ``base_version``: a save made on an older version is
refused (``StaleSave``) and the page shows the other person's saved text next to the user's own
refused text, which the form also keeps. An autosave (HTMX, ``autosave=1``) gets a small status
fragment back instead of the page: 200 saved, 422 not saved (errors), 409 conflict, 401 signed
out, 403 no longer editable. ``static/applications/autosave.js`` lets HTMX swap those 4xx
fragments in (they carry an ``X-Save-Status`` header).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, pgettext

from regionet.accounts.templatetags.accounts_forms import error_summary
from regionet.ids import parse_id, posted_number
from regionet.places.models import Municipality
from regionet.programmes.money import format_money
from regionet.questionnaires.models import Question
from regionet.questionnaires.queries import questions_of

from . import services
from .budget import ZERO
from .eligibility import budget_totals, financing_check
from .models import Application, ApplicationState, CostCategory, PartnerInvitation, Section
from .rules import member_organisation_ids
from .section_forms import (
    AddPartnerForm,
    AttachmentForm,
    BasicsForm,
    BudgetForm,
    FinancingForm,
    MunicipalitiesForm,
    MunicipalityFilterForm,
    PartnerSectionsForm,
    SectionAnswersForm,
    municipality_periods,
    partner_section_choices,
)
from .views import get_application_for

TEMPLATES = "applications/sections/"

# --- Access -----------------------------------------------------------------------------


def _is_autosave(request) -> bool:
    return request.method == "POST" and (
        request.POST.get("autosave") == "1" or request.headers.get("HX-Request") == "true"
    )


def _signed_in(view):
    """Like ``login_required``, but an autosave of an expired session gets a fragment that
    says so (401) instead of the login page swapped into the status line."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if _is_autosave(request):
            return _status(request, "signed_out", status=401, login_url=_login_url(request))
        if request.method == "POST":
            # The login page would drop what was typed: show it back instead.
            return render(
                request,
                "applications/sections/signed_out.html",
                {"posted": _typed_texts(request.POST), "login_url": _login_url(request)},
                status=401,
            )
        return redirect_to_login(request.get_full_path())

    return wrapper


# Form fields that carry no text of the user's.
_MACHINE_FIELDS = frozenset({"csrfmiddlewaretoken", "version", "autosave", "complete"})


def _typed_texts(data) -> list[tuple[str, str]]:
    """The non-empty texts of a posted form, in the order they were sent."""
    return [
        (name, value)
        for name, values in data.lists()
        if name not in _MACHINE_FIELDS
        for value in values
        if value.strip()
    ]


def _login_url(request) -> str:
    return f"{reverse('account_login')}?next={request.path}"


def _application(request, pk) -> Application:
    """The application if the user may see it; 404 otherwise (its existence stays hidden)."""
    return get_application_for(request, pk)


def _read_only_reason(application, user) -> str:
    if not application.is_editable:
        return gettext("The application is %(state)s, so it can no longer be changed.") % {
            "state": application.get_state_display()
        }
    if (
        application.state == ApplicationState.COMPLETION_REQUESTED
        and services.editable_sections(application, user) != set()
    ):
        return gettext("The completion request does not ask for changes to this part.")
    return gettext(
        "Only the coordinator's members, and the members of partners the coordinator allows, "
        "can edit this part."
    )


def _section_title(section: str, questionnaire_section=None) -> str:
    if questionnaire_section is not None:
        return questionnaire_section.title
    return str(Section(section).label)


def _page_context(request, application, section, title, editable) -> dict:
    return {
        "application": application,
        "programme": application.phase.call.programme,
        "section": section,
        "title": title,
        "editable": editable,
        "read_only_reason": "" if editable else _read_only_reason(application, request.user),
        "is_complete": bool(application.completed_sections.get(section)),
    }


def _mark_complete(request, application, section, complete: bool):
    if complete != bool(application.completed_sections.get(section)):
        services.mark_section_complete(application, section, complete, by=request.user)


def _saved_at_text(saved_at, programme) -> str:
    local = timezone.localtime(saved_at, ZoneInfo(programme.time_zone))
    if (get_language() or "fi")[:2] == "en":
        return f"{local.hour:02d}:{local.minute:02d}"
    return f"{local.hour}.{local.minute:02d}"


def _posted_version(request) -> int:
    # Missing: 0; not a version number (only a tampered form has one): 400.
    return posted_number(request, "version")


# --- Showing what a section holds (read-only pages and conflicts) -----------------------


def _money(amount, programme) -> str:
    return format_money(Decimal(str(amount)), programme.currency)


def _current_data(application, section) -> dict:
    """The section as saved now, in the shape a ``RefusedSave`` keeps (JSON-ready)."""
    if section == Section.BASICS:
        return {
            "title": application.title,
            "summary": application.summary,
            "theme": application.theme_id,
            "zone": application.zone_id,
        }
    if section == Section.MUNICIPALITIES:
        return {"municipalities": [m.pk for m in application.municipalities.all()]}
    if section == Section.BUDGET:
        return {
            "costs": {
                f"{row.year}/{row.category}": str(row.amount)
                for row in application.budget_rows.exclude(category=CostCategory.INDIRECT)
            },
            "income": [
                {"year": row.year, "description": row.description, "amount": str(row.amount)}
                for row in application.income_rows.all()
            ],
        }
    if section == Section.FINANCING:
        return {
            "aid_requested": str(application.aid_requested),
            "own_financing": str(application.own_financing),
            "other_public_funding": str(application.other_public_funding),
        }
    keys = _answer_questions(application, section)
    return {key: application.answers[key] for key in keys if key in application.answers}


def _answer_questions(application, section) -> dict:
    section_id = int(section.split(":", 1)[1])
    version = application.questionnaire_version
    if version is None:
        return {}
    return {q.key: q for q in questions_of(version) if q.section_id == section_id}


def _describe(application, section, data) -> list[tuple[str, str]]:
    """[(label, text)] of a section's data, for reading (the data may be a refused save)."""
    programme = application.phase.call.programme
    if section == Section.BASICS:
        values = [
            (gettext("Title of the project"), data.get("title") or ""),
            (pgettext("application", "Summary"), data.get("summary") or ""),
        ]
        if data.get("theme"):
            theme = programme.themes.filter(pk=data["theme"]).first()
            values.append((gettext("Theme"), str(theme or "")))
        if data.get("zone"):
            zone = programme.zones.filter(pk=data["zone"]).first()
            values.append((gettext("Development zone"), str(zone or "")))
        return values
    if section == Section.MUNICIPALITIES:
        names = Municipality.objects.filter(pk__in=data.get("municipalities") or []).order_by(
            "name"
        )
        return [
            (
                gettext("Participating municipalities"),
                ", ".join(m.name for m in names) or gettext("None chosen"),
            )
        ]
    if section == Section.BUDGET:
        values = []
        for key, amount in sorted((data.get("costs") or {}).items()):
            year, category = (key if isinstance(key, tuple) else key.split("/", 1))[:2]
            label = gettext("%(category)s %(year)s") % {
                "category": CostCategory(category).label.capitalize(),
                "year": year,
            }
            values.append((label, _money(amount, programme)))
        for row in data.get("income") or []:
            label = gettext("Income %(year)s: %(description)s") % {
                "year": row.get("year"),
                "description": row.get("description", ""),
            }
            values.append((label, _money(row.get("amount", 0), programme)))
        return values or [(gettext("Budget"), gettext("No amounts"))]
    if section == Section.FINANCING:
        labels = {
            "aid_requested": gettext("Aid requested"),
            "own_financing": gettext("Own financing"),
            "other_public_funding": gettext("Other public funding"),
        }
        return [(labels[key], _money(data.get(key) or 0, programme)) for key in labels]
    questions = _answer_questions(application, section)
    return [
        (question.label, _answer_text(question, data.get(key), programme))
        for key, question in questions.items()
    ]


def _answer_text(question, value, programme) -> str:
    Kind = Question.Kind
    if value in (None, "", []):
        return gettext("Not answered")
    if question.kind == Kind.SINGLE_CHOICE:
        labels = {choice.value: choice.label for choice in question.choice_list}
        return labels.get(value, str(value))
    if question.kind == Kind.MULTIPLE_CHOICE:
        labels = {choice.value: choice.label for choice in question.choice_list}
        return ", ".join(labels.get(v, str(v)) for v in value)
    if question.kind == Kind.YES_NO:
        return gettext("Yes") if value else gettext("No")
    if question.kind == Kind.MONEY:
        return _money(value, programme)
    if question.kind == Kind.FILE:
        return gettext("A file is attached")
    if question.kind == Kind.TABLE:
        rows = []
        for row in value if isinstance(value, list) else []:
            cells = [
                f"{column.label}: {_answer_text(column, row.get(column.key), programme)}"
                for column in question.column_list
            ]
            rows.append("; ".join(cells))
        return "\n".join(rows)
    return str(value)


# --- The section pages with autosave ----------------------------------------------------


@dataclass
class SectionPage:
    """How one autosaved section page reads its form, its data and its live summaries."""

    section: str
    template: str
    title: str
    form: Callable  # (application, data or None) -> form with section_data()
    data: Callable = field(default=lambda form, application: form.section_data())
    # (application, form) -> extra context: the summaries next to the form.
    summaries: Callable = field(default=lambda application, form: {})
    # A template of the summaries that an autosave refreshes (out of band).
    summaries_template: str = ""
    # (request) -> where a Save that stays on the page lands; None: the page itself.
    stay_url: Callable | None = None


def _section_page(request, application, page: SectionPage):
    user = request.user
    editable = services.may_edit(application, user, page.section)
    context = _page_context(request, application, page.section, page.title, editable)
    context["version"] = application.section_version(page.section)
    autosave = _is_autosave(request)
    status = 200
    if request.method != "POST":
        form = page.form(application, None) if editable else None
        if not editable:
            context["values"] = _describe(
                application, page.section, _current_data(application, page.section)
            )
    else:
        if not editable:
            if autosave:
                return _status(request, "refused", status=403, application=application)
            raise PermissionDenied
        form = page.form(application, request.POST)
        complete = request.POST.get("complete") == "on"
        context["is_complete"] = complete
        if form.is_valid():
            try:
                saved = services.save_section(
                    application,
                    page.section,
                    page.data(form, application),
                    base_version=_posted_version(request),
                    by=user,
                )
            except services.StaleSave as stale:
                fresh = _application(request, application.pk)
                context.update(
                    conflict=True,
                    theirs=_describe(fresh, page.section, _current_data(fresh, page.section)),
                    yours=_describe(fresh, page.section, stale.refused.data),
                    # Saving again on purpose, having seen their text, replaces it.
                    version=stale.current_version,
                )
                if autosave:
                    return _status(request, "conflict", status=409, **context)
                status = 409
            except services.NotAllowed:
                raise PermissionDenied from None
            except services.ApplicationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                _mark_complete(request, application, page.section, complete)
                if autosave:
                    fresh = _application(request, application.pk)
                    context.update(page.summaries(fresh, form))
                    context.update(
                        application=fresh,
                        version=saved.version,
                        saved_at=_saved_at_text(saved.saved_at, fresh.phase.call.programme),
                        summaries_template=page.summaries_template,
                    )
                    return _status(request, "saved", **context)
                messages.success(request, gettext("Saved: %(section)s.") % {"section": page.title})
                if "stay" in request.POST:
                    return redirect(page.stay_url(request) if page.stay_url else request.path)
                return redirect("applications:detail", pk=application.pk)
        if autosave and not context.get("conflict"):
            return _status(request, "invalid", status=422, errors=_error_texts(form))
    context.update(page.summaries(application, form))
    context["form"] = form
    return render(request, TEMPLATES + page.template, context, status=status)


def _error_texts(form) -> list[str]:
    """The form's errors as its error summary words them (each naming its field)."""
    return [str(text) for _anchor, text in error_summary(form)]


def _status(request, outcome, *, status=200, **context):
    """The status fragment of an autosave; the header tells autosave.js to swap it in even
    with a 4xx status (and tells any other error page apart)."""
    context["outcome"] = outcome
    response = render(request, TEMPLATES + "includes/status.html", context, status=status)
    response["X-Save-Status"] = outcome
    return response


def _basics_page(application) -> SectionPage:
    return SectionPage(
        section=Section.BASICS,
        template="basics.html",
        title=_section_title(Section.BASICS),
        form=lambda app, data: BasicsForm(app, data),
    )


@_signed_in
def basics(request, pk):
    application = _application(request, pk)
    return _section_page(request, application, _basics_page(application))


def _municipality_summary(application, form) -> dict:
    """The regions that follow from the ticked municipalities, against the instrument's
    minimums (from the form's periods: no further query)."""
    if form is None:
        return {}
    chosen = form.chosen_ids()
    regions = {}
    for period in form.periods:
        if period.municipality_id in chosen:
            regions.setdefault(period.region_id, period.region)
    instrument = application.instrument
    count = len(chosen & {period.municipality_id for period in form.periods})
    return {
        "chosen_count": count,
        "chosen_regions": sorted(regions.values(), key=lambda region: region.name),
        "min_municipalities": instrument.min_municipalities,
        "min_regions": instrument.min_regions,
        "municipalities_enough": count >= instrument.min_municipalities,
        "regions_enough": len(regions) >= instrument.min_regions,
    }


@_signed_in
def municipalities(request, pk):
    application = _application(request, pk)
    year = services.facts_year(application)
    periods = []

    def make_form(app, data):
        if not periods:
            periods.extend(municipality_periods(app, year))
        return MunicipalitiesForm(app, periods, data)

    # The filter narrows the list on the server too (without JavaScript): its Filter button
    # saves what is ticked and comes back with ?q=.
    query = MunicipalityFilterForm.query_of(
        request.POST if request.method == "POST" else request.GET
    )
    page = SectionPage(
        section=Section.MUNICIPALITIES,
        template="municipalities.html",
        title=_section_title(Section.MUNICIPALITIES),
        form=make_form,
        summaries=lambda app, form: {
            **_municipality_summary(app, form),
            **_municipality_chooser(form, query),
            "facts_year": year,
        },
        summaries_template=TEMPLATES + "includes/municipality_summary.html",
        stay_url=lambda request: (
            f"{request.path}?{urlencode({'q': query})}"
            if query and request.POST.get("stay") != "all"
            else request.path
        ),
    )
    return _section_page(request, application, page)


def _municipality_chooser(form, query: str) -> dict:
    """The chooser's regions, narrowed by the filter's ``query``."""
    if form is None:
        return {}
    groups = form.region_groups(query)
    return {
        "query": query,
        "region_groups": [group for group in groups if group.municipalities],
        "hidden_chosen": [pk for group in groups for pk in group.hidden_chosen],
        "shown_count": sum(len(group.municipalities) for group in groups),
    }


def _budget_summary(application, form=None) -> dict:
    programme = application.phase.call.programme
    totals = budget_totals(application)
    years = list(programme.years)
    indirect = [
        totals.costs.get(year, {}).get(CostCategory.INDIRECT, Decimal("0")) for year in years
    ]
    return {
        "budget_years": years,
        "indirect_row": indirect,
        "indirect_total": totals.category_total(CostCategory.INDIRECT),
        "year_totals": [totals.costs_in(year) for year in years],
        "income_totals": [totals.income.get(year, ZERO) for year in years],
        "total_costs": totals.total_costs,
        "total_income": totals.total_income,
        "net_costs": totals.net_costs,
        "indirect_percent": programme.indirect_cost_percent,
    }


@_signed_in
def budget(request, pk):
    application = _application(request, pk)
    page = SectionPage(
        section=Section.BUDGET,
        template="budget.html",
        title=_section_title(Section.BUDGET),
        form=lambda app, data: BudgetForm(app, data),
        summaries=_budget_summary,
        summaries_template=TEMPLATES + "includes/budget_totals.html",
    )
    return _section_page(request, application, page)


def _financing_summary(application, form=None) -> dict:
    return {"financing": financing_check(application)}


@_signed_in
def financing(request, pk):
    application = _application(request, pk)
    page = SectionPage(
        section=Section.FINANCING,
        template="financing.html",
        title=_section_title(Section.FINANCING),
        form=lambda app, data: FinancingForm(app, data),
        summaries=_financing_summary,
        summaries_template=TEMPLATES + "includes/financing_summary.html",
    )
    return _section_page(request, application, page)


@_signed_in
def answers(request, pk, section):
    application = _application(request, pk)
    version = application.questionnaire_version
    if version is None:
        raise Http404
    questionnaire_section = get_object_or_404(version.sections, pk=section)
    page = SectionPage(
        section=f"answers:{questionnaire_section.pk}",
        template="answers.html",
        title=_section_title("", questionnaire_section),
        form=lambda app, data: SectionAnswersForm(
            version, questionnaire_section.pk, data, answers=app.answers
        ),
        data=lambda form, app: form.section_data(app.answers),
        summaries=lambda app, form: {"questionnaire_section": questionnaire_section},
    )
    return _section_page(request, application, page)


# --- Consortium -------------------------------------------------------------------------


def _questionnaire_sections(application) -> list:
    version = application.questionnaire_version
    return list(version.sections.order_by("order", "pk")) if version is not None else []


@_signed_in
def partners(request, pk):
    application = _application(request, pk)
    user = request.user
    section = Section.PARTNERS
    can_manage = user.has_perm("applications.manage_consortium", application) and services.may_edit(
        application, user, section
    )
    choices = partner_section_choices(_questionnaire_sections(application))
    section_labels = dict(choices)
    partner_list = list(
        application.partners.select_related("organisation", "confirmed_by").order_by(
            "added_at", "pk"
        )
    )
    add_form = AddPartnerForm(section_choices=choices)
    sections_forms = {}
    removing = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "complete":
            _mark_complete(request, application, section, request.POST.get("complete") == "on")
            messages.success(request, gettext("Saved: %(section)s.") % {"section": section.label})
            return redirect(request.path)
        if action == "add":
            add_form = AddPartnerForm(request.POST, section_choices=choices)
            if add_form.is_valid():
                try:
                    partner = services.add_partner(
                        application,
                        add_form.organisation,
                        role=add_form.cleaned_data["role"],
                        tasks=add_form.cleaned_data["tasks"],
                        editable=add_form.cleaned_data["editable_sections"],
                        by=user,
                    )
                except services.ApplicationError as error:
                    for message in error.messages:
                        add_form.add_error(None, message)
                else:
                    messages.success(
                        request,
                        gettext(
                            "%(organisation)s was added to the consortium. Its members are "
                            "asked to confirm the partnership."
                        )
                        % {"organisation": partner.organisation},
                    )
                    return redirect(request.path)
        elif action in ("sections", "remove"):
            partner = _partner_in(partner_list, request.POST.get("partner"))
            if action == "remove":
                services.remove_partner(partner, by=user)
                messages.success(
                    request,
                    gettext("%(organisation)s was removed from the consortium.")
                    % {"organisation": partner.organisation},
                )
                return redirect(request.path)
            form = PartnerSectionsForm(partner, request.POST, section_choices=choices)
            if form.is_valid():
                services.set_partner_sections(partner, form.cleaned_data["sections"], by=user)
                messages.success(
                    request,
                    gettext("Saved the parts %(organisation)s may edit.")
                    % {"organisation": partner.organisation},
                )
                return redirect(request.path)
            sections_forms[partner.pk] = form
        else:
            return HttpResponseBadRequest()
    elif can_manage and request.GET.get("remove"):
        removing = _partner_in(partner_list, request.GET["remove"])
    own = member_organisation_ids(user)
    rows = []
    for partner in partner_list:
        form = None
        if can_manage:
            form = sections_forms.get(partner.pk) or PartnerSectionsForm(
                partner, section_choices=choices
            )
        rows.append(
            {
                "partner": partner,
                "sections_form": form,
                "section_names": [
                    section_labels.get(code, code) for code in partner.editable_sections
                ],
                "is_own": partner.organisation_id in own,
            }
        )
    context = _page_context(request, application, section, str(section.label), can_manage)
    context.update(
        rows=rows,
        form=add_form if can_manage else None,
        removing=removing,
        register_url=reverse("accounts:organisation_register_country"),
        # Inviting by e-mail has its own small views (partner_views.py).
        invitations=_waiting_invitations(application) if can_manage else [],
    )
    return render(request, TEMPLATES + "partners.html", context)


def _waiting_invitations(application) -> list:
    """The invitations by e-mail nobody has answered, each marked whether it has expired."""
    now = timezone.now()
    invitations = list(
        application.partner_invitations.filter(state=PartnerInvitation.State.PENDING).order_by(
            "invited_at", "pk"
        )
    )
    for invitation in invitations:
        invitation.has_expired = not invitation.is_pending(now)
    return invitations


def _partner_in(partner_list, pk):
    for partner in partner_list:
        if str(partner.pk) == str(pk):
            return partner
    raise Http404


# --- Attachments ------------------------------------------------------------------------


@_signed_in
def attachments(request, pk):
    application = _application(request, pk)
    user = request.user
    section = Section.ATTACHMENTS
    editable = services.may_edit(application, user, section)
    version = application.questionnaire_version
    file_questions = [
        q for q in (questions_of(version) if version else []) if q.kind == Question.Kind.FILE
    ]
    initial = {"question_key": request.GET.get("question", "")}
    form = AttachmentForm(file_questions=file_questions, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "upload")
        if action == "complete":
            _mark_complete(request, application, section, request.POST.get("complete") == "on")
            messages.success(request, gettext("Saved: %(section)s.") % {"section": section.label})
            return redirect(request.path)
        if action == "remove":
            attachment = get_object_or_404(
                application.attachments.filter(removed_at__isnull=True),
                pk=parse_id(request.POST.get("attachment")) or 0,
            )
            services.remove_attachment(attachment, by=user)
            messages.success(
                request, gettext("Removed the attachment %(name)s.") % {"name": attachment.name}
            )
            return redirect(request.path)
        form = AttachmentForm(request.POST, request.FILES, file_questions=file_questions)
        if form.is_valid():
            try:
                attachment = services.add_attachment(
                    application,
                    form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    question_key=form.cleaned_data.get("question_key") or "",
                    by=user,
                )
            except services.ApplicationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, gettext("Attached %(name)s.") % {"name": attachment.name})
                return redirect(request.path)
    question_labels = {q.key: q.label for q in file_questions}
    attachment_list = [
        {"attachment": attachment, "question": question_labels.get(attachment.question_key, "")}
        for attachment in application.attachments.filter(removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    ]
    context = _page_context(request, application, section, str(section.label), editable)
    context.update(
        form=form if editable else None,
        attachments=attachment_list,
    )
    return render(request, TEMPLATES + "attachments.html", context)

"""The doors of an application's life: start, save a section, build the consortium, attach,
submit, request completion, withdraw, admit late, screen, invite to the full phase.

Each door checks who acts and whether the transition is allowed, changes state, writes the
audit event and queues the notices in one transaction. The server's clock decides deadlines:
``now`` defaults to the current instant; the submit view passes the instant its request was
received (middleware.ReceivedAtMiddleware), never a time the client sent.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from regionet.accounts.models import Membership, Organisation, normalise_email
from regionet.accounts.services import register_organisation, user_emails
from regionet.accounts.verification import unverified_message
from regionet.audit.services import record
from regionet.places.models import Municipality
from regionet.programmes import deadlines
from regionet.programmes.models import Instrument, Phase
from regionet.questionnaires.answers import validate_answers
from regionet.questionnaires.models import Question
from regionet.questionnaires.services import version_for
from regionet.texts import text_problems

from . import budget as budget_math
from . import limits, notices
from .eligibility import application_checks, sections_opened_together
from .models import (
    TRANSITIONS,
    Application,
    ApplicationState,
    Attachment,
    BudgetRow,
    CompletionRequest,
    CostCategory,
    FullPhaseInvitation,
    IncomeRow,
    LateAdmission,
    Partner,
    PartnerInvitation,
    PreparedSubmission,
    RecordSequence,
    RefusedSave,
    Screening,
    Section,
    Submission,
)
from .rules import forget_memberships, member_organisation_ids
from .snapshot import SCHEMA as SNAPSHOT_SCHEMA
from .snapshot import content_hash, draft_content, received
from .submit_read import read_for_submit


class ApplicationError(Exception):
    """A refused action, with reasons in the user's language (``messages``)."""

    code = "refused"

    def __init__(self, *messages):
        self.messages = [str(message) for message in messages]
        super().__init__("; ".join(self.messages))


class NotAllowed(ApplicationError):
    code = "not_allowed"


class LateSubmission(ApplicationError):
    code = "late"


class NotEligible(ApplicationError):
    code = "not_eligible"


class DraftChanged(ApplicationError):
    code = "changed"


class StaleSave(ApplicationError):
    """The section changed since the editor loaded it; their text is kept in ``refused``."""

    code = "stale"

    def __init__(self, current_version: int, refused: RefusedSave):
        self.current_version = current_version
        self.refused = refused
        super().__init__(
            gettext(
                "Someone else saved this part of the application after you opened it. "
                "Your text was not saved over theirs: it is kept below so you can copy "
                "what you need."
            )
        )


def _now(now):
    return now or timezone.now()


def _check_transition(application: Application, target: str):
    if target not in TRANSITIONS[ApplicationState(application.state)]:
        raise ApplicationError(
            gettext("An application that is %(state)s cannot become %(target)s.")
            % {
                "state": application.get_state_display(),
                "target": ApplicationState(target).label,
            }
        )


def _locked(application: Application) -> Application:
    """The application's row, locked for the rest of the transaction (fresh from the database)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "phase__call__programme",
            "instrument",
            "coordinator__country",
            "theme",
            "zone",
            "questionnaire_version__questionnaire",
        )
        .get(pk=application.pk)
    )


def _member_organisations(user) -> frozenset[int]:
    # The same per-request memo the permission rules use: one query per user and request.
    return member_organisation_ids(user)


def _coordinators_only() -> NotAllowed:
    return NotAllowed(gettext("Only the coordinator's members can do this."))


def _require_coordinator(application, by):
    if application.coordinator_id not in _member_organisations(by):
        raise _coordinators_only()


def _require_officer(application, by):
    if not by.has_perm("applications.handle_call", application.phase):
        raise NotAllowed(gettext("Only the programme's officers can do this."))


# --- Starting ---------------------------------------------------------------------------


def start_problems(phase: Phase, instrument, coordinator: Organisation, by, now=None) -> list:
    """Why ``by`` cannot start an application of ``coordinator`` here; empty when they can."""
    now = _now(now)
    problems = []
    if not by.has_perm("accounts.act_for_organisations"):
        problems.append(unverified_message())
    if coordinator.pk not in _member_organisations(by):
        problems.append(gettext("You are not a member of this organisation."))
    if coordinator.is_funder:
        problems.append(gettext("A funder cannot apply to a call."))
    if instrument.call_id != phase.call_id:
        problems.append(gettext("The instrument belongs to another call."))
    if not (phase.call.is_published and phase.call.programme.is_published):
        problems.append(gettext("The call is not published."))
    if not phase.is_open(now):
        problems.append(gettext("The phase is not open for applications."))
    if phase.requires_invitation and invited_idea(phase, instrument, coordinator) is None:
        problems.append(
            gettext("Only consortia invited after the idea phase can apply in this phase.")
        )
    return problems


def invited_idea(phase: Phase, instrument, coordinator: Organisation) -> Application | None:
    """The coordinator's idea application for ``instrument`` invited to ``phase``, if any."""
    invitation = (
        FullPhaseInvitation.objects.filter(
            phase=phase, idea__coordinator=coordinator, idea__instrument=instrument
        )
        .select_related("idea")
        .first()
    )
    return invitation.idea if invitation else None


@transaction.atomic
def start_application(*, phase, instrument, coordinator, by, language, now=None) -> Application:
    """A new draft; in an invitation-only phase it starts from the invited idea application."""
    now = _now(now)
    problems = start_problems(phase, instrument, coordinator, by, now)
    if problems:
        raise NotAllowed(*problems)
    idea = invited_idea(phase, instrument, coordinator) if phase.requires_invitation else None
    if idea is None:
        idea = (
            Application.objects.filter(
                phase__call=phase.call,
                phase__kind=Phase.Kind.IDEA,
                coordinator=coordinator,
                instrument=instrument,
                first_submitted_at__isnull=False,
            )
            .exclude(state=ApplicationState.WITHDRAWN)
            .exclude(phase=phase)
            .first()
        )
    application = Application.objects.create(
        phase=phase,
        instrument=instrument,
        coordinator=coordinator,
        created_by=by,
        created_at=now,
        updated_at=now,
        language=language,
        questionnaire_version=version_for(phase, instrument),
    )
    if idea is not None:
        _prefill_from(application, idea)
    record(by, "application.started", application, phase=phase.pk, idea=idea and idea.pk)
    return application


def _prefill_from(application: Application, idea: Application):
    """Copy the idea's consortium, basics, budget and the answers whose keys still exist."""
    application.title = idea.title
    application.summary = idea.summary
    application.theme_id = idea.theme_id
    application.zone_id = idea.zone_id
    application.aid_requested = idea.aid_requested
    application.own_financing = idea.own_financing
    application.other_public_funding = idea.other_public_funding
    version = application.questionnaire_version
    if version is not None:
        keys = set(Question.objects.filter(version=version).values_list("key", flat=True))
        application.answers = {k: v for k, v in idea.answers.items() if k in keys}
    application.idea = idea
    application.save()
    application.municipalities.set(idea.municipalities.all())
    # Partners confirm the full application again; questionnaire sections are new ones.
    fixed = set(Section.values)
    partners = Partner.objects.bulk_create(
        Partner(
            application=application,
            organisation_id=partner.organisation_id,
            role=partner.role,
            tasks=partner.tasks,
            editable_sections=[code for code in partner.editable_sections if code in fixed],
        )
        for partner in idea.partners.all()
    )
    for partner in partners:
        notices.partner_invited(partner)
    BudgetRow.objects.bulk_create(
        BudgetRow(application=application, year=r.year, category=r.category, amount=r.amount)
        for r in idea.budget_rows.all()
    )
    IncomeRow.objects.bulk_create(
        IncomeRow(application=application, year=r.year, description=r.description, amount=r.amount)
        for r in idea.income_rows.all()
    )


# --- Editing ----------------------------------------------------------------------------


def editable_sections(application: Application, user, now=None) -> set[str] | None:
    """The sections ``user`` may edit now: None means every section, an empty set none."""
    if not application.is_editable:
        return set()
    organisations = _member_organisations(user)
    if application.coordinator_id in organisations:
        allowed = None
    else:
        allowed = set()
        for partner in application.partners.all():
            if partner.organisation_id in organisations and partner.is_confirmed:
                allowed |= set(partner.editable_sections)
    if application.state == ApplicationState.COMPLETION_REQUESTED:
        request = completion_request_in_time(application, _now(now))
        if request is None:
            return set()
        requested = set(request.items)
        allowed = requested if allowed is None else allowed & requested
    return allowed


def section_codes(application: Application) -> list[str]:
    """Every section of the application: the fixed ones and one per questionnaire section."""
    codes = list(Section.values)
    if application.questionnaire_version_id is not None:
        codes += [
            f"answers:{pk}"
            for pk in application.questionnaire_version.sections.values_list("pk", flat=True)
        ]
    return codes


def may_edit(application: Application, user, section: str, now=None) -> bool:
    allowed = editable_sections(application, user, now)
    return allowed is None or section in allowed


def open_completion_request(application: Application) -> CompletionRequest | None:
    return application.completion_requests.filter(answered_at__isnull=True).first()


def completion_request_in_time(application: Application, now) -> CompletionRequest | None:
    """The open completion request if ``now`` is within its deadline (the deadline helper
    decides), else None: what editing, the consortium and submitting all ask."""
    request = open_completion_request(application)
    if request is None or not deadlines.is_in_time(request.closes_at, now):
        return None
    return request


@dataclass(frozen=True)
class SavedSection:
    section: str
    version: int
    saved_at: object


# Amounts are stored with 14 digits, two of them decimals.
MAX_AMOUNT = Decimal(10) ** 12


def _decimal(value, label) -> Decimal:
    try:
        amount = Decimal(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            gettext("%(label)s: enter an amount in euros, e.g. 1250,50.") % {"label": label}
        ) from None
    if (
        not amount.is_finite()
        or amount < 0
        or amount >= MAX_AMOUNT
        or amount != amount.quantize(budget_math.CENT)
    ):
        raise ApplicationError(
            gettext("%(label)s: enter a positive amount with at most two decimals.")
            % {"label": label}
        )
    return amount


def _text(value, *, limit: int, label, single_line: bool = False) -> str:
    """``value`` stripped, if it fits ``limit`` (and, on a single line, has no direction
    controls); otherwise refused naming ``label``. Every text a door stores passes here."""
    value = "" if value is None else value
    problems = text_problems(value, limit=limit, label=str(label), single_line=single_line)
    if problems:
        raise ApplicationError(*problems)
    return value.strip()


def _apply_basics(application, data):
    application.title = _text(
        data.get("title", ""), limit=limits.TITLE, label=gettext("Title"), single_line=True
    )
    application.summary = _text(
        data.get("summary", ""), limit=limits.SUMMARY, label=pgettext("application", "Summary")
    )
    application.theme_id = data.get("theme") or None
    application.zone_id = data.get("zone") or None
    kind = application.instrument.kind
    if application.zone_id and kind == Instrument.Kind.THEMATIC_NETWORK:
        raise ApplicationError(gettext("A thematic network has a theme, not a zone."))
    if application.theme_id and kind == Instrument.Kind.DEVELOPMENT_ZONE:
        raise ApplicationError(gettext("A development zone has a zone, not a theme."))
    if (
        application.theme_id
        and not application.phase.call.programme.themes.filter(pk=application.theme_id).exists()
    ):
        raise ApplicationError(gettext("Choose a theme of this programme."))
    if (
        application.zone_id
        and not application.phase.call.programme.zones.filter(pk=application.zone_id).exists()
    ):
        raise ApplicationError(gettext("Choose a zone of this programme."))
    application.save(update_fields=["title", "summary", "theme", "zone"])


def facts_year(application: Application) -> int:
    """The year whose municipal division counts for ``application`` (``Phase.closing_year``)."""
    return application.phase.closing_year()


def _apply_municipalities(application, data):
    ids = sorted({int(pk) for pk in data.get("municipalities", [])})
    year = facts_year(application)
    municipalities = Municipality.objects.valid_in(year).filter(pk__in=ids)
    countries = list(application.instrument.countries.values_list("pk", flat=True))
    if countries:
        municipalities = municipalities.filter(country__in=countries)
    valid = set(municipalities.values_list("pk", flat=True))
    if any(pk not in valid for pk in ids):
        raise ApplicationError(
            gettext(
                "Some municipalities did not exist in %(year)d or are outside the call's countries."
            )
            % {"year": year}
        )
    application.municipalities.set(ids)


def _apply_budget(application, data):
    programme = application.phase.call.programme
    years = set(programme.years)
    rows = {}
    for (year, category), value in data.get("costs", {}).items():
        year = int(year)
        if year not in years:
            raise ApplicationError(
                gettext("The budget can cover only the years %(first)d–%(last)d.")
                % {"first": programme.first_year, "last": programme.last_year}
            )
        if category not in budget_math.ENTERED_CATEGORIES:
            raise ApplicationError(gettext("Unknown cost category."))
        amount = _decimal(value, CostCategory(category).label)
        if amount:
            rows[(year, category)] = amount
    for year in years:
        personnel = rows.get((year, CostCategory.PERSONNEL), budget_math.ZERO)
        indirect = budget_math.indirect_costs(personnel, programme.indirect_cost_percent)
        if indirect:
            rows[(year, CostCategory.INDIRECT)] = indirect
    income = []
    if len(data.get("income", [])) > limits.INCOME_ROWS:
        raise ApplicationError(
            ngettext(
                "A budget has at most %(count)d income row.",
                "A budget has at most %(count)d income rows.",
                limits.INCOME_ROWS,
            )
            % {"count": limits.INCOME_ROWS}
        )
    for row in data.get("income", []):
        year = int(row["year"])
        if year not in years:
            raise ApplicationError(
                gettext("The budget can cover only the years %(first)d–%(last)d.")
                % {"first": programme.first_year, "last": programme.last_year}
            )
        description = _text(
            str(row.get("description", "")),
            limit=limits.INCOME_DESCRIPTION,
            label=gettext("Description of income"),
            single_line=True,
        )
        if not description:
            raise ApplicationError(gettext("Describe each income row."))
        income.append(
            IncomeRow(
                application=application,
                year=year,
                description=description,
                amount=_decimal(row["amount"], gettext("Income")),
            )
        )
    application.budget_rows.all().delete()
    BudgetRow.objects.bulk_create(
        BudgetRow(application=application, year=year, category=category, amount=amount)
        for (year, category), amount in sorted(rows.items())
    )
    application.income_rows.all().delete()
    IncomeRow.objects.bulk_create(income)


def _apply_financing(application, data):
    application.aid_requested = _decimal(data.get("aid_requested", 0), gettext("Aid requested"))
    application.own_financing = _decimal(data.get("own_financing", 0), gettext("Own financing"))
    application.other_public_funding = _decimal(
        data.get("other_public_funding", 0), gettext("Other public funding")
    )
    application.save(update_fields=["aid_requested", "own_financing", "other_public_funding"])


def _file_question_keys(application) -> set[str]:
    version = application.questionnaire_version
    if version is None:
        return set()
    return set(
        Question.objects.filter(
            version=version, kind=Question.Kind.FILE, table__isnull=True
        ).values_list("key", flat=True)
    )


def _apply_answers(application, section_id, data):
    version = application.questionnaire_version
    if version is None:
        raise ApplicationError(gettext("This application has no questionnaire."))
    kinds = dict(
        Question.objects.filter(
            version=version, section_id=section_id, table__isnull=True
        ).values_list("key", "kind")
    )
    if not kinds:
        raise ApplicationError(gettext("No such part in the questionnaire."))
    # File questions are answered by uploading on the attachments page, not by this form.
    keys = {key for key, kind in kinds.items() if kind != Question.Kind.FILE}
    if set(data) - set(kinds):
        raise ApplicationError(gettext("This question is not in the questionnaire."))
    data = {key: value for key, value in data.items() if key in keys}
    # A draft keeps half-finished answers, but none longer than its limit.
    problems = validate_answers(version, data, partial=True)
    if problems:
        raise ApplicationError(*(message for messages in problems.values() for message in messages))
    answers = {k: v for k, v in application.answers.items() if k not in keys}
    answers.update({k: v for k, v in data.items() if v not in (None, "", [])})
    application.answers = answers
    application.save(update_fields=["answers"])


def save_section(application, section: str, data: dict, *, base_version: int, by, now=None):
    """Save one section of a draft if nobody saved it since ``base_version``.

    ``data`` is the section's cleaned input: basics {title, summary, theme, zone};
    municipalities {municipalities: [ids]}; budget {costs: {(year, category): amount},
    income: [{year, description, amount}]}; financing {aid_requested, own_financing,
    other_public_funding}; ``answers:<section id>`` {question key: answer}. A stale save is
    refused with ``StaleSave`` and its data kept in a ``RefusedSave`` (in its own
    transaction, so it survives the refusal).
    """
    now = _now(now)
    with transaction.atomic():
        application = _locked(application)
        if not may_edit(application, by, section, now):
            raise NotAllowed(gettext("You cannot edit this part of the application now."))
        current = application.section_version(section)
        if current != base_version:
            stale = True
        else:
            stale = False
            if section == Section.BASICS:
                _apply_basics(application, data)
            elif section == Section.MUNICIPALITIES:
                _apply_municipalities(application, data)
            elif section == Section.BUDGET:
                _apply_budget(application, data)
            elif section == Section.FINANCING:
                _apply_financing(application, data)
            elif section.startswith("answers:"):
                _apply_answers(application, int(section.split(":", 1)[1]), data)
            else:
                raise ApplicationError(gettext("No such part in the application."))
            version = _bump(application, section, now)
            record(by, "application.section_saved", application, section=section, version=version)
    if stale:
        refused = RefusedSave.objects.create(
            application=application,
            section=section,
            user=by,
            based_on_version=base_version,
            data=_json_ready(data),
        )
        raise StaleSave(current, refused)
    return SavedSection(section, version, now)


def _json_ready(data):
    if isinstance(data, dict):
        return {
            ("/".join(map(str, k)) if isinstance(k, tuple) else str(k)): _json_ready(v)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [_json_ready(v) for v in data]
    if isinstance(data, Decimal):
        return str(data)
    return data


def _bump(application: Application, section: str, now) -> int:
    """Next version of ``section``; the application's row is locked by the caller."""
    versions = dict(application.section_versions)
    versions[section] = versions.get(section, 0) + 1
    application.section_versions = versions
    application.updated_at = now
    application.save(update_fields=["section_versions", "updated_at"])
    return versions[section]


@transaction.atomic
def mark_section_complete(application, section: str, complete: bool, *, by, now=None) -> None:
    application = _locked(application)
    if not may_edit(application, by, section, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    completed = dict(application.completed_sections)
    if complete:
        completed[section] = True
    else:
        completed.pop(section, None)
    application.completed_sections = completed
    application.save(update_fields=["completed_sections"])
    record(by, "application.section_completed", application, section=section, complete=complete)


# --- Consortium -------------------------------------------------------------------------


@transaction.atomic
def add_partner(application, organisation, *, role, tasks="", editable=(), by, now=None):
    now = _now(now)
    application = _locked(application)
    _require_coordinator(application, by)
    if not may_edit(application, by, Section.PARTNERS, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    partner = _join_consortium(
        application, organisation, role=role, tasks=tasks, editable=editable, now=now
    )
    record(by, "application.partner_added", application, organisation=organisation.pk)
    notices.partner_invited(partner)
    return partner


def _join_consortium(application, organisation, *, role, tasks, editable, now) -> Partner:
    """``organisation`` becomes an unconfirmed partner of ``application`` (locked by the
    caller) on these terms: the one way in, for a partner the coordinator adds and for one
    answering an invitation, so both hold the same rules."""
    if organisation.pk == application.coordinator_id:
        raise ApplicationError(gettext("The coordinator is not its own partner."))
    if organisation.is_funder:
        raise ApplicationError(gettext("A funder cannot be a partner."))
    if application.partners.filter(organisation=organisation).exists():
        raise ApplicationError(gettext("This organisation is already a partner."))
    if role not in Partner.Role.values:
        raise ApplicationError(gettext("Choose the role of the partner."))
    partner = Partner.objects.create(
        application=application,
        organisation=organisation,
        role=role,
        tasks=_text(tasks, limit=limits.PARTNER_TASKS, label=gettext("Tasks in the project")),
        editable_sections=sorted(set(editable) & set(section_codes(application))),
        added_at=now,
    )
    _bump(application, Section.PARTNERS, now)
    return partner


@transaction.atomic
def remove_partner(partner: Partner, *, by, now=None):
    application = _locked(partner.application)
    _require_coordinator(application, by)
    if not may_edit(application, by, Section.PARTNERS, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    organisation_id = partner.organisation_id
    partner.delete()
    _bump(application, Section.PARTNERS, _now(now))
    record(by, "application.partner_removed", application, organisation=organisation_id)


@transaction.atomic
def confirm_partnership(partner: Partner, *, commitment: str, by, now=None) -> Partner:
    """The partner's own member confirms participation with a letter of commitment."""
    now = _now(now)
    application = _locked(partner.application)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.organisation_id not in _member_organisations(by):
        raise NotAllowed(gettext("Only the partner organisation's own members can confirm."))
    if not application.is_editable:
        raise ApplicationError(gettext("The application can no longer be changed."))
    if partner.is_confirmed:
        return partner
    if refusal := _consortium_closed_to_additions(application, now):
        raise ApplicationError(refusal)
    commitment = _text(
        commitment, limit=limits.LETTER_OF_COMMITMENT, label=gettext("Letter of commitment")
    )
    if not commitment:
        raise ApplicationError(gettext("Write the letter of commitment."))
    partner.confirmed_at = now
    partner.confirmed_by = by
    partner.commitment = commitment
    partner.save(update_fields=["confirmed_at", "confirmed_by", "commitment"])
    _bump(application, Section.PARTNERS, now)
    record(by, "application.partner_confirmed", application, organisation=partner.organisation_id)
    notices.partner_confirmed(partner)
    return partner


@transaction.atomic
def set_partner_sections(partner: Partner, sections, *, by, now=None) -> Partner:
    application = _locked(partner.application)
    _require_coordinator(application, by)
    if not may_edit(application, by, Section.PARTNERS, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    partner.editable_sections = sorted(set(sections) & set(section_codes(application)))
    partner.save(update_fields=["editable_sections"])
    _bump(application, Section.PARTNERS, _now(now))
    record(by, "application.partner_sections", application, sections=partner.editable_sections)
    return partner


# --- Inviting a partner by e-mail ---------------------------------------------------------

# How long the contact person has to answer (the application's deadline may come first).
PARTNER_INVITATION_VALIDITY = timedelta(days=30)
ORGANISATION_NAME_LIMIT = PartnerInvitation._meta.get_field("organisation_name").max_length


@transaction.atomic
def invite_partner_by_email(
    application,
    *,
    organisation_name,
    email,
    country,
    business_id="",
    role=Partner.Role.PARTNER,
    tasks="",
    editable=(),
    by,
    now=None,
) -> PartnerInvitation:
    """Invite an organisation that need not be registered in Regionet yet: its contact person
    gets an e-mail with the invitation's link (``notices.partner_invitation``).

    ``business_id`` is in its country's standard form (the form normalises it) or empty; an
    organisation already registered with it is added by its business ID instead.
    """
    now = _now(now)
    application = _locked(application)
    _require_coordinator(application, by)
    if not may_edit(application, by, Section.PARTNERS, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    name = _text(
        organisation_name,
        limit=ORGANISATION_NAME_LIMIT,
        label=gettext("Name of the organisation"),
        single_line=True,
    )
    if not name:
        raise ApplicationError(gettext("Give the name of the organisation."))
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(
            gettext("Give the e-mail address of the organisation's contact person.")
        ) from None
    if role not in Partner.Role.values:
        raise ApplicationError(gettext("Choose the role of the partner."))
    if business_id:
        registered = Organisation.objects.filter(country=country, business_id=business_id).first()
        if registered is not None:
            raise ApplicationError(
                gettext(
                    "%(organisation)s is already registered in Regionet with the business ID "
                    "%(business_id)s: add it as a partner by its business ID."
                )
                % {"organisation": registered, "business_id": business_id}
            )
    if any(
        invitation.is_pending(now)
        for invitation in application.partner_invitations.filter(email=email)
    ):
        raise ApplicationError(
            gettext(
                "%(email)s has already been invited to this application. Withdraw that "
                "invitation first if you want to send a new one."
            )
            % {"email": email}
        )
    invitation = PartnerInvitation.objects.create(
        application=application,
        organisation_name=name,
        country=country,
        business_id=business_id,
        email=email,
        role=role,
        tasks=_text(tasks, limit=limits.PARTNER_TASKS, label=gettext("Tasks in the project")),
        editable_sections=sorted(set(editable) & set(section_codes(application))),
        invited_by=by,
        invited_at=now,
        expires_at=now + PARTNER_INVITATION_VALIDITY,
    )
    record(
        by,
        "application.partner_invited_by_email",
        application,
        invitation=invitation.pk,
        organisation_name=name,
        business_id=business_id,
        email=email,
    )
    notices.partner_invitation(invitation)
    return invitation


@transaction.atomic
def withdraw_partner_invitation(invitation: PartnerInvitation, *, by, now=None):
    """The coordinator takes back an invitation nobody has answered yet."""
    now = _now(now)
    application = _locked(invitation.application)
    _require_coordinator(application, by)
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != PartnerInvitation.State.PENDING:
        raise ApplicationError(gettext("The invitation has already been answered or withdrawn."))
    invitation.state = PartnerInvitation.State.WITHDRAWN
    invitation.answered_at = now
    invitation.answered_by = by
    invitation.save(update_fields=["state", "answered_at", "answered_by"])
    record(
        by,
        "application.partner_invitation_withdrawn",
        application,
        invitation=invitation.pk,
        email=invitation.email,
    )
    return invitation


def partner_invitation_problems(invitation: PartnerInvitation, user, now=None) -> list[str]:
    """Why ``user`` cannot answer ``invitation`` now (empty when they can): it must be
    pending, addressed to one of their verified addresses, and its application open to a new
    partner."""
    now = _now(now)
    if invitation.state == PartnerInvitation.State.ACCEPTED:
        return [gettext("This invitation has already been answered.")]
    if invitation.state == PartnerInvitation.State.WITHDRAWN:
        return [gettext("The coordinator has withdrawn this invitation.")]
    if not invitation.is_pending(now):
        return [gettext("This invitation has expired. Ask the coordinator for a new one.")]
    if normalise_email(invitation.email) not in user_emails(user):
        return [
            gettext(
                "This invitation was sent to %(email)s. Sign in with that address, verified, "
                "to answer it."
            )
            % {"email": invitation.email}
        ]
    if not user.has_perm("accounts.act_for_organisations"):
        return [unverified_message()]
    application = invitation.application
    if not application.is_editable:
        return [gettext("The application can no longer be changed.")]
    if refusal := _consortium_closed_to_additions(application, now):
        return [refusal]
    return []


def _consortium_closed_to_additions(application: Application, now) -> str:
    """During a completion request, the consortium changes only while it is among the requested
    parts and the request's own deadline has not passed (empty when it may change)."""
    if application.state != ApplicationState.COMPLETION_REQUESTED:
        return ""
    request = completion_request_in_time(application, now)
    if request is None:
        return gettext("The time for the requested additions has ended.")
    if Section.PARTNERS not in request.items:
        return gettext("The consortium is not among the requested additions.")
    return ""


def invited_organisation(invitation: PartnerInvitation) -> Organisation | None:
    """The registered organisation with the invitation's business ID, if there is one."""
    if not invitation.business_id:
        return None
    return Organisation.objects.filter(
        country_id=invitation.country_id, business_id=invitation.business_id
    ).first()


def organisations_to_join_with(invitation: PartnerInvitation, user) -> list[Organisation]:
    """The organisations ``user`` may answer ``invitation`` with: theirs, not the coordinator,
    not a funder, not yet in the consortium; only the one with the invitation's business ID
    when the coordinator gave one."""
    application = invitation.application
    organisations = (
        Organisation.objects.filter(memberships__user=user, is_funder=False)
        .exclude(pk=application.coordinator_id)
        .exclude(partnerships__application=application)
        .order_by("name", "pk")
    )
    if invitation.business_id:
        organisations = organisations.filter(
            country_id=invitation.country_id, business_id=invitation.business_id
        )
    return list(organisations)


@transaction.atomic
def accept_partner_invitation(
    invitation: PartnerInvitation, organisation: Organisation, *, by, now=None
) -> Partner:
    """The invited contact person brings ``organisation`` (one of theirs) into the consortium
    on the terms the coordinator set; its participation is then confirmed as any partner's."""
    now = _now(now)
    application, invitation = _answerable(invitation, by, now)
    return _accept(application, invitation, organisation, by=by, now=now)


def _answerable(invitation: PartnerInvitation, by, now) -> tuple[Application, PartnerInvitation]:
    """The invitation's application and the invitation, locked in that order (the order of
    every door of an invitation, so two of them never wait for each other), if ``by`` may
    answer it now; refused with the reasons otherwise."""
    application = _locked(invitation.application)
    invitation = (
        PartnerInvitation.objects.select_for_update(of=("self",))
        .select_related("country")
        .get(pk=invitation.pk)
    )
    invitation.application = application
    if problems := partner_invitation_problems(invitation, by, now):
        raise NotAllowed(*problems)
    return application, invitation


def _accept(
    application: Application, invitation: PartnerInvitation, organisation, *, by, now
) -> Partner:
    """``organisation`` joins on the invitation's terms (both rows locked by ``_answerable``)."""
    # Asked of the database, not of the request's memo: the organisation may be one the
    # caller registered in this transaction.
    if not Membership.objects.filter(user=by, organisation=organisation).exists():
        raise NotAllowed(
            gettext("You are not a member of %(organisation)s.") % {"organisation": organisation}
        )
    if invitation.business_id and (organisation.country_id, organisation.business_id) != (
        invitation.country_id,
        invitation.business_id,
    ):
        raise ApplicationError(
            gettext("The coordinator invited the organisation with the business ID %(id)s.")
            % {"id": invitation.business_id}
        )
    partner = _join_consortium(
        application,
        organisation,
        role=invitation.role,
        tasks=invitation.tasks,
        editable=invitation.editable_sections,
        now=now,
    )
    invitation.state = PartnerInvitation.State.ACCEPTED
    invitation.answered_at = now
    invitation.answered_by = by
    invitation.partner = partner
    invitation.save(update_fields=["state", "answered_at", "answered_by", "partner"])
    record(
        by,
        "application.partner_invitation_accepted",
        application,
        invitation=invitation.pk,
        organisation=organisation.pk,
    )
    forget_memberships(by)
    return partner


def join_with_new_organisation(invitation: PartnerInvitation, *, by, now=None, **registration):
    """Register the invited organisation through the accounts door (``by`` becomes its
    administrator) and bring it into the consortium, in one transaction: when either is
    refused, nothing is registered. ``registration`` holds ``register_organisation``'s
    arguments; a ``ValidationError`` from it is keyed by the registration form's fields."""
    now = _now(now)
    with transaction.atomic():
        application, invitation = _answerable(invitation, by, now)
        organisation = register_organisation(by=by, **registration)
        return _accept(application, invitation, organisation, by=by, now=now)


# --- Attachments ------------------------------------------------------------------------


@transaction.atomic
def add_attachment(application, uploaded, *, description="", question_key="", by, now=None):
    """Store a checked upload (``uploaded.checked`` from uploads.AttachmentField)."""
    now = _now(now)
    application = _locked(application)
    if not may_edit(application, by, Section.ATTACHMENTS, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    if question_key and question_key not in _file_question_keys(application):
        raise ApplicationError(gettext("This question is not in the questionnaire."))
    checked = uploaded.checked
    attachment = Attachment(
        application=application,
        name=checked.safe_name,
        description=_text(
            description,
            limit=limits.ATTACHMENT_DESCRIPTION,
            label=gettext("Description"),
            single_line=True,
        ),
        question_key=question_key,
        kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=now,
    )
    attachment.file.save(checked.safe_name, uploaded, save=False)
    attachment.save()
    if question_key:
        # A file question's answer is the attachment's id (questionnaires.answers accepts it).
        application.answers = {**application.answers, question_key: attachment.pk}
        application.save(update_fields=["answers"])
    _bump(application, Section.ATTACHMENTS, now)
    record(by, "application.attachment_added", application, attachment=attachment.pk)
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by, now=None):
    now = _now(now)
    application = _locked(attachment.application)
    if not may_edit(application, by, Section.ATTACHMENTS, now):
        raise NotAllowed(gettext("You cannot edit this part of the application now."))
    key = attachment.question_key
    if key and application.answers.get(key) == attachment.pk:
        application.answers = {k: v for k, v in application.answers.items() if k != key}
        application.save(update_fields=["answers"])
    in_snapshot = application.submissions.exists()
    if in_snapshot:
        # Submitted files stay for the registry; the draft no longer lists it.
        Attachment.objects.filter(pk=attachment.pk).update(removed_at=now)
    else:
        attachment.file.delete(save=False)
        attachment.delete()
    _bump(application, Section.ATTACHMENTS, now)
    record(by, "application.attachment_removed", application, attachment=attachment.pk)


# --- Submitting -------------------------------------------------------------------------


def draft_fingerprint(application: Application) -> str:
    """Identifies the draft as saved: equal fingerprints mean nothing changed in between."""
    payload = json.dumps(application.section_versions, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _admission_at(application: Application, now) -> LateAdmission | None:
    """Whether the application may be received at ``now``: None when in time, the officer's
    late admission that lets it in, or ``LateSubmission`` (the deadline helper decides)."""
    if application.state == ApplicationState.COMPLETION_REQUESTED:
        if completion_request_in_time(application, now) is not None:
            return None
        raise LateSubmission(gettext("The deadline of the completion request has passed."))
    if application.phase.is_in_time(now):
        return None
    for admission in application.late_admissions.filter(used_at__isnull=True).order_by(
        "-granted_at"
    ):
        if deadlines.is_in_time(admission.valid_until, now):
            return admission
    raise LateSubmission(
        gettext(
            "The application period has closed. The application was not submitted; your "
            "draft is kept. If you could not submit in time for a reason beyond your "
            "control, contact the programme's officers."
        )
    )


def next_record_number(programme, year: int) -> str:
    """Take the next number of the programme's funder in ``year`` (caller's transaction).

    One ``UPDATE … RETURNING`` increments the counter row and locks it until commit, so
    concurrent submissions wait for each other here and a rolled-back one gives its number
    back: numbers stay unique and gap-free. The first number of a year creates the row
    (``INSERT … ON CONFLICT DO NOTHING``, then the update again).
    """
    sql = (
        'UPDATE "applications_recordsequence" SET last_number = last_number + 1 '
        "WHERE funder_id = %s AND year = %s RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme.funder_id, year])
        row = cursor.fetchone()
        if row is None:
            RecordSequence.objects.bulk_create(
                [RecordSequence(funder_id=programme.funder_id, year=year)], ignore_conflicts=True
            )
            cursor.execute(sql, [programme.funder_id, year])
            row = cursor.fetchone()
    return programme.record_number_format.format(number=row[0], year=year)


def prepare_submission(application: Application, *, now=None) -> PreparedSubmission | None:
    """Build and keep the content a submission of the draft would freeze (the check page
    calls this), so that the submit post at the deadline only has to verify and write.

    Reads under the draft's row lock, so the content and the fingerprint it is filed under
    belong together. Returns None, keeping nothing new, when the draft is not one that can be
    submitted (not editable, or a check that blocks submission fails).
    """
    with transaction.atomic():
        application = _locked(application)
        if not application.is_editable:
            return None
        application = _with_contents(application)
        checks = application_checks(application)
        if _blocking(checks):
            return None
        prepared = PreparedSubmission(
            application=application,
            fingerprint=draft_fingerprint(application),
            content=draft_content(application, checks=checks),
            prepared_at=_now(now),
        )
        PreparedSubmission.objects.bulk_create(
            [prepared],
            update_conflicts=True,
            unique_fields=["application"],
            update_fields=["fingerprint", "content", "prepared_at"],
        )
    return prepared


def _blocking(checks) -> list[str]:
    return [check.message for check in checks if check.blocking and not check.passed]


def _prepared_content(
    application: Application, prepared: PreparedSubmission | None, fingerprint: str
) -> dict | None:
    """``prepared``'s content if it was prepared for the draft as it stands (see
    ``prepare_submission``), else None.

    The fingerprint covers the draft. The call's rules, texts and deadlines (the instrument's
    eligibility rules, the programme's caps) change only while the call or programme is
    unpublished, and publishing again stamps a new ``published_at``: content prepared before
    the latest publication is not used, nor content of another snapshot schema.
    """
    if prepared is None:
        return None
    call = application.phase.call
    published = (call.published_at, call.programme.published_at)
    if (
        prepared.fingerprint != fingerprint
        or prepared.content.get("schema") != SNAPSHOT_SCHEMA
        or any(at is None or at > prepared.prepared_at for at in published)
    ):
        return None
    return prepared.content


def _listed_facts(content: dict, application: Application) -> dict:
    """The columns of a submission that the officers' lists filter, sort and search by, from
    its content (the theme and zone by the draft's, which the content names by code)."""
    return {
        "title": content["title"],
        "summary": content["summary"],
        "aid_requested": Decimal(content["financing"]["aid_requested"]),
        "theme_id": application.theme_id,
        "zone_id": application.zone_id,
    }


def submit_application(
    application: Application, *, by, now=None, expected_fingerprint: str | None = None
) -> Submission:
    """Receive the application into the registry; returns its ``Submission`` (the receipt).

    A retry of an accepted submission with nothing changed in between returns the same
    submission. Refusals (late, not eligible, not allowed) raise and leave the draft as it is.
    The content is the one the check page prepared when the draft has not changed since
    (its fingerprint is the same); otherwise it is read and checked here.
    """
    # The server's clock when the request arrived: waiting for the row lock is not lateness.
    received_at = _now(now)
    with transaction.atomic():
        read = read_for_submit(application.pk, by)
        if not read.by_coordinator_member:
            raise _coordinators_only()
        application = read.application
        fingerprint = draft_fingerprint(application)
        last = (
            application.submissions.order_by("-number").first()
            if application.first_submitted_at is not None
            else None
        )
        if (
            last is not None
            and application.state == ApplicationState.SUBMITTED
            and last.draft_fingerprint == fingerprint
        ):
            return last
        if expected_fingerprint is not None and expected_fingerprint != fingerprint:
            # Someone saved after the submitter checked the answers: they must see it first.
            raise DraftChanged(
                gettext(
                    "The application changed after you opened this page. Check the answers "
                    "below and submit again."
                )
            )
        _check_transition(application, ApplicationState.SUBMITTED)
        late_admission = _admission_at(application, received_at)
        content = _prepared_content(application, read.prepared, fingerprint)
        if content is None:
            # Everything the checks and the snapshot read, once (each list in one query).
            application = _with_contents(_locked(application))
            checks = application_checks(application)
            if blocking := _blocking(checks):
                raise NotEligible(*blocking)
            content = draft_content(application, checks=checks)
        programme = application.phase.call.programme
        completion = (
            open_completion_request(application)
            if application.state == ApplicationState.COMPLETION_REQUESTED
            else None
        )
        number = (last.number + 1) if last else 1
        # The funder's counter stays locked until commit and every submission of the funder
        # waits for it: take the number last, when only the inserts remain.
        if not application.record_number:
            year = received_at.astimezone(_zone(programme)).year
            application.record_number = next_record_number(programme, year)
        content = received(
            content,
            record_number=application.record_number,
            number=number,
            received_at=received_at,
        )
        submission = Submission.objects.create(
            application=application,
            number=number,
            record_number=application.record_number,
            received_at=received_at,
            submitted_by=by,
            draft_fingerprint=fingerprint,
            content=content,
            sha256=content_hash(content),
            late_admission=late_admission,
            completion_request=completion,
            **_listed_facts(content, application),
        )
        if content["municipalities"]:
            Submission.municipalities.through.objects.bulk_create(
                Submission.municipalities.through(
                    submission_id=submission.pk, municipality_id=municipality["id"]
                )
                for municipality in content["municipalities"]
            )
        application.state = ApplicationState.SUBMITTED
        application.first_submitted_at = application.first_submitted_at or received_at
        application.last_submission = submission
        application.save(
            update_fields=["state", "record_number", "first_submitted_at", "last_submission"]
        )
        if late_admission is not None:
            LateAdmission.objects.filter(pk=late_admission.pk).update(used_at=received_at)
        if completion is not None:
            CompletionRequest.objects.filter(pk=completion.pk).update(answered_at=received_at)
        record(
            by,
            "application.submitted",
            application,
            record_number=application.record_number,
            number=number,
            sha256=submission.sha256,
            late_admission=late_admission and late_admission.pk,
        )
        notices.receipt(submission)
    return submission


def _with_contents(application: Application) -> Application:
    """``application`` (already locked) with its consortium, municipalities, budget,
    attachments and the instrument's rules prefetched for the checks and the snapshot."""
    prefetch_related_objects(
        [application],
        Prefetch(
            "partners",
            Partner.objects.select_related("organisation__country", "confirmed_by").order_by(
                "added_at", "pk"
            ),
        ),
        Prefetch("municipalities", Municipality.objects.order_by("code")),
        Prefetch("budget_rows", BudgetRow.objects.order_by("year", "category")),
        Prefetch("income_rows", IncomeRow.objects.order_by("year", "pk")),
        Prefetch("attachments", Attachment.objects.order_by("uploaded_at", "pk")),
        "instrument__earmarks",
        "instrument__countries",
    )
    return application


def _zone(programme):
    from zoneinfo import ZoneInfo

    return ZoneInfo(programme.time_zone)


# --- Officers' actions ------------------------------------------------------------------


@transaction.atomic
def request_completion(application, *, items, closes_at, message="", by, now=None):
    now = _now(now)
    application = _locked(application)
    _require_officer(application, by)
    _check_transition(application, ApplicationState.COMPLETION_REQUESTED)
    if not items:
        raise ApplicationError(gettext("Name at least one part to complete."))
    # The sections whose checks depend on the named ones are opened with them.
    items = sections_opened_together(application, items)
    if closes_at <= now:
        raise ApplicationError(gettext("The deadline must be in the future."))
    request = CompletionRequest.objects.create(
        application=application,
        requested_by=by,
        requested_at=now,
        closes_at=closes_at,
        message=_text(
            message, limit=limits.COMPLETION_MESSAGE, label=gettext("Message to the applicant")
        ),
        items=items,
    )
    application.state = ApplicationState.COMPLETION_REQUESTED
    # The opened parts are "to complete" until the applicant marks them complete again.
    application.completed_sections = {
        code: done for code, done in application.completed_sections.items() if code not in items
    }
    application.save(update_fields=["state", "completed_sections"])
    record(by, "application.completion_requested", application, request=request.pk, items=items)
    notices.completion_requested(request)
    return request


@transaction.atomic
def close_completion_request(application, *, by, now=None) -> Application:
    """End an open completion request without a resubmission (the deadline passed or the
    officer no longer needs the additions): the application is as last submitted."""
    now = _now(now)
    application = _locked(application)
    _require_officer(application, by)
    if application.state != ApplicationState.COMPLETION_REQUESTED:
        raise ApplicationError(gettext("The application has no open completion request."))
    request = open_completion_request(application)
    CompletionRequest.objects.filter(pk=request.pk).update(answered_at=now)
    application.state = ApplicationState.SUBMITTED
    application.save(update_fields=["state"])
    record(by, "application.completion_closed", application, request=request.pk)
    return application


def late_admission_limit(phase: Phase, now: datetime) -> datetime:
    """The latest instant a late admission granted at ``now`` may run to.

    Counted from the deadline when it is granted before the phase closes (an early grant does
    not shorten it) and from the grant when after (the need is often known only days later):
    one applicant's extra time stays short and equal, whenever the officer learns of it."""
    return max(phase.closes_at, now) + timedelta(days=settings.REGIONET_LATE_ADMISSION_MAX_DAYS)


def late_admission_validity_problem(phase: Phase, valid_until: datetime, now: datetime) -> str:
    """Why a late admission granted at ``now`` may not run until ``valid_until``, in the user's
    language; empty when it may. The door's rule, which the officer's form asks too."""
    if valid_until <= now:
        return gettext("The admission must be valid until a future time.")
    if valid_until <= late_admission_limit(phase, now):
        return ""
    days = settings.REGIONET_LATE_ADMISSION_MAX_DAYS
    limit = deadlines.format_deadline(
        late_admission_limit(phase, now), phase.call.programme.time_zone
    )
    return ngettext(
        "A late admission can run for at most %(days)d day after the phase's deadline, or "
        "after it is granted if that is later: until %(limit)s at the latest.",
        "A late admission can run for at most %(days)d days after the phase's deadline, or "
        "after it is granted if that is later: until %(limit)s at the latest.",
        days,
    ) % {"days": days, "limit": limit}


@transaction.atomic
def grant_late_admission(application, *, reason, valid_until, by, now=None) -> LateAdmission:
    now = _now(now)
    application = _locked(application)
    if not by.has_perm("applications.handle_call", application.phase):
        raise NotAllowed(gettext("Only the programme's officers can do this."))
    if application.state != ApplicationState.DRAFT:
        raise ApplicationError(gettext("Only a draft can be admitted late."))
    reason = _text(
        reason, limit=limits.LATE_ADMISSION_REASON, label=gettext("Reason for the late admission")
    )
    if not reason:
        raise ApplicationError(gettext("Give the reason for the late admission."))
    if problem := late_admission_validity_problem(application.phase, valid_until, now):
        raise ApplicationError(problem)
    admission = LateAdmission.objects.create(
        application=application,
        granted_by=by,
        granted_at=now,
        valid_until=valid_until,
        reason=reason.strip(),
    )
    record(by, "application.late_admission", application, admission=admission.pk, reason=reason)
    notices.late_admission(admission)
    return admission


@transaction.atomic
def withdraw_application(application, *, reason="", by, now=None) -> Application:
    now = _now(now)
    application = _locked(application)
    _require_coordinator(application, by)
    _check_transition(application, ApplicationState.WITHDRAWN)
    reason = _text(reason, limit=limits.WITHDRAWAL_REASON, label=gettext("Reason for withdrawing"))
    application.state = ApplicationState.WITHDRAWN
    application.withdrawn_at = now
    application.withdrawal_reason = reason
    application.save(update_fields=["state", "withdrawn_at", "withdrawal_reason"])
    record(by, "application.withdrawn", application, reason=application.withdrawal_reason)
    if application.first_submitted_at is not None:
        notices.withdrawn(application)
    return application


@transaction.atomic
def screen_application(application, result: str, *, note="", by) -> Application:
    application = _locked(application)
    _require_officer(application, by)
    if application.first_submitted_at is None:
        raise ApplicationError(gettext("Only submitted applications are screened."))
    application.screening = Screening(result)
    application.screening_note = _text(
        note, limit=limits.SCREENING_NOTE, label=gettext("Screening note")
    )
    application.save(update_fields=["screening", "screening_note"])
    record(by, "application.screened", application, result=application.screening)
    return application


@transaction.atomic
def invite_to_full_phase(idea: Application, *, by, now=None) -> FullPhaseInvitation:
    now = _now(now)
    idea = _locked(idea)
    _require_officer(idea, by)
    if idea.phase.kind != Phase.Kind.IDEA or idea.state != ApplicationState.SUBMITTED:
        raise ApplicationError(gettext("Only submitted idea applications can be invited."))
    phase = (
        Phase.objects.filter(call=idea.phase.call, kind=Phase.Kind.FULL).order_by("order").first()
    )
    if phase is None:
        raise ApplicationError(gettext("The call has no full application phase."))
    invitation, created = FullPhaseInvitation.objects.get_or_create(
        idea=idea, defaults={"phase": phase, "invited_by": by, "invited_at": now}
    )
    if created:
        record(by, "application.invited_to_full_phase", idea, phase=phase.pk)
        notices.invited_to_full_phase(invitation)
    return invitation


BULK_ACTIONS = {
    "mark_eligible": gettext_lazy("Mark as eligible"),
    "mark_ineligible": gettext_lazy("Mark as not eligible"),
    "invite_to_full_phase": gettext_lazy("Invite to the full application"),
}


def bulk_action(applications, action: str, *, by, now=None) -> tuple[int, list[str]]:
    """Apply one officer action to many applications, each through its own door.

    Returns (done, problems): an application that cannot take the action is reported by its
    record number and the others still go through.
    """
    done, problems = 0, []
    for application in applications:
        try:
            if action == "mark_eligible":
                screen_application(application, Screening.ELIGIBLE, by=by)
            elif action == "mark_ineligible":
                screen_application(application, Screening.INELIGIBLE, by=by)
            elif action == "invite_to_full_phase":
                invite_to_full_phase(application, by=by, now=now)
            else:
                raise ApplicationError(gettext("Unknown action."))
        except ApplicationError as error:
            problems.append(f"{application}: {' '.join(error.messages)}")
        except PermissionDenied:
            problems.append(f"{application}: {gettext('Not allowed.')}")
        else:
            done += 1
    return done, problems

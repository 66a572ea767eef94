"""The doors through which events are published and people register, cancel and are exported.

Each door that changes a registration runs in one transaction with the event row locked
(``select_for_update``), so two people never take the last seat; it writes the audit event
and queues the e-mail once the transaction has committed. Registrants need no account, so the
actor of their audit events is the system (None). ``now`` is the server's clock unless a
caller (a test, an import) gives the instant.
"""

import csv
import io
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regionet.accounts.models import Language, normalise_email
from regionet.audit.services import record
from regionet.programmes.deadlines import format_deadline, is_in_time, local, zone_name
from regionet.programmes.models import PublicationState
from regionet.programmes.texts import missing_translations
from regionet.texts import text_problems

from . import queries
from .models import Event, Registration, hash_cancellation_token
from .tasks import EmailKind, send_registration_email


class Verb:
    """The audit verbs written by this module."""

    EVENT_PUBLISHED = "event.published"
    EVENT_WITHDRAWN = "event.withdrawn"
    PARTICIPANTS_EXPORTED = "event.participants_exported"
    REGISTRATION_CONFIRMED = "event_registration.confirmed"
    REGISTRATION_WAITING = "event_registration.waiting"
    REGISTRATION_PROMOTED = "event_registration.promoted"
    REGISTRATION_CANCELLED = "event_registration.cancelled"


class RegistrationError(ValidationError):
    """A registration that cannot be made; ``code`` says why (see REGISTRATION_ERRORS)."""


class CancellationError(ValidationError):
    """A cancellation that cannot be made; ``code`` says why (see CANCELLATION_ERRORS)."""


REGISTRATION_ERRORS = {
    "not_published": _("Registration for this event is not open."),
    "not_open": _("Registration for this event opens on %(opens)s."),
    "closed": _("Registration for this event has closed."),
    "past": _("This event has already taken place."),
    "duplicate": _("The e-mail address %(email)s is already registered for this event."),
}

CANCELLATION_ERRORS = {
    "invalid": _(
        "This cancellation link is not valid. Check that you copied the whole link. If you "
        "have received a newer message about this registration, use the link in it."
    ),
    "cancelled": _("This registration has already been cancelled."),
    "started": _("The event has already begun, so the registration can no longer be cancelled."),
}


def _site_url(site_url):
    return (site_url or settings.REGIONET_SITE_URL).rstrip("/")


def _new_token():
    """A cancellation token and the hash stored of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_cancellation_token(token)


# --- Publishing --------------------------------------------------------------------------


def publish_event(event, *, by, now=None) -> Event:
    """Make a draft event public; refused while a Finnish or Swedish text is missing.

    ``by`` is the user publishing it; None is the system (commands, imports).
    """
    now = now or timezone.now()
    if by is not None and not by.has_perm("events.publish_event", event):
        raise PermissionDenied("events.publish_event")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.is_published:
            return event
        missing = missing_translations(event)
        if missing:
            raise ValidationError(
                [ValidationError(message, code="missing_translation") for message in missing]
            )
        event.state = PublicationState.PUBLISHED
        event.published_at = now
        event.save(update_fields=["state", "published_at"])
        record(by, Verb.EVENT_PUBLISHED, event)
    return event


def withdraw_event(event, *, by) -> Event:
    """Take a published event off the public pages; its registrations stay as they are."""
    if by is not None and not by.has_perm("events.publish_event", event):
        raise PermissionDenied("events.publish_event")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.is_published:
            return event
        event.state = PublicationState.DRAFT
        event.save(update_fields=["state"])
        record(by, Verb.EVENT_WITHDRAWN, event)
    return event


# --- Registration ------------------------------------------------------------------------


def registration_problem(event, now=None) -> str | None:
    """Why nobody can register for ``event`` at ``now`` (a REGISTRATION_ERRORS code), or None."""
    now = now or timezone.now()
    if not event.is_published:
        return "not_published"
    if not is_in_time(event.ends_at, now):
        return "past"
    if not is_in_time(event.registration_closes, now):
        return "closed"
    if event.registration_opens_at is not None and now < event.registration_opens_at:
        return "not_open"
    return None


def registration_error(code, event, email="") -> RegistrationError:
    params = {}
    if code == "not_open":
        params["opens"] = format_deadline(event.registration_opens_at, event.time_zone)
    if code == "duplicate":
        params["email"] = email
    return RegistrationError(REGISTRATION_ERRORS[code], code=code, params=params or None)


def _queue_email(registration, kind, token, site_url):
    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration.pk, str(kind), token, site_url)
    )


def _fill_seats(event, now, site_url):
    """Give free seats to the waiting list in its order; return the seats still free
    (None when the event has no limit). The caller holds the lock on the event row."""
    confirmed = event.registrations.confirmed().count()
    free = None if event.capacity is None else max(event.capacity - confirmed, 0)
    if free == 0:
        return 0
    queue = event.registrations.waiting()
    promoted = list(queue if free is None else queue[:free])
    for registration in promoted:
        # A new link for the new e-mail: only the hash of the old token was ever stored.
        token, registration.token_hash = _new_token()
        registration.state = Registration.State.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["state", "confirmed_at", "token_hash"])
        record(None, Verb.REGISTRATION_PROMOTED, registration, event=event.pk)
        _queue_email(registration, EmailKind.PROMOTED, token, site_url)
    return None if free is None else free - len(promoted)


def register(
    event, *, name, organisation, email, language, now=None, site_url=None
) -> Registration:
    """Register a person: confirmed while seats are left, else on the waiting list.

    Refused with a RegistrationError when registration is not open at ``now`` or the e-mail
    address already has a registration to the event that is not cancelled. The confirmation
    (or waiting-list) e-mail with the cancellation link is sent once the transaction commits.
    """
    if language not in Language.values:
        raise ValueError(f"Unknown language {language!r}: e-mail is written in fi, sv or en.")
    for field, label, value in (
        ("name", _("Your name"), name),
        ("organisation", _("Organisation"), organisation),
    ):
        limit = Registration._meta.get_field(field).max_length
        problems = text_problems(value, limit=limit, label=str(label), single_line=True)
        if problems:
            raise RegistrationError(problems[0], code="text")
    now = now or timezone.now()
    email = normalise_email(email)
    site_url = _site_url(site_url)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        problem = registration_problem(event, now)
        if problem:
            raise registration_error(problem, event)
        if event.registrations.active().filter(email=email).exists():
            raise registration_error("duplicate", event, email)
        free = _fill_seats(event, now, site_url)
        confirmed = free is None or free > 0
        token, token_hash = _new_token()
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    name=name.strip(),
                    organisation=organisation.strip(),
                    email=email,
                    language=language,
                    state=(
                        Registration.State.CONFIRMED if confirmed else Registration.State.WAITING
                    ),
                    created_at=now,
                    confirmed_at=now if confirmed else None,
                    token_hash=token_hash,
                )
        except IntegrityError:
            # The lock on the event makes this unreachable; the constraint is the last guard.
            raise registration_error("duplicate", event, email) from None
        record(
            None,
            Verb.REGISTRATION_CONFIRMED if confirmed else Verb.REGISTRATION_WAITING,
            registration,
            event=event.pk,
        )
        _queue_email(
            registration, EmailKind.CONFIRMED if confirmed else EmailKind.WAITING, token, site_url
        )
    return registration


# --- Cancellation ------------------------------------------------------------------------


def find_registration(token) -> Registration | None:
    """The registration a cancellation link is for, or None.

    Only the SHA-256 of a token is stored and looked up, so a guess learns nothing from
    timing and a copy of the database holds no working links.
    """
    if not token:
        return None
    return (
        Registration.objects.select_related("event")
        .filter(token_hash=hash_cancellation_token(token))
        .first()
    )


def cancellation_problem(registration, now=None) -> str | None:
    """Why ``registration`` cannot be cancelled at ``now`` (a CANCELLATION_ERRORS code)."""
    now = now or timezone.now()
    if registration is None:
        return "invalid"
    if not registration.can_become(Registration.State.CANCELLED):
        return "cancelled"
    if now >= registration.event.starts_at:
        return "started"
    return None


def cancel(token, *, now=None, site_url=None) -> Registration:
    """Cancel the registration of a cancellation link; a freed seat goes to the first on the
    waiting list, who gets an e-mail. Refused with a CancellationError (see its code)."""
    now = now or timezone.now()
    token_hash = hash_cancellation_token(token or "")
    with transaction.atomic():
        event_id = (
            Registration.objects.filter(token_hash=token_hash)
            .values_list("event_id", flat=True)
            .first()
        )
        if event_id is None:
            raise CancellationError(CANCELLATION_ERRORS["invalid"], code="invalid")
        event = Event.objects.select_for_update().get(pk=event_id)
        # Read again under the lock: another request may have cancelled it meanwhile.
        registration = Registration.objects.filter(token_hash=token_hash).first()
        if registration is not None:
            registration.event = event
        problem = cancellation_problem(registration, now)
        if problem:
            raise CancellationError(CANCELLATION_ERRORS[problem], code=problem)
        previous = registration.state
        registration.state = Registration.State.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["state", "cancelled_at"])
        record(None, Verb.REGISTRATION_CANCELLED, registration, event=event.pk, previous=previous)
        if previous == Registration.State.CONFIRMED:
            _fill_seats(event, now, _site_url(site_url))
    return registration


# --- Participant list --------------------------------------------------------------------

# Excel runs a cell that starts with one of these as a formula; registrants type anything.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def participants_csv(event) -> bytes:
    """The participant list for the organiser: UTF-8 with a byte-order mark and semicolons,
    as Excel in Finnish and Swedish opens it; headings in the active language; confirmed
    participants first, then the waiting list in its order. Cancelled ones are left out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            gettext("Name"),
            gettext("Organisation"),
            gettext("E-mail address"),
            gettext("Language"),
            gettext("State"),
            gettext("Place on the waiting list"),
            gettext("Registered at (%(zone)s)") % {"zone": zone_name(event.time_zone)},
        ]
    )
    position = 0
    for registration in queries.participants(event):
        waiting = registration.state == Registration.State.WAITING
        position += waiting
        writer.writerow(
            [
                _cell(registration.name),
                _cell(registration.organisation),
                _cell(registration.email),
                registration.get_language_display(),
                registration.get_state_display(),
                position if waiting else "",
                local(registration.created_at, event.time_zone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def export_participants(event, *, by) -> bytes:
    """The participant list for ``by``, with an audit event: it holds personal data."""
    if not by.has_perm("events.export_participants", event):
        raise PermissionDenied("events.export_participants")
    content = participants_csv(event)
    record(by, Verb.PARTICIPANTS_EXPORTED, event)
    return content

"""The e-mails to registrants, written in the language each one chose when registering."""

from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from regionet.programmes.deadlines import format_deadline

from . import queries
from .ical import event_calendar


class EmailKind(models.TextChoices):
    """Which message a registrant gets; each has a subject and a body template."""

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    PROMOTED = "promoted"


# The registration state each message speaks of; a message that no longer fits is not sent.
EXPECTED_STATE = {
    EmailKind.CONFIRMED: "confirmed",
    EmailKind.WAITING: "waiting",
    EmailKind.PROMOTED: "confirmed",
}


def event_url(event, site_url: str, language: str) -> str:
    with translation.override(language):
        return site_url.rstrip("/") + reverse("events:event_detail", kwargs={"pk": event.pk})


def cancel_url(token: str, site_url: str, language: str) -> str:
    with translation.override(language):
        return site_url.rstrip("/") + reverse("events:cancel_registration", kwargs={"token": token})


def registration_message(registration, kind: str, token: str, site_url: str) -> EmailMessage:
    """The message of ``kind`` to the registrant; confirmations carry the .ics file."""
    event = registration.event
    language = registration.language
    url = event_url(event, site_url, language)
    with translation.override(language):
        context = {
            "registration": registration,
            "event": event,
            "organiser": event.organiser.name,
            "starts": format_deadline(event.starts_at, event.time_zone, language),
            "ends": format_deadline(event.ends_at, event.time_zone, language),
            "event_url": url,
            "cancel_url": cancel_url(token, site_url, language),
            "position": queries.waiting_position(registration),
        }
        subject = render_to_string(f"events/email/{kind}_subject.txt", context)
        body = render_to_string(f"events/email/{kind}_message.txt", context)
    message = EmailMessage(
        subject=getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split()),
        body=body,
        to=[registration.email],
    )
    if kind in (EmailKind.CONFIRMED, EmailKind.PROMOTED):
        # A ready MIME part: given a content type string, Django would add a second charset.
        part = MIMEText(
            event_calendar(
                event, language=language, url=url, site_url=site_url, now=timezone.now()
            ),
            "calendar",
            "utf-8",
        )
        part.set_param("method", "PUBLISH")
        part.add_header("Content-Disposition", "attachment", filename=f"event-{event.pk}.ics")
        message.attach(part)
    return message

"""The e-mail of a notice, rendered in the notice's language when it is sent."""

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .attachments import get_generator
from .kinds import get_kind

_BLANK_LINES = re.compile(r"\n{3,}")


def preferences_url(language: str, site_url: str | None = None) -> str:
    with translation.override(language):
        path = reverse("notifications:preferences")
    return (site_url or settings.REGIONET_SITE_URL).rstrip("/") + path


def _tidy(text: str) -> str:
    """Template tags leave trailing spaces and runs of empty lines; a message has neither."""
    lines = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return _BLANK_LINES.sub("\n\n", lines) + "\n"


def message_context(notice) -> dict:
    """The caller's context and what every message may use: the recipient's name, whether the
    kind is required by law, the number of attachments and the preferences page."""
    kind = get_kind(notice.kind)
    return {
        **notice.context,
        "recipient_name": notice.recipient.full_name if notice.recipient else "",
        "legally_required": kind.legally_required,
        "attachment_count": len(notice.attachments),
        "preferences_url": preferences_url(notice.language),
    }


def render_notice(notice) -> tuple[str, str]:
    """(subject, body) of ``notice`` in its language."""
    kind = get_kind(notice.kind)
    context = message_context(notice)
    with translation.override(notice.language):
        subject = render_to_string(kind.subject_template, context)
        body = render_to_string(kind.message_template, context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return prefix + " ".join(subject.split()), _tidy(body)


def notice_message(notice) -> EmailMessage:
    """The e-mail of ``notice`` with its attachments, generated now."""
    subject, body = render_notice(notice)
    message = EmailMessage(subject=subject, body=body, to=[notice.email])
    for spec in notice.attachments:
        generate = get_generator(spec["generator"])
        with translation.override(notice.language):
            filename, content, mimetype = generate(notice, **spec.get("args", {}))
        message.attach(filename, content, mimetype)
    return message

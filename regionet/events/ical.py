"""The iCalendar file (RFC 5545) attached to a confirmation, so the event lands in a calendar."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.utils import translation
from django.utils.translation import gettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

PRODUCT_ID = "-//Regionet//Events//EN"


def event_uid(event, site_url: str) -> str:
    """The same for every participant and every message, so a calendar keeps one entry."""
    host = urlsplit(site_url).hostname or "regionet"
    return f"event-{event.pk}@{host}"


def event_calendar(event, *, language: str, url: str, site_url: str, now: datetime) -> bytes:
    """One VEVENT in UTC with the texts in ``language`` and the event page as its URL.

    The link for taking part online goes into the description: the file is sent only to
    registered participants.
    """
    with translation.override(language):
        description = [event.description.strip()] if event.description else []
        if event.online_url:
            description.append(gettext("Link for taking part: %(url)s") % {"url": event.online_url})
        description.append(gettext("More about the event: %(url)s") % {"url": url})
        vevent = CalendarEvent()
        vevent.add("uid", event_uid(event, site_url))
        vevent.add("dtstamp", now.astimezone(UTC))
        vevent.add("dtstart", event.starts_at.astimezone(UTC))
        vevent.add("dtend", event.ends_at.astimezone(UTC))
        vevent.add("summary", event.title)
        vevent.add("description", "\n\n".join(description))
        vevent.add("url", url)
        if event.location:
            vevent.add("location", event.location)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vevent)
    return calendar.to_ical()

"""Events of any organiser (webinars, forum meetings, network meetings) and registrations to them.

Texts are stored in fi, sv and en (django-modeltranslation, see translation.py). Instants are
stored in UTC; ``time_zone`` says how the event's times are shown. Seats, the waiting list
and cancellations change only through ``services``.
"""

import hashlib

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regionet.accounts.models import Language
from regionet.programmes.models import Programme, PublicationState


class Event(models.Model):
    """Something people register for: the webinar of a call, a forum or a network meeting."""

    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("webinar")
        FORUM_MEETING = "forum_meeting", _("forum meeting")
        NETWORK_MEETING = "network_meeting", _("network meeting")
        OTHER = "other", _("other event")

    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organiser"),
    )
    call = models.ForeignKey(
        "programmes.Call",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("call"),
        help_text=_("The call this event is about, if any."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.WEBINAR)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("An address, or how to take part online, e.g. “Online (Microsoft Teams)”."),
    )
    online_url = models.URLField(
        _("link for taking part online"),
        blank=True,
        help_text=_("Sent only to registered participants, never shown on the public page."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=Programme.TimeZone.choices,
        default=Programme.TimeZone.HELSINKI,
    )
    capacity = models.PositiveIntegerField(
        _("number of seats"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens at"),
        null=True,
        blank=True,
        help_text=_("Empty: open as soon as the event is published."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Empty: open until the event begins."),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
        ]
        indexes = [models.Index(fields=["state", "ends_at"], name="event_state_ends_at")]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.state == PublicationState.PUBLISHED

    @property
    def registration_closes(self):
        """The last instant of registration: the set one, else the start; never after the end."""
        closes = self.registration_closes_at or self.starts_at
        return min(closes, self.ends_at)


def hash_cancellation_token(token: str) -> str:
    """Only this hash of a cancellation token is stored; the token itself is in the e-mail."""
    return hashlib.sha256(token.encode()).hexdigest()


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(state=Registration.State.CANCELLED)

    def confirmed(self):
        return self.filter(state=Registration.State.CONFIRMED)

    def waiting(self):
        """The waiting list in its order: first come, first served."""
        return self.filter(state=Registration.State.WAITING).order_by("created_at", "pk")


class Registration(models.Model):
    """One person's registration to an event; visitors need no account to register."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    # The transitions services may make; nothing leaves CANCELLED.
    TRANSITIONS = {
        State.WAITING: {State.CONFIRMED, State.CANCELLED},
        State.CONFIRMED: {State.CANCELLED},
        State.CANCELLED: set(),
    }

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("seat confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(state="cancelled"),
                name="registration_one_active_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "state", "created_at"], name="registration_queue"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def can_become(self, state) -> bool:
        return state in self.TRANSITIONS[self.State(self.state)]

"""Querysets the event pages and the participant export show, each in a fixed number of queries."""

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest

from regionet.programmes.models import PublicationState

from .models import Event, Registration


def with_seat_counts(events):
    """Events annotated with confirmed_count, waiting_count and seats_left (None: no limit)."""
    return events.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__state=Registration.State.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__state=Registration.State.WAITING)
        ),
    ).annotate(
        seats_left=Case(
            When(capacity__isnull=True, then=Value(None)),
            default=Greatest(F("capacity") - F("confirmed_count"), Value(0)),
            output_field=IntegerField(),
        )
    )


def public_events():
    """Published events with their organiser, call and seat counts."""
    return with_seat_counts(
        Event.objects.filter(state=PublicationState.PUBLISHED).select_related("organiser", "call")
    )


def upcoming_events(now):
    """Published events that have not ended by ``now``, soonest first."""
    return public_events().filter(ends_at__gte=now).order_by("starts_at", "pk")


def participants(event):
    """The event's registrations that are not cancelled: confirmed first, then the waiting
    list in its order."""
    return (
        Registration.objects.filter(event=event)
        .active()
        .annotate(
            queue=Case(
                When(state=Registration.State.CONFIRMED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("queue", "created_at", "pk")
    )


def waiting_position(registration) -> int | None:
    """The registration's place on the waiting list (1 is next), or None when not waiting."""
    if registration.state != Registration.State.WAITING:
        return None
    ahead = (
        Registration.objects.filter(event_id=registration.event_id)
        .waiting()
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1

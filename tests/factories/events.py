"""Factories for events and registrations.

An event is published and begins in 30 days unless told otherwise; ``webinar_2021=True``
makes the webinar of the Finnish call: 20.4.2021 12:30–16:00 Finnish time. A registration's
cancellation token is the parameter ``token`` (only its hash is stored).
"""

from datetime import UTC, datetime, timedelta

import factory
from django.utils import timezone

from regionet.accounts.models import Organisation
from regionet.events.models import Event, Registration, hash_cancellation_token
from regionet.programmes.models import PublicationState

from .accounts import OrganisationFactory

__all__ = ["EventFactory", "RegistrationFactory"]


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    class Params:
        webinar_2021 = factory.Trait(
            kind=Event.Kind.WEBINAR,
            title_fi="Hakuinfo: alueiden välinen verkostoyhteistyö",
            title_sv="Informationswebbinarium: regionernas samarbetsnätverk",
            title_en="Information webinar: networks between regions",
            location_fi="Verkossa (Teams)",
            location_sv="På nätet (Teams)",
            location_en="Online (Teams)",
            starts_at=datetime(2021, 4, 20, 9, 30, tzinfo=UTC),
            ends_at=datetime(2021, 4, 20, 13, 0, tzinfo=UTC),
            published_at=datetime(2021, 3, 1, tzinfo=UTC),
        )

    organiser = factory.SubFactory(
        OrganisationFactory,
        is_funder=True,
        type=Organisation.Type.STATE_AUTHORITY,
        name_fi=factory.Sequence(lambda n: f"Järjestävä virasto {n}"),
    )
    call = None
    kind = Event.Kind.NETWORK_MEETING
    title_fi = factory.Sequence(lambda n: f"Verkostotapaaminen {n}")
    title_sv = factory.Sequence(lambda n: f"Nätverksmöte {n}")
    title_en = factory.Sequence(lambda n: f"Network meeting {n}")
    description_fi = "Tapaamisen kuvaus."
    description_sv = "Beskrivning av mötet."
    description_en = "About the meeting."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3, minutes=30))
    time_zone = "Europe/Helsinki"
    capacity = None
    state = PublicationState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    class Params:
        token = factory.Sequence(lambda n: f"test-cancellation-token-{n}")

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Osallistuja {n}")
    organisation = factory.Sequence(lambda n: f"Organisaatio {n}")
    email = factory.Sequence(lambda n: f"osallistuja{n}@example.fi")
    language = "fi"
    state = Registration.State.CONFIRMED
    created_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(
        lambda o: o.created_at if o.state == Registration.State.CONFIRMED else None
    )
    token_hash = factory.LazyAttribute(lambda o: hash_cancellation_token(o.token))

"""Factories for notices and notice preferences.

A notice is a pending receipt to a Finnish-speaking user, due at once, unless told otherwise.
"""

import factory
from django.utils import timezone

from regionet.notifications.models import Notice, NoticePreference

from .accounts import UserFactory

__all__ = ["NoticeFactory", "NoticePreferenceFactory"]


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    recipient = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(
        lambda o: o.recipient.email if o.recipient else "someone@example.fi"
    )
    language = "fi"
    kind = "application.receipt"
    context = factory.LazyFunction(
        lambda: {
            "application_title": "Vetovoimaiset seutukaupungit",
            "record_number": "",
            "call_name": {"fi": "Haku", "sv": "Utlysning", "en": "Call"},
            "url": "https://regionet.example/fi/",
            "received_at": "2021-06-02T13:15:00+00:00",
            "time_zone": "Europe/Helsinki",
            "organisation_name": "Kehitysyhtiö Oy",
        }
    )
    attachments = factory.LazyFunction(list)
    state = Notice.State.PENDING
    created_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyAttribute(
        lambda o: o.created_at if o.state == Notice.State.PENDING else None
    )


class NoticePreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticePreference

    user = factory.SubFactory(UserFactory)
    kind = "application.withdrawn"
    enabled = False

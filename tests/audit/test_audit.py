"""The audit trail is append-only and records who did what to which object."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from regionet.audit.models import AppendOnlyError, AuditEvent
from regionet.audit.services import record
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_writes_one_event():
    user = UserFactory()
    organisation = OrganisationFactory()
    event = record(user, "organisation.registered", organisation, business_id="0112038-9")
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == user
    assert event.verb == "organisation.registered"
    assert event.target_type == ContentType.objects.get_for_model(organisation)
    assert event.target_id == str(organisation.pk)
    assert event.target == organisation
    assert event.data == {"business_id": "0112038-9"}
    assert list(AuditEvent.objects.for_target(organisation)) == [event]


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_system_and_anonymous_actors_are_stored_as_null(actor):
    event = record(actor, "something.happened", OrganisationFactory())
    assert AuditEvent.objects.get(pk=event.pk).actor is None


def test_events_cannot_be_changed():
    event = record(None, "organisation.registered", OrganisationFactory())
    event.verb = "organisation.deleted"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="organisation.deleted")
    assert AuditEvent.objects.get(pk=event.pk).verb == "organisation.registered"


def test_admin_lists_events_read_only(admin_client):
    record(None, "organisation.registered", OrganisationFactory())
    response = admin_client.get("/en/admin/audit/auditevent/")
    assert response.status_code == 200
    assert b"organisation.registered" in response.content
    assert admin_client.get("/en/admin/audit/auditevent/add/").status_code == 403

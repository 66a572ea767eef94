"""Who may manage an event and export its participants (django-rules).

Predicates take (user, event) and ask the accounts predicates about the event's organiser:
the programme officers and administrators of the organising funder manage its events. A
draft event without registrations may be deleted; after that it is only withdrawn.
"""

import rules

from regionet.accounts import rules as account_rules
from regionet.programmes.models import PublicationState
from regionet.programmes.rules import manages_any_funder


def of_organiser(funder_predicate):
    """``funder_predicate`` (user, funder) asked of the event's organiser."""

    def predicate(user, event):
        return event is not None and funder_predicate.test(user, event.organiser)

    return rules.predicate(predicate, name=f"({funder_predicate.name})_of_organiser")


is_event_staff = of_organiser(
    account_rules.is_programme_officer_of | account_rules.is_funder_administrator_of
)


@rules.predicate
def is_untouched_draft(user, event):
    """Never published and nobody registered: deleting it loses nothing anyone relies on."""
    return (
        event is not None
        and event.state == PublicationState.DRAFT
        and event.published_at is None
        and not event.registrations.exists()
    )


# The platform administrator configures every funder's events, as it does their programmes.
configures_events = manages_any_funder | account_rules.is_platform_administrator
configures_event = is_event_staff | account_rules.is_platform_administrator

# The staff interface (Django's admin): the events app, and one event in it.
rules.add_perm("events.use_staff_interface", configures_events)
rules.add_perm("events.view_event", configures_event)
rules.add_perm("events.add_event", configures_events)
rules.add_perm("events.change_event", configures_event)
rules.add_perm("events.delete_event", configures_event & is_untouched_draft)
rules.add_perm("events.publish_event", configures_event)
rules.add_perm("events.export_participants", configures_event)

"""Who may see, change and publish programmes and everything in them (django-rules).

Every programme object reaches its funder through its programme; officers and administrators
of that funder configure it. Configuration can change while its programme (for the
programme's own texts, budgets, earmarks, themes and zones) or its call (for instruments,
phases and criteria) is a draft; published ones are read-only until their publication is
withdrawn. The public sees published programmes and published calls of published programmes.
"""

import rules

from regionet.accounts.models import FunderRole
from regionet.accounts.rules import (
    is_funder_administrator_of,
    is_platform_administrator,
    is_programme_officer_of,
)

from .models import Call, Programme, PublicationState

is_funder_manager = is_programme_officer_of | is_funder_administrator_of


def programme_of(obj) -> Programme | None:
    """The programme any programme object belongs to."""
    if obj is None or isinstance(obj, Programme):
        return obj
    if hasattr(obj, "programme"):
        return obj.programme
    if hasattr(obj, "call"):
        return obj.call.programme
    if hasattr(obj, "phase"):
        return obj.phase.call.programme
    raise TypeError(f"{type(obj).__name__} does not belong to a programme")


def funder_of(obj):
    programme = programme_of(obj)
    return programme.funder if programme is not None else None


def publication_of(obj) -> Programme | Call | None:
    """The programme or call whose publication freezes ``obj``."""
    if obj is None or isinstance(obj, Programme | Call):
        return obj
    if hasattr(obj, "call"):
        return obj.call
    if hasattr(obj, "phase"):
        return obj.phase.call
    return obj.programme


def _remembered(user, key, compute):
    """``compute()`` once per user object, like Django's own permission cache on the user:
    a page asks the same question many times (each inline, each button) in one request."""
    cache = user.__dict__.setdefault("_programmes_rules_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@rules.predicate
def manages_any_funder(user):
    """A programme-officer or administrator role with some funder."""
    if not user.is_authenticated:
        return False
    return _remembered(
        user,
        "any",
        FunderRole.objects.filter(
            user=user,
            role__in=[FunderRole.Role.PROGRAMME_OFFICER, FunderRole.Role.ADMINISTRATOR],
        ).exists,
    )


@rules.predicate
def manages_programme_of(user, obj):
    """An officer or administrator of the funder of ``obj``'s programme."""
    funder = funder_of(obj)
    if funder is None or not user.is_authenticated:
        return False
    return _remembered(user, funder.pk, lambda: is_funder_manager.test(user, funder))


@rules.predicate
def is_draft(user, obj):
    publication = publication_of(obj)
    return publication is not None and publication.state == PublicationState.DRAFT


@rules.predicate
def is_public(user, obj):
    """Published, and so is its programme (and its call, for objects inside a call)."""
    publication = publication_of(obj)
    if publication is None:
        return False
    programme = programme_of(obj)
    return (
        publication.state == PublicationState.PUBLISHED
        and programme.state == PublicationState.PUBLISHED
    )


# Who configures: the funder's officers and administrators, and the platform administrator
# for every funder (only configuration: applications' rules ask ``manages_programme_of``).
configures_any_funder = manages_any_funder | is_platform_administrator
configures_programme_of = manages_programme_of | is_platform_administrator

# The staff interface: any page of it, and one programme's objects in it.
rules.add_perm("programmes.use_staff_interface", configures_any_funder)
rules.add_perm("programmes.manage_programme", configures_programme_of)

for model in ("programme", "call", "phase"):
    rules.add_perm(f"programmes.view_{model}", is_public | configures_programme_of)
    rules.add_perm(f"programmes.add_{model}", configures_any_funder)
    rules.add_perm(f"programmes.change_{model}", configures_programme_of & is_draft)
    rules.add_perm(f"programmes.delete_{model}", configures_programme_of & is_draft)

# Contact persons change with the funder's staff, also while their call is published.
rules.add_perm("programmes.view_callcontact", is_public | configures_programme_of)
rules.add_perm("programmes.add_callcontact", configures_programme_of)
rules.add_perm("programmes.change_callcontact", configures_programme_of)
rules.add_perm("programmes.delete_callcontact", configures_programme_of)

for model in ("programme", "call"):
    rules.add_perm(f"programmes.publish_{model}", configures_programme_of)
    rules.add_perm(f"programmes.unpublish_{model}", configures_programme_of)

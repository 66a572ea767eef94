"""The one way to write the audit trail: `record(actor, verb, target, **data)`."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def record(actor, verb: str, target, **data) -> AuditEvent:
    """Append an audit event saying that `actor` did `verb` to `target`.

    `actor` is a user, or None (or an anonymous user) for the system itself; `data` holds
    JSON-serialisable details (codes and ids, never translated texts).
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        data=data,
    )

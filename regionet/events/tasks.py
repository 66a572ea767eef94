"""Background work of events: the e-mails to registrants."""

from django_tasks import task

from .emails import EXPECTED_STATE, EmailKind, registration_message
from .models import Registration, hash_cancellation_token

__all__ = ["EmailKind", "send_registration_email"]


@task()
def send_registration_email(registration_id: int, kind: str, token: str, site_url: str) -> None:
    """E-mail the registrant; the token exists only here and in the e-mail.

    A message that went stale before a worker took it (the registration was cancelled or
    promoted, so its token changed) is not sent.
    """
    registration = (
        Registration.objects.select_related("event__organiser").filter(pk=registration_id).first()
    )
    if (
        registration is None
        or registration.state != EXPECTED_STATE[EmailKind(kind)]
        or registration.token_hash != hash_cancellation_token(token)
    ):
        return
    registration_message(registration, kind, token, site_url).send()

"""Background work of accounts: the invitation e-mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .models import Invitation, User

# The language of an invitation to someone without an account: the country's main language.
COUNTRY_LANGUAGES = {"FI": "fi", "SE": "sv"}


def invitation_language(invitation) -> str:
    """The invitee's preferred language if they have an account, else the organisation's."""
    user = User.objects.filter(email__iexact=invitation.email).only("preferred_language").first()
    if user is not None and user.preferred_language:
        return user.preferred_language
    return COUNTRY_LANGUAGES.get(invitation.organisation.country.code, settings.LANGUAGE_CODE)


@task()
def send_invitation_email(invitation_id: int, token: str, site_url: str) -> None:
    """E-mail the invitation link; the token exists only here and in the e-mail."""
    invitation = Invitation.objects.select_related("organisation__country", "invited_by").get(
        pk=invitation_id
    )
    if not invitation.is_pending():
        return
    language = invitation_language(invitation)
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "accept_url": site_url.rstrip("/")
            + reverse("accounts:invitation_accept", kwargs={"token": token}),
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by,
            "email": invitation.email,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(
        subject=getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[invitation.email],
    )

"""How allauth writes our e-mail and knows an address proven by an invitation.

Without django.contrib.sites allauth names the site by the request's host, so its e-mail
greeted "Hello from 127.0.0.1:8200!". The site's name is Regionet; the host stays where it
belongs, in links (allauth builds them from the request: the address the site runs on).
"""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from .models import normalise_email

SITE_NAME = "Regionet"
# The address of the invitation whose link was opened in this session (AcceptInvitationView).
INVITED_EMAIL_SESSION_KEY = "regionet_invited_email"


class Site:
    """What allauth's e-mail templates ask of a site: its name and its domain (host:port)."""

    def __init__(self, domain: str):
        self.name = SITE_NAME
        self.domain = domain

    def __str__(self):
        return self.domain


def current_site(request) -> Site:
    if request is not None:
        return Site(request.get_host())
    return Site(urlsplit(settings.REGIONET_SITE_URL).netloc)


def remember_invited_email(request, email: str) -> None:
    """The invitation link was opened: its secret token reached `email`'s mailbox, which
    proves the address as allauth's own verification link would. A sign-up in this session
    with exactly that address is therefore verified; any other address is not."""
    request.session[INVITED_EMAIL_SESSION_KEY] = normalise_email(email)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        site = current_site(allauth_context.request)
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def is_email_verified(self, request, email):
        invited = request.session.get(INVITED_EMAIL_SESSION_KEY) if request else None
        if invited and invited == normalise_email(email):
            return True
        return super().is_email_verified(request, email)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins are counted per account, whatever host name or port the request
        named: allauth's own key starts with the request's host, so `Host: site:1001`,
        `site:1002` … would each get five fresh attempts."""
        login = credentials.get("email", credentials.get("username", ""))
        return f"regionet:{normalise_email(login)}"

"""Acting for an organisation needs a verified e-mail address: the gate in front of its pages.

Anyone may sign in with an address not yet verified (to read, and to be told what to do),
but every page of organisations and applications answers with "verify your address" until
the address is verified (permission ``accounts.act_for_organisations``). The doors check
the same rules: ``register_organisation``, ``accept_invitation``, ``start_application``.
"""

from django.utils.translation import gettext as _

# The applicant's side: organisations, their members and invitations, applications.
GUARDED_NAMESPACES = frozenset({"accounts", "applications"})
# The invitation page says itself what to do (whom it is for, and how to verify); the
# button that sends the link again must work for those who need it.
OPEN_VIEWS = frozenset({"accounts:invitation_accept", "accounts:send_verification"})


def is_guarded(resolver_match) -> bool:
    if resolver_match is None or resolver_match.view_name in OPEN_VIEWS:
        return False
    return bool(GUARDED_NAMESPACES.intersection(resolver_match.namespaces))


class RequireVerifiedEmailMiddleware:
    """Answers the guarded pages of a signed-in user whose address is not verified with the
    page that says so (403), whatever the method: nothing is changed, nothing is shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not is_guarded(request.resolver_match)
            or user.has_perm("accounts.act_for_organisations")
        ):
            return None
        from .views import verify_email_required

        return verify_email_required(request)


def unverified_message() -> str:
    return _("Verify your e-mail address before you act for an organisation.")

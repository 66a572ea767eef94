"""Pages for organisations: my organisations, registration, members, invitations."""

from allauth.account.internal.flows.email_verification import (
    send_verification_email_for_user,
)
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import geography, queries, services
from .adapter import remember_invited_email
from .forms import COUNTRY_TEXTS, InvitationForm, OrganisationRegistrationForm
from .models import Invitation, Membership


class OrganisationListView(LoginRequiredMixin, ListView):
    template_name = "accounts/organisation_list.html"
    context_object_name = "memberships"

    def get_queryset(self):
        return queries.memberships_of(self.request.user)


class RegisterCountryView(LoginRequiredMixin, TemplateView):
    """Step one of registration: which country's business ID the organisation has."""

    template_name = "accounts/organisation_register_country.html"

    def get_context_data(self, **kwargs):
        choices = [
            (country, COUNTRY_TEXTS[country.code]["choice"])
            for country in geography.registrable_countries()
        ]
        return super().get_context_data(choices=choices, **kwargs)


class RegisterOrganisationView(PermissionRequiredMixin, FormView):
    template_name = "accounts/organisation_register.html"
    form_class = OrganisationRegistrationForm
    permission_required = "accounts.register_organisation"

    def dispatch(self, request, *args, **kwargs):
        self.country = (
            geography.registrable_countries().filter(code=kwargs["country"].upper()).first()
        )
        if self.country is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "country": self.country}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            country=self.country, title=COUNTRY_TEXTS[self.country.code]["title"], **kwargs
        )

    def form_valid(self, form):
        try:
            organisation = services.register_organisation(
                by=self.request.user, **form.organisation_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(organisation)s is registered. You are its administrator.")
            % {"organisation": organisation.name},
        )
        return redirect("accounts:organisation_detail", pk=organisation.pk)


class OrganisationMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Loads the organisation of the URL and checks the permission on it.

    A visitor not signed in is sent to sign in before anything is looked up, and a signed-in
    user who is not a member gets 404, as for an organisation that does not exist: neither
    learns whether it does. A member without the permission gets 403.
    """

    def handle_no_permission(self):
        user = self.request.user
        if user.is_authenticated and not user.has_perm(
            "accounts.view_organisation", self.get_organisation()
        ):
            raise Http404
        return super().handle_no_permission()

    def get_organisation(self):
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                queries.organisations_with_members(), pk=self.kwargs["pk"]
            )
        return self._organisation

    def get_permission_object(self):
        return self.get_organisation()


class OrganisationDetailView(OrganisationMixin, TemplateView):
    template_name = "accounts/organisation_detail.html"
    permission_required = "accounts.view_members"

    def get_context_data(self, **kwargs):
        organisation = self.get_organisation()
        can_manage = self.request.user.has_perm("accounts.manage_members", organisation)
        context = {
            "organisation": organisation,
            "memberships": organisation.memberships.all(),
            "can_manage": can_manage,
            **kwargs,
        }
        if can_manage:
            context.setdefault("invitation_form", InvitationForm())
            context["pending_invitations"] = organisation.pending_invitations
        return super().get_context_data(**context)


class InviteMemberView(OrganisationMixin, FormView):
    """Handles the invitation form of the organisation page; errors re-render that page."""

    template_name = "accounts/organisation_detail.html"
    form_class = InvitationForm
    permission_required = "accounts.manage_members"
    http_method_names = ["post"]

    def form_valid(self, form):
        organisation = self.get_organisation()
        try:
            services.invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=self.request.user,
                site_url=self.request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("An invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:organisation_detail", pk=organisation.pk)

    def form_invalid(self, form):
        organisation = self.get_organisation()
        return self.render_to_response(
            {
                "organisation": organisation,
                "memberships": organisation.memberships.all(),
                "can_manage": True,
                "invitation_form": form,
                "pending_invitations": organisation.pending_invitations,
                "view": self,
            }
        )


class RevokeInvitationView(OrganisationMixin, TemplateView):
    permission_required = "accounts.manage_members"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        organisation = self.get_organisation()
        invitation = get_object_or_404(
            Invitation, pk=kwargs["invitation_pk"], organisation=organisation
        )
        try:
            services.revoke_invitation(invitation=invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
            )
        return redirect("accounts:organisation_detail", pk=organisation.pk)


class RemoveMemberView(OrganisationMixin, TemplateView):
    """GET asks for confirmation, POST removes the member."""

    template_name = "accounts/membership_confirm_remove.html"
    permission_required = "accounts.manage_members"

    def get_membership(self):
        return get_object_or_404(
            Membership.objects.select_related("user"),
            pk=self.kwargs["membership_pk"],
            organisation=self.get_organisation(),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.get_organisation(), membership=self.get_membership(), **kwargs
        )

    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        organisation = self.get_organisation()
        try:
            services.remove_member(membership=membership, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(user)s has been removed from the organisation %(organisation)s.")
                % {"user": membership.user, "organisation": organisation.name},
            )
            if membership.user_id == request.user.pk:
                return redirect("accounts:organisation_list")
        return redirect("accounts:organisation_detail", pk=organisation.pk)


# The page names the invited address and the inviter: kept by no cache, signed in or not.
@method_decorator(never_cache, name="dispatch")
class AcceptInvitationView(TemplateView):
    """Shows an invitation; the signed-in invitee accepts it with POST.

    Anyone with the link may see which organisation invited which address (the link is the
    secret); a visitor who is not signed in is asked to sign in or create an account and
    comes back here afterwards.
    """

    template_name = "accounts/invitation_accept.html"

    def get(self, request, *args, **kwargs):
        return self.render_invitation()

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.accept_invitation(token=kwargs["token"], user=request.user)
        except services.InvitationError:
            return self.render_invitation(status=400)
        messages.success(
            request,
            _("Welcome to %(organisation)s.") % {"organisation": membership.organisation.name},
        )
        return redirect("accounts:organisation_detail", pk=membership.organisation_id)

    def render_invitation(self, status=200):
        invitation = services.find_invitation(self.kwargs["token"])
        user = self.request.user if self.request.user.is_authenticated else None
        problem = None
        try:
            services.check_invitation(invitation, user)
        except services.InvitationError as error:
            problem = error
            if error.code == "invalid":
                status = 404
        else:
            if user is None:
                # The link reached the invited mailbox: a sign-up with that address that
                # follows it is verified (allauth's way for invitations).
                remember_invited_email(self.request, invitation.email)
        context = self.get_context_data(invitation=invitation, problem=problem)
        return self.render_to_response(context, status=status)


def verify_email_required(request):
    """The page in front of organisations and applications while the address is not
    verified (regionet.accounts.verification): what to do, and a button to get a new link."""
    return render(
        request,
        "accounts/verify_email_required.html",
        {"email": request.user.email, "next": request.get_full_path()},
        status=403,
    )


class SendVerificationView(LoginRequiredMixin, View):
    """Sends the verification link again and returns to the page that asked for it.

    allauth sends it (at most once in three minutes an address) and says so in a message.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(
            "accounts.act_for_organisations"
        ) and not send_verification_email_for_user(request, request.user):
            messages.info(
                request,
                _(
                    "A link was sent to %(email)s a moment ago. Look for it in your inbox, "
                    "and in the spam folder."
                )
                % {"email": request.user.email},
            )
        next_url = request.POST.get("next", "")
        # Only a path of this site: redirect() would read any other word as a view's name.
        if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("portal:dashboard")
        return redirect(next_url)

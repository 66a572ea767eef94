"""Inviting a partner organisation by e-mail, and the invited contact person's answer: one small
view per action (the consortium page links to them).

The coordinator's members invite and withdraw invitations. The invitation's link (its random
``key``) reached the contact person's mailbox; anyone who has it sees whom it is for, and a
visitor who signs up after opening it gets that address verified (as with invitations to an
organisation). Only a user with the invited address, verified, answers it: by choosing one of
their organisations or by registering one here through the accounts door, and then confirms
participation on the usual page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from regionet.accounts import geography
from regionet.accounts.adapter import remember_invited_email
from regionet.accounts.forms import COUNTRY_TEXTS, OrganisationRegistrationForm
from regionet.accounts.models import normalise_email

from . import services
from .forms import InvitePartnerForm, JoinAsOrganisationForm
from .models import PartnerInvitation, Section
from .section_forms import partner_section_choices
from .views import get_application_for

# --- The coordinator ----------------------------------------------------------------------


def _questionnaire_sections(application) -> list:
    version = application.questionnaire_version
    return list(version.sections.order_by("order", "pk")) if version is not None else []


def _consortium_application(request, pk):
    """The application if the user may build its consortium now; 404 otherwise."""
    application = get_application_for(request, pk, "applications.manage_consortium")
    if not services.may_edit(application, request.user, Section.PARTNERS):
        raise Http404
    return application


@login_required
def invite_partner(request, pk):
    application = _consortium_application(request, pk)
    form = InvitePartnerForm(
        request.POST if request.method == "POST" else None,
        application=application,
        section_choices=partner_section_choices(_questionnaire_sections(application)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite_partner_by_email(
                application,
                organisation_name=data["organisation_name"],
                email=data["email"],
                country=data["country"],
                business_id=data["business_id"],
                role=data["role"],
                tasks=data["tasks"],
                editable=data["editable_sections"],
                by=request.user,
            )
        except services.NotAllowed:
            raise Http404 from None
        except services.ApplicationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                gettext("An invitation to %(organisation)s has been sent to %(email)s.")
                % {"organisation": invitation.organisation_name, "email": invitation.email},
            )
            return redirect("applications:partners", pk=application.pk)
    return render(
        request,
        "applications/partners/invite.html",
        {
            "application": application,
            "programme": application.phase.call.programme,
            "title": gettext("Invite a partner organisation by e-mail"),
            "editable": True,
            "form": form,
        },
        status=409 if form.non_field_errors() else 200,
    )


@login_required
@require_POST
def withdraw_partner_invitation(request, pk, invitation):
    application = get_application_for(request, pk, "applications.manage_consortium")
    # By its id: the key is the invited mailbox's alone, never shown to the coordinator
    # (opening the link proves the address to a sign-up that follows it).
    invitation = get_object_or_404(PartnerInvitation, pk=invitation, application=application)
    try:
        services.withdraw_partner_invitation(invitation, by=request.user)
    except services.NotAllowed:
        raise Http404 from None
    except services.ApplicationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The invitation to %(email)s has been withdrawn.")
            % {"email": invitation.email},
        )
    return redirect("applications:partners", pk=application.pk)


# --- The invited contact person -----------------------------------------------------------


def _invitation(key) -> PartnerInvitation:
    return get_object_or_404(
        PartnerInvitation.objects.select_related(
            "application__phase__call__programme",
            "application__coordinator",
            "country",
            "partner",
        ),
        key=key,
    )


def _answer_page(request, invitation, *, join_form=None, status=200):
    """The invitation: whom it is for and, for its addressee, how to answer it."""
    user = request.user if request.user.is_authenticated else None
    now = timezone.now()
    context = {
        "invitation": invitation,
        "application": invitation.application,
        "programme": invitation.application.phase.call.programme,
        "is_pending": invitation.is_pending(now),
    }
    if user is None:
        if invitation.is_pending(now):
            # The link reached the invited mailbox: a sign-up that follows is verified.
            remember_invited_email(request, invitation.email)
        return render(request, "applications/partners/invitation.html", context, status=status)
    problems = services.partner_invitation_problems(invitation, user, now)
    partner = invitation.partner
    if (
        invitation.state == PartnerInvitation.State.ACCEPTED
        and partner is not None
        and partner.organisation.memberships.filter(user=user).exists()
    ):
        # Answered already by (a colleague of) this user: the next step is confirming.
        return redirect("applications:confirm_partner", pk=partner.pk)
    organisations = [] if problems else services.organisations_to_join_with(invitation, user)
    registered = services.invited_organisation(invitation)
    context.update(
        problems=problems,
        wrong_address=normalise_email(invitation.email) != normalise_email(user.email),
        organisations=organisations,
        join_form=join_form or JoinAsOrganisationForm(organisations=organisations),
        registered=registered,
        register_choices=[] if registered else _register_choices(),
    )
    return render(
        request,
        "applications/partners/invitation.html",
        context,
        status=403 if problems and status == 200 else status,
    )


def _register_choices() -> list:
    """(country, "A Finnish organisation, with a business ID (Y-tunnus)") per country."""
    return [
        (country, COUNTRY_TEXTS[country.code]["choice"])
        for country in geography.registrable_countries()
    ]


@never_cache  # it names the invited address and the coordinator, signed in or not
def partner_invitation(request, key):
    return _answer_page(request, _invitation(key))


@require_POST
def join_partner_invitation(request, key):
    invitation = _invitation(key)
    if not request.user.is_authenticated:
        return redirect_to_login(invitation_path(invitation))
    organisations = services.organisations_to_join_with(invitation, request.user)
    form = JoinAsOrganisationForm(request.POST, organisations=organisations)
    if not form.is_valid():
        return _answer_page(request, invitation, join_form=form, status=400)
    try:
        partner = services.accept_partner_invitation(
            invitation, form.cleaned_data["organisation"], by=request.user
        )
    except services.ApplicationError as error:
        for message in error.messages:
            form.add_error(None, message)
        status = 403 if isinstance(error, services.NotAllowed) else 409
        return _answer_page(request, invitation, join_form=form, status=status)
    return _joined(request, partner)


def _joined(request, partner):
    messages.success(
        request,
        gettext(
            "%(organisation)s is now in the consortium. Confirm its participation with the "
            "letter of commitment below."
        )
        % {"organisation": partner.organisation},
    )
    return redirect("applications:confirm_partner", pk=partner.pk)


def invitation_path(invitation) -> str:
    return reverse("applications:partner_invitation", kwargs={"key": invitation.key})


def register_invited_organisation(request, key, country):
    """Register the invited organisation (the accounts app's form and door) and join with it."""
    invitation = _invitation(key)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    country = geography.registrable_countries().filter(code=country.upper()).first()
    if country is None:
        raise Http404
    # A POST is checked by the door, under its locks: a refusal keeps what was typed.
    refused = request.method != "POST" and services.partner_invitation_problems(
        invitation, request.user
    )
    if refused or services.invited_organisation(invitation) is not None:
        # Nothing to register here: the invitation page says why, or which one to choose.
        return redirect("applications:partner_invitation", key=invitation.key)
    initial = {}
    if country.pk == invitation.country_id:
        initial = {
            "name_sv" if country.code == "SE" else "name_fi": invitation.organisation_name,
            "business_id": invitation.business_id,
        }
    form = OrganisationRegistrationForm(
        request.POST if request.method == "POST" else None, country=country, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.join_with_new_organisation(
                invitation, by=request.user, **form.organisation_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 409
        except services.ApplicationError as error:
            for message in error.messages:
                form.add_error(None, message)
            status = 403 if isinstance(error, services.NotAllowed) else 409
        else:
            return _joined(request, partner)
    return render(
        request,
        "applications/partners/register.html",
        {
            "invitation": invitation,
            "application": invitation.application,
            "country": country,
            "title": COUNTRY_TEXTS[country.code]["title"],
            "form": form,
            "other_choices": [
                (other, text) for other, text in _register_choices() if other.pk != country.pk
            ],
        },
        status=status,
    )

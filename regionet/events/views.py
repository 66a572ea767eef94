"""Event pages: upcoming events, an event with its registration form, cancellation by link,
and the organiser's participant export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from . import queries, services
from .forms import RegistrationForm
from .models import Event, Registration

# The session remembers the visitor's last registration, for the page after the form.
SESSION_KEY = "events.registration"


class EventListView(ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"

    def get_queryset(self):
        return queries.upcoming_events(timezone.now())


class EventDetailView(FormView):
    """The event, its seats and the registration form; POST registers."""

    template_name = "events/event_detail.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(queries.public_events(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        problem = services.registration_problem(self.event)
        user = self.request.user
        return super().get_context_data(
            event=self.event,
            registration_problem=(
                services.registration_error(problem, self.event).messages[0] if problem else ""
            ),
            can_export=user.is_authenticated
            and user.has_perm("events.export_participants", self.event),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            registration = services.register(
                self.event, **form.cleaned_data, site_url=self.request.build_absolute_uri("/")
            )
        except services.RegistrationError as error:
            form.add_error("email" if error.code == "duplicate" else None, error)
            return self.form_invalid(form)
        self.request.session[SESSION_KEY] = registration.pk
        return redirect("events:registration_done", pk=self.event.pk)


class RegistrationDoneView(TemplateView):
    """What happened to the registration just made: a seat, or a place on the waiting list."""

    template_name = "events/registration_done.html"

    def get(self, request, *args, **kwargs):
        registration = (
            Registration.objects.select_related("event")
            .filter(pk=request.session.get(SESSION_KEY), event_id=kwargs["pk"])
            .first()
        )
        if registration is None:
            return redirect("events:event_detail", pk=kwargs["pk"])
        return self.render_to_response(
            self.get_context_data(
                registration=registration,
                event=registration.event,
                position=queries.waiting_position(registration),
            )
        )


class CancelRegistrationView(TemplateView):
    """The link in the e-mail: GET asks for confirmation, POST cancels."""

    template_name = "events/registration_cancel.html"

    def get(self, request, *args, **kwargs):
        registration = services.find_registration(kwargs["token"])
        problem = services.cancellation_problem(registration)
        return self.render_page(registration, problem)

    def post(self, request, *args, **kwargs):
        try:
            registration = services.cancel(
                kwargs["token"], site_url=request.build_absolute_uri("/")
            )
        except services.CancellationError as error:
            return self.render_page(services.find_registration(kwargs["token"]), error.code)
        event = registration.event
        messages.success(
            request,
            _("Your registration for %(event)s has been cancelled.") % {"event": event.title},
        )
        if event.is_published:
            return redirect("events:event_detail", pk=event.pk)
        return redirect("events:event_list")

    def render_page(self, registration, problem):
        status = 404 if problem == "invalid" else 200
        context = self.get_context_data(
            registration=registration,
            event=registration.event if registration else None,
            problem=services.CANCELLATION_ERRORS[problem] if problem else "",
            problem_code=problem or "",
        )
        return self.render_to_response(context, status=status)


class ParticipantsExportView(PermissionRequiredMixin, View):
    """The participant list as a CSV file, for the organiser's officers and administrators."""

    permission_required = "events.export_participants"

    def get_permission_object(self):
        if not hasattr(self, "event"):
            self.event = get_object_or_404(
                Event.objects.select_related("organiser"), pk=self.kwargs["pk"]
            )
        return self.event

    def get(self, request, *args, **kwargs):
        content = services.export_participants(self.get_permission_object(), by=request.user)
        name = slugify(_("participants"))
        filename = f"{name}-{self.event.pk}.csv"
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

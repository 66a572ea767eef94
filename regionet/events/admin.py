"""The staff interface of events: funder staff set up the events their funder organises.

Officers and administrators of a funder see and change only their funder's events; every
permission is asked from the rules in ``rules.py``. Publication state is read-only here: the
Publish and Withdraw actions call the doors in ``services.py``. Registrations are shown
read-only: they change only through the registrant's own link. Times are entered and shown
in the event's time zone, so 12.30 means 12.30 where the event is held.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from regionet.programmes.admin_widgets import StaffFormFieldsMixin
from regionet.programmes.models import Programme
from regionet.programmes.queries import funders_managed_by

from . import services
from .models import Event, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["name", "organisation", "email", "language", "state", "created_at", "cancelled_at"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("events.view_event", obj)


def _has_perm(request, permission, obj=None) -> bool:
    return request.user.has_perm(permission, obj)


@admin.register(Event)
class EventAdmin(StaffFormFieldsMixin, TranslationAdmin):
    list_display = ["title", "kind", "organiser", "starts_at", "capacity", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["title_fi", "title_sv", "title_en"]
    list_select_related = ["organiser"]
    date_hierarchy = "starts_at"
    readonly_fields = ["state", "published_at"]
    inlines = [RegistrationInline]
    actions = ["publish", "withdraw"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(organiser__in=funders_managed_by(request.user).values("pk"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organiser":
            kwargs["queryset"] = funders_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return _has_perm(request, "events.use_staff_interface")

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "events.use_staff_interface")
        return _has_perm(request, "events.view_event", obj)

    def has_add_permission(self, request):
        return _has_perm(request, "events.add_event")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "events.use_staff_interface")
        return _has_perm(request, "events.change_event", obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "events.use_staff_interface")
        return _has_perm(request, "events.delete_event", obj)

    def has_publish_permission(self, request):
        return _has_perm(request, "events.use_staff_interface")

    def get_actions(self, request):
        # Deleting in bulk would skip the per-event check that registrations are kept.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another funder's event is simply not there.
        raise Http404

    def time_zone_of(self, request, object_id):
        """The zone the form works in: the one chosen on it, else the event's, else the
        site's."""
        chosen = request.POST.get("time_zone")
        if chosen in Programme.TimeZone.values:
            return chosen
        event = self.get_object(request, object_id) if object_id else None
        return event.time_zone if event else timezone.get_default_timezone_name()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self.time_zone_of(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while the zone is active: the form shows its times at rendering.
            if hasattr(response, "render"):
                response.render()
            return response

    def _run_door(self, request, queryset, door, done):
        for event in queryset:
            try:
                door(event, by=request.user)
            except PermissionDenied:
                message = gettext("You may not change the publication of '%(object)s'.")
                self.message_user(request, message % {"object": event}, messages.ERROR)
            except ValidationError as refusal:
                for reason in refusal.messages:
                    self.message_user(request, reason, messages.ERROR)
            else:
                self.message_user(request, done % {"object": event}, messages.SUCCESS)

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        self._run_door(
            request, queryset, services.publish_event, gettext("Published: '%(object)s'.")
        )

    @admin.action(description=_("Withdraw publication"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._run_door(
            request,
            queryset,
            services.withdraw_event,
            gettext("Publication withdrawn: '%(object)s'."),
        )

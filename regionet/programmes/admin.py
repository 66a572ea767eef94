"""The staff interface of programmes: funder staff configure programmes, calls, phases and criteria.

Officers and administrators of a funder see and change only their funder's programmes
(``queries.*_managed_by``); every permission is asked from the rules in ``rules.py``.
Publication state is read-only here: the Publish and Withdraw actions and buttons call the
doors in ``services.py`` and show every reason they refuse. Dates and times are entered and
shown in the programme's time zone, so 16.15 means 16.15 where the programme runs.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from regionet.accounts.models import Organisation
from regionet.ids import parse_id
from regionet.places.models import Municipality, Region

from . import queries, services
from .admin_widgets import StaffFormFieldsMixin, related_as_text
from .deadlines import format_deadline
from .models import (
    LANGUAGE_CHOICES,
    AssessmentThreshold,
    Call,
    CallContact,
    Criterion,
    Earmark,
    Instrument,
    Phase,
    Programme,
    Theme,
    YearlyBudget,
    Zone,
)
from .money import format_money
from .texts import missing_translations


def _has_perm(request, permission, obj=None) -> bool:
    return request.user.has_perm(permission, obj)


def _is_id(value) -> bool:
    # Not str.isdigit(): "²" and "١٢٣" are digits to it, and the lookup then a server error.
    return isinstance(value, str) and parse_id(value) is not None


class FunderScopedAdmin(StaffFormFieldsMixin, TranslationAdmin):
    """A top-level admin limited to the programmes of the user's funders."""

    def get_queryset(self, request):
        managed = self.managed_queryset(request.user)
        return super().get_queryset(request).filter(pk__in=managed.values("pk"))

    def managed_queryset(self, user):
        raise NotImplementedError

    def has_module_permission(self, request):
        return _has_perm(request, "programmes.use_staff_interface")

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "programmes.use_staff_interface")
        return _has_perm(request, "programmes.manage_programme", obj)

    def has_add_permission(self, request):
        return _has_perm(request, f"programmes.add_{self.opts.model_name}")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "programmes.use_staff_interface")
        return _has_perm(request, f"programmes.change_{self.opts.model_name}", obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "programmes.use_staff_interface")
        return _has_perm(request, f"programmes.delete_{self.opts.model_name}", obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another funder's object is simply not there: 404 rather than a redirect that
        # suggests it was deleted.
        raise Http404

    def get_actions(self, request):
        # Deleting in bulk would skip the per-object check that published ones stay.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- Time zone: entered and shown in the programme's --------------------------------

    def time_zone_of(self, request, object_id):
        """The time zone the change page works in (the programme's)."""
        raise NotImplementedError

    def zone_through_programme(self, request, object_id, *, own, parent, parent_lookup):
        """The zone of the programme that the object (by ``own``), or the parent chosen in the
        form (field ``parent``, by ``parent_lookup``), belongs to."""
        programmes = queries.programmes_managed_by(request.user)
        chosen = request.POST.get(parent) or request.GET.get(parent)
        if _is_id(object_id):
            programmes = programmes.filter(**{own: unquote(object_id)})
        elif _is_id(chosen):
            programmes = programmes.filter(**{parent_lookup: chosen})
        else:
            return self.default_time_zone(request)
        zone = programmes.values_list("time_zone", flat=True).first()
        return zone or self.default_time_zone(request)

    def default_time_zone(self, request):
        """Before a programme is chosen: that of the user's funder's country, if only one."""
        zones = set(
            queries.funders_managed_by(request.user).values_list("country__time_zone", flat=True)
        )
        return zones.pop() if len(zones) == 1 else timezone.get_default_timezone_name()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with timezone.override(self.time_zone_of(request, object_id)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while the zone is active: the form shows its times at rendering.
            if hasattr(response, "render"):
                response.render()
            return response


class PublishableAdmin(FunderScopedAdmin):
    """A funder-scoped admin whose objects are published and withdrawn through the doors."""

    publish_door = None
    unpublish_door = None

    def has_publish_permission(self, request):
        return _has_perm(request, "programmes.use_staff_interface")

    def _run_door(self, request, objects, door, done_message, refused_message):
        for obj in objects:
            try:
                door(obj, by=request.user)
            except PermissionDenied:
                message = gettext("You may not change the publication of '%(object)s'.")
                messages.error(request, message % {"object": obj})
            except services.PublishRefused as refusal:
                for reason in refusal.reasons:
                    messages.error(request, refused_message % {"object": obj, "reason": reason})
            else:
                messages.success(request, done_message % {"object": obj})

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        self._run_door(
            request,
            queryset,
            self.publish_door,
            gettext("Published: '%(object)s'."),
            gettext("'%(object)s' was not published: %(reason)s."),
        )

    @admin.action(description=_("Withdraw publication"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run_door(
            request,
            queryset,
            self.unpublish_door,
            gettext("Publication withdrawn: '%(object)s'."),
            gettext("The publication of '%(object)s' was not withdrawn: %(reason)s."),
        )

    actions = ["publish", "unpublish"]

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publish/",
                view(self.publish_view),
                name=f"{name}_publish",
            ),
            path(
                "<path:object_id>/unpublish/",
                view(self.unpublish_view),
                name=f"{name}_unpublish",
            ),
            *super().get_urls(),
        ]

    def _door_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        action(request, [obj])
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        return redirect(reverse(change, args=[obj.pk], current_app=self.admin_site.name))

    def publish_view(self, request, object_id):
        return self._door_view(request, object_id, lambda r, objs: self.publish(r, objs))

    def unpublish_view(self, request, object_id):
        return self._door_view(request, object_id, lambda r, objs: self.unpublish(r, objs))

    @admin.display(description=_("ready to publish?"))
    def publication_check(self, obj):
        if obj is None or obj.pk is None:
            return ""
        if obj.is_published:
            return _("Published.")
        problems = self.problems(obj)
        if not problems:
            return _("Yes: nothing stands in the way.")
        return format_html(
            "{}<ul>{}</ul>",
            _("Not yet:"),
            format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
        )

    def problems(self, obj):
        raise NotImplementedError


class ParentScopedInline(StaffFormFieldsMixin):
    """An inline that may change what its parent (programme, call or phase) lets change."""

    def _parent_perm(self, request, obj, action="change"):
        if obj is None:
            return _has_perm(request, f"programmes.add_{self.parent_model._meta.model_name}")
        return _has_perm(request, f"programmes.{action}_{obj._meta.model_name}", obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "programmes.use_staff_interface")
        return _has_perm(request, "programmes.manage_programme", obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_perm(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_perm(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_perm(request, obj)


# --- Programme ----------------------------------------------------------------------------


def _places_scope(request, programme):
    """The year and countries whose places a programme's zones and towns are chosen from:
    its first year and its funder's country (a new one: this year, the user's funders')."""
    if programme is not None:
        return programme.first_year, [programme.funder.country_id]
    countries = queries.funders_managed_by(request.user).values("country")
    return timezone.localdate().year, countries


class YearlyBudgetInline(ParentScopedInline, admin.TabularInline):
    model = YearlyBudget
    fields = ["year", "amount"]
    extra = 0


class EarmarkInline(ParentScopedInline, TranslationStackedInline):
    model = Earmark
    fields = ["code", "name", "rule_description", "amount", "regional_towns_only"]
    extra = 0


class ThemeInline(ParentScopedInline, TranslationTabularInline):
    model = Theme
    fields = ["order", "code", "name", "description"]
    extra = 0


class ZoneInline(ParentScopedInline, TranslationStackedInline):
    model = Zone
    fields = ["order", "code", "name", "description", "regions", "municipalities"]
    filter_horizontal = ["regions", "municipalities"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        year, countries = _places_scope(request, obj)
        fields = formset.form.base_fields
        if "regions" in fields:
            fields["regions"].queryset = Region.objects.valid_in(year).filter(country__in=countries)
        if "municipalities" in fields:
            fields["municipalities"].queryset = Municipality.objects.valid_in(year).filter(
                country__in=countries
            )
        return formset


def _funder_text(field: str) -> str:
    return "funder_text" if field == "funder" else field


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = ["name", "funder", "years", "total_budget_display", "state"]
    list_select_related = ["funder"]
    list_filter = ["state"]
    search_fields = ["slug", "name_fi", "name_sv", "name_en"]
    fieldsets = [
        (None, {"fields": ["funder", "slug", "name", "description"]}),
        (
            _("Money"),
            {
                "fields": [
                    "appropriation_code",
                    "appropriation_name",
                    "currency",
                    "total_budget",
                    "max_aid_percent",
                    "min_own_financing_percent",
                ]
            },
        ),
        (_("Years and time"), {"fields": ["first_year", "last_year", "time_zone"]}),
        (_("Legal basis"), {"fields": ["legal_basis"]}),
        (_("Regional towns"), {"fields": ["regional_towns"]}),
        (_("Publication"), {"fields": ["state", "published_at", "publication_check"]}),
    ]
    readonly_fields = ["state", "published_at", "publication_check"]
    filter_horizontal = ["regional_towns"]
    inlines = [YearlyBudgetInline, EarmarkInline, ThemeInline, ZoneInline]
    publish_door = staticmethod(services.publish_programme)
    unpublish_door = staticmethod(services.unpublish_programme)

    def managed_queryset(self, user):
        return queries.programmes_managed_by(user)

    def problems(self, obj):
        return services.programme_problems(obj)

    def time_zone_of(self, request, object_id):
        zone = None
        if _is_id(object_id):
            programmes = queries.programmes_managed_by(request.user).filter(pk=unquote(object_id))
            zone = programmes.values_list("time_zone", flat=True).first()
        elif request.POST.get("time_zone") in Programme.TimeZone.values:
            zone = request.POST["time_zone"]
        return zone or self.default_time_zone(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "funder":
            funders = queries.funders_managed_by(request.user)
            kwargs["queryset"] = funders
            if len(funders) == 1:
                kwargs["initial"] = funders[0].pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read only: the funder as text, since Django would link it to the organisation's
        # admin page, which funder staff may not open.
        return [
            (title, {**options, "fields": [_funder_text(f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fields
        return [*fields, "funder_text"]

    funder_text = related_as_text(Programme, "funder")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "regional_towns" in form.base_fields:
            year, countries = _places_scope(request, obj)
            form.base_fields["regional_towns"].queryset = Municipality.objects.valid_in(
                year
            ).filter(country__in=countries)
        return form

    @admin.display(description=_("years"), ordering="first_year")
    def years(self, obj):
        return f"{obj.first_year}–{obj.last_year}"

    @admin.display(description=_("total budget"), ordering="total_budget")
    def total_budget_display(self, obj):
        return format_money(obj.total_budget, obj.currency, get_language())


# --- Call ---------------------------------------------------------------------------------


class InstrumentForm(forms.ModelForm):
    allowed_applicant_types = forms.MultipleChoiceField(
        label=capfirst(_("allowed applicant types")),
        choices=Organisation.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Instrument
        fields = ["allowed_applicant_types", "countries", "earmarks"]
        widgets = {
            "countries": forms.CheckboxSelectMultiple,
            "earmarks": forms.CheckboxSelectMultiple,
        }


class InstrumentInline(ParentScopedInline, TranslationStackedInline):
    model = Instrument
    form = InstrumentForm
    fields = [
        "order",
        "code",
        "kind",
        "name",
        "description",
        "allowed_applicant_types",
        "countries",
        "min_municipalities",
        "min_regions",
        "min_partners",
        "earmarks",
    ]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "earmarks" in formset.form.base_fields:
            # The earmarks of the call's own programme; on a new call, once it is saved.
            earmarks = (
                Earmark.objects.filter(programme=obj.programme) if obj else Earmark.objects.none()
            )
            formset.form.base_fields["earmarks"].queryset = earmarks
        return formset


class PhaseInline(ParentScopedInline, TranslationStackedInline):
    model = Phase
    fields = [
        "order",
        "kind",
        "name",
        "description",
        "opens_at",
        "closes_at",
        "requires_invitation",
        "next_steps",
    ]
    extra = 0


class CallContactForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=capfirst(_("languages served")),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CallContact
        fields = ["languages"]

    def _post_clean(self):
        super()._post_clean()
        call = self.instance.call if self.instance.call_id else None
        if call is not None and call.is_published:
            # The call's page shows the change at once: its texts keep the fi–sv parity that
            # publishing the call asked of them (the same check).
            for message in missing_translations(self.instance):
                self.add_error(None, message)


class CallContactInline(TranslationStackedInline):
    """The call's contact persons: the funder's officers keep them current also while the
    call is published (``programmes.change_callcontact``)."""

    model = CallContact
    form = CallContactForm
    fields = ["order", "name", "role", "email", "phone", "languages"]
    extra = 0

    def _perm(self, request, action, obj):
        if obj is None:
            return _has_perm(request, "programmes.add_call")
        return _has_perm(request, f"programmes.{action}_callcontact", obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return _has_perm(request, "programmes.use_staff_interface")
        return _has_perm(request, "programmes.manage_programme", obj)

    def has_add_permission(self, request, obj=None):
        return self._perm(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._perm(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._perm(request, "delete", obj)


@admin.register(Call)
class CallAdmin(PublishableAdmin):
    list_display = ["name", "programme", "funder", "state"]
    list_select_related = ["programme", "programme__funder"]
    list_filter = ["state"]
    search_fields = ["slug", "name_fi", "name_sv", "name_en"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "programme",
                    "slug",
                    "name",
                    "description",
                    "decision_info",
                    "decisions_expected",
                ]
            },
        ),
        (_("Publication"), {"fields": ["state", "published_at", "publication_check"]}),
    ]
    readonly_fields = ["state", "published_at", "publication_check"]
    inlines = [InstrumentInline, PhaseInline, CallContactInline]
    publish_door = staticmethod(services.publish_call)
    unpublish_door = staticmethod(services.unpublish_call)

    def managed_queryset(self, user):
        return queries.calls_managed_by(user)

    # A published call's own texts, instruments and phases are frozen, but its contact
    # persons change with the funder's staff: the page stays open for their inline, with
    # everything else read-only.

    def _may_change_call(self, request, obj) -> bool:
        return super().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change_call(request, obj) or (
            obj is not None and _has_perm(request, "programmes.change_callcontact", obj)
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self._may_change_call(request, obj):
            return flatten_fieldsets(self.get_fieldsets(request, obj))
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change and not self._may_change_call(request, obj):
            return  # only the contact persons could change
        super().save_model(request, obj, form, change)

    def problems(self, obj):
        return services.call_problems(obj)

    def time_zone_of(self, request, object_id):
        return self.zone_through_programme(
            request, object_id, own="calls__pk", parent="programme", parent_lookup="pk"
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = queries.programmes_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("funder"), ordering="programme__funder")
    def funder(self, obj):
        return obj.programme.funder


# --- Phase and its criteria ---------------------------------------------------------------


class PhaseInstrumentInline(ParentScopedInline):
    """Rows of a phase for one of its call's instruments; added once the phase is saved."""

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "instrument" in formset.form.base_fields:
            instruments = (
                Instrument.objects.filter(call=obj.call) if obj else Instrument.objects.none()
            )
            formset.form.base_fields["instrument"].queryset = instruments
        return formset


class CriterionInline(PhaseInstrumentInline, TranslationStackedInline):
    model = Criterion
    fields = ["instrument", "order", "kind", "name", "description", "weight", "threshold"]
    extra = 0


class AssessmentThresholdInline(PhaseInstrumentInline, admin.TabularInline):
    model = AssessmentThreshold
    fields = ["instrument", "overall_threshold"]
    extra = 0


@admin.register(Phase)
class PhaseAdmin(FunderScopedAdmin):
    """Phases with their assessment criteria and overall thresholds per instrument."""

    list_display = ["name", "call", "kind", "opens", "closes"]
    list_select_related = ["call", "call__programme"]
    list_filter = ["kind"]
    search_fields = ["name_fi", "name_sv", "name_en", "call__slug"]
    fields = [
        "call",
        "order",
        "kind",
        "name",
        "description",
        "opens_at",
        "closes_at",
        "requires_invitation",
        "next_steps",
    ]
    inlines = [CriterionInline, AssessmentThresholdInline]

    def managed_queryset(self, user):
        return queries.phases_managed_by(user)

    def time_zone_of(self, request, object_id):
        return self.zone_through_programme(
            request, object_id, own="calls__phases__pk", parent="call", parent_lookup="calls__pk"
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "call":
            kwargs["queryset"] = queries.calls_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("opens at"), ordering="opens_at")
    def opens(self, obj):
        return format_deadline(obj.opens_at, obj.call.programme.time_zone)

    @admin.display(description=_("closes at"), ordering="closes_at")
    def closes(self, obj):
        return format_deadline(obj.closes_at, obj.call.programme.time_zone)

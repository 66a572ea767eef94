"""The staff interface of questionnaires: Django's admin, translated and limited per funder.

Programme officers and administrators of a funder see and edit only that funder's
questionnaires. A published (frozen) version is shown read-only with a button that makes a
new draft version; a draft has a button that publishes it. Questions are edited inline on
their version's page; choices and table columns on the question's own page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from regionet.programmes.admin_widgets import StaffFormFieldsMixin, related_as_text
from regionet.programmes.models import Instrument, Phase
from regionet.programmes.queries import funders_managed_by, managed_funder_ids

from . import services
from .models import Choice, Question, Questionnaire, QuestionnaireUse, QuestionnaireVersion, Section
from .queries import questionnaires_for_staff

QUESTION_FIELDS = [
    "order",
    "key",
    "kind",
    "label",
    "help_text",
    "required",
    "visibility",
    "max_length",
    "min_value",
    "max_value",
]


def _questionnaire_of(obj):
    """The questionnaire whose permission decides about ``obj``."""
    if obj is None or isinstance(obj, Questionnaire):
        return obj
    if isinstance(obj, QuestionnaireVersion | QuestionnaireUse):
        return obj.questionnaire
    if isinstance(obj, Question | Section):
        return obj.version.questionnaire
    return obj.question.version.questionnaire


def _version_of(obj):
    if obj is None or isinstance(obj, QuestionnaireVersion):
        return obj
    return obj.version


def _may(request, action, obj=None):
    return request.user.has_perm(f"questionnaires.{action}_questionnaire", _questionnaire_of(obj))


class FunderScopedAdmin(StaffFormFieldsMixin, admin.ModelAdmin):
    """Lists only the funders' own objects; other objects are "not found" (404)."""

    funder_path = "funder"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.funder_path}__in": managed_funder_ids(request.user)})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(gettext("No such object, or it belongs to another funder."))
        return obj

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk deletion would skip the guards of published versions.
        actions.pop("delete_selected", None)
        return actions

    def has_view_permission(self, request, obj=None):
        return _may(request, "view", obj)

    def has_add_permission(self, request):
        return _may(request, "add")

    def has_change_permission(self, request, obj=None):
        return _may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return _may(request, "delete", obj)


class DraftOnlyInlineMixin:
    """Inlines of a version or question: read-only once the version is published."""

    def _editable(self, request, obj):
        version = _version_of(obj)
        return _may(request, "change", obj) and (version is None or not version.is_frozen)

    def has_view_permission(self, request, obj=None):
        return _may(request, "view", obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


class UniqueKeysFormSet(BaseInlineFormSet):
    """Refuses two questions (or columns) with the same key in one submission."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            key = form.cleaned_data.get("key")
            if key in seen:
                form.add_error(
                    "key", gettext("Two questions have the key “%(key)s”.") % {"key": key}
                )
            seen.add(key)


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    fields = ["number", "state", "created_at", "frozen_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    @admin.display(description=_("state"))
    def state(self, obj):
        return _state(obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _may(request, "view", obj)


def _state(version):
    return gettext("published") if version.is_frozen else gettext("draft")


@admin.register(Questionnaire)
class QuestionnaireAdmin(FunderScopedAdmin, TranslationAdmin):
    list_display = ["name", "code", "funder", "purpose", "latest_version", "draft"]
    list_filter = ["purpose", ("funder", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]
    fields = ["funder", "code", "name", "description", "purpose"]
    inlines = [VersionInline]
    actions = ["make_new_version"]

    def get_queryset(self, request):
        return questionnaires_for_staff(request.user)

    def get_fields(self, request, obj=None):
        # A questionnaire never moves to another funder: shown as text, since Django would
        # link it to the organisation's admin page, which funder staff may not open.
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        return ["funder_name" if name == "funder" else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        return ["funder_name"] if obj is not None else []

    funder_name = related_as_text(Questionnaire, "funder")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "funder":
            kwargs["queryset"] = funders_managed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.versions.filter(frozen_at__isnull=False).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("latest version"), ordering="latest_version")
    def latest_version(self, obj):
        return obj.latest_version

    @admin.display(description=_("draft"), boolean=True)
    def draft(self, obj):
        return obj.draft_number is not None

    def save_model(self, request, obj, form, change):
        if not change and not request.user.has_perm("questionnaires.add_questionnaire", obj.funder):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if not change:
            services.edit_version(obj, by=request.user)

    @admin.action(description=_("Make a new draft version"), permissions=["change"])
    def make_new_version(self, request, queryset):
        for questionnaire in queryset:
            services.edit_version(questionnaire, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d questionnaire has a draft version to edit.",
                "%(count)d questionnaires have a draft version to edit.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class SectionInline(DraftOnlyInlineMixin, TranslationStackedInline):
    model = Section
    fields = ["order", "title", "help_text"]
    extra = 0


class QuestionInline(DraftOnlyInlineMixin, TranslationStackedInline):
    model = Question
    fk_name = "version"
    formset = UniqueKeysFormSet
    fields = ["section", *QUESTION_FIELDS]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(table__isnull=True)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if "section" in formset.form.base_fields:
            formset.form.base_fields["section"].queryset = (
                Section.objects.filter(version=obj) if obj else Section.objects.none()
            )
        return formset


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(FunderScopedAdmin):
    funder_path = "questionnaire__funder"
    list_display = ["__str__", "number", "state", "frozen_at"]
    list_select_related = ["questionnaire"]
    list_filter = [("questionnaire", admin.RelatedOnlyFieldListFilter)]
    fields = [
        "questionnaire",
        "number",
        "state",
        "created_from",
        "created_at",
        "frozen_at",
        "frozen_by_name",
    ]
    readonly_fields = fields
    inlines = [SectionInline, QuestionInline]

    @admin.display(description=_("state"))
    def state(self, obj):
        return _state(obj)

    frozen_by_name = related_as_text(
        QuestionnaireVersion, "frozen_by", lambda user: user.full_name or user.email
    )

    def has_add_permission(self, request):
        # Versions are made by services.edit_version ("Make a new version").
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="{}_{}_new_version".format(*info),
            ),
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "may_edit": _may(request, "change", version),
            "publication_problems": (
                [] if version.is_frozen else services.publication_problems(version)
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _version_for_post(self, request, object_id):
        if request.method != "POST":
            return None
        version = self.get_object(request, object_id)
        if not _may(request, "change", version):
            raise PermissionDenied
        return version

    def _change_url(self, version):
        return reverse("admin:questionnaires_questionnaireversion_change", args=[version.pk])

    def new_version_view(self, request, object_id):
        version = self._version_for_post(request, object_id)
        if version is None:
            return HttpResponseNotAllowed(["POST"])
        draft = services.edit_version(version.questionnaire, by=request.user)
        self.message_user(
            request,
            gettext("Version %(number)s is a draft: edit it here.") % {"number": draft.number},
            messages.SUCCESS,
        )
        return redirect(self._change_url(draft))

    def publish_view(self, request, object_id):
        version = self._version_for_post(request, object_id)
        if version is None:
            return HttpResponseNotAllowed(["POST"])
        try:
            services.freeze_version(version, by=request.user, now=timezone.now())
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("Version %(number)s is published and can no longer change.")
                % {"number": version.number},
                messages.SUCCESS,
            )
        return redirect(self._change_url(version))


class ChoiceInline(DraftOnlyInlineMixin, TranslationTabularInline):
    model = Choice
    fields = ["order", "value", "label"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is None or obj.choices.exists() else 2


class ColumnInline(DraftOnlyInlineMixin, TranslationStackedInline):
    model = Question
    fk_name = "table"
    formset = UniqueKeysFormSet
    fields = QUESTION_FIELDS
    extra = 0
    show_change_link = True
    verbose_name = _("column")
    verbose_name_plural = _("columns")

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [
                (value, label)
                for value, label in Question.Kind.choices
                if value in Question.COLUMN_KINDS
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(FunderScopedAdmin, TranslationAdmin):
    """A question's own page: its choices, or a table's columns. Not in the admin index."""

    funder_path = "version__questionnaire__funder"
    list_display = ["key", "label", "kind", "version"]
    list_select_related = ["version__questionnaire"]
    search_fields = ["key", "label_fi", "label_sv", "label_en"]

    def get_model_perms(self, request):
        return {}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__questionnaire", "table")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_column:
            return ["version", "table", *QUESTION_FIELDS]
        return ["version", "section", *QUESTION_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "table"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "section" in form.base_fields:
            form.base_fields["section"].queryset = (
                Section.objects.filter(version_id=obj.version_id) if obj else Section.objects.none()
            )
        if obj is not None and obj.is_column and "kind" in form.base_fields:
            form.base_fields["kind"].choices = [
                (value, label)
                for value, label in Question.Kind.choices
                if value in Question.COLUMN_KINDS
            ]
        return form

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        if obj.kind in Question.CHOICE_KINDS:
            return [ChoiceInline]
        if obj.kind == Question.Kind.TABLE:
            return [ColumnInline]
        return []

    def has_add_permission(self, request):
        # Questions are added on their version's page, columns on their table's page.
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.version.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.version.is_frozen)

    def _back_to_version(self, obj):
        if obj.is_column:
            return redirect(reverse("admin:questionnaires_question_change", args=[obj.table_id]))
        return redirect(
            reverse("admin:questionnaires_questionnaireversion_change", args=[obj.version_id])
        )

    def response_post_save_change(self, request, obj):
        return self._back_to_version(obj)

    def response_delete(self, request, obj_display, obj_id):
        return redirect(reverse("admin:questionnaires_questionnaireversion_changelist"))


@admin.register(QuestionnaireUse)
class QuestionnaireUseAdmin(FunderScopedAdmin):
    funder_path = "questionnaire__funder"
    list_display = ["phase", "instrument", "questionnaire"]
    list_select_related = ["phase", "instrument", "questionnaire"]
    fields = ["phase", "instrument", "questionnaire"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        querysets = {
            "questionnaire": Questionnaire.objects.filter(
                purpose=Questionnaire.Purpose.APPLICATION
            ),
            "phase": Phase.objects.select_related("call"),
            "instrument": Instrument.objects.select_related("call"),
        }
        paths = {
            "questionnaire": "funder",
            "phase": "call__programme__funder",
            "instrument": "call__programme__funder",
        }
        if db_field.name in querysets:
            kwargs["queryset"] = querysets[db_field.name].filter(
                **{f"{paths[db_field.name]}__in": managed_funder_ids(request.user)}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

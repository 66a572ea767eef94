"""Admin for users, organisations, memberships, invitations and funder roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .forms import OrganisationAdminForm
from .models import FunderRole, Invitation, Membership, Organisation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal details"), {"fields": ["full_name", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class ReadOnlyMemberships:
    """Memberships are shown, never changed, in the admin: a member reads the organisation's
    drafts, so joining goes through the organisation's invitations and its audit trail (a
    platform administrator made itself a member here and read an applicant's draft)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyMemberships, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "type", "country", "business_id", "is_funder"]
    list_filter = ["country", "type", "is_funder"]
    search_fields = ["name_fi", "name_sv", "name_en", "business_id"]
    list_select_related = ["country"]
    raw_id_fields = ["home_municipality", "municipality"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyMemberships, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name_fi", "organisation__name_sv"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["organisation"]
    search_fields = ["email"]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
        "revoked_by",
    ]

    def has_add_permission(self, request):
        # Invitations carry a secret e-mailed to the invitee: only the service creates them.
        return False


@admin.register(FunderRole)
class FunderRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "funder", "role", "created_at"]
    list_filter = ["role", "funder"]
    search_fields = ["user__email"]
    list_select_related = ["user", "funder"]
    autocomplete_fields = ["user", "funder"]

"""The staff interface: Django's admin, open to funders' staff as well as to superusers.

A programme officer or an administrator of a funder reaches the admin by that role; what
each of them may see and change there is decided per object by the rules permissions of
the apps (see each app's admin.py and rules.py).

Signing in happens on the site's own page (allauth), never on Django's admin login, which
would take a password alone: no second factor and no login throttle.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RegionetAdminSite(admin.AdminSite):
    site_header = _("Regionet staff interface")
    site_title = _("Regionet staff interface")
    index_title = _("Configuration")

    def has_permission(self, request):
        """Django's staff status, or configuring programmes (a funder's officer or
        administrator, or the platform administrator): the rules name both."""
        from regionet.accounts.rules import is_admin_site_user
        from regionet.programmes.rules import configures_any_funder

        return request.user.is_active and (is_admin_site_user | configures_any_funder).test(
            request.user
        )

    def login(self, request, extra_context=None):
        """To the site's sign-in (password, then the authenticator's code), back here after;
        a signed-in user without the rights is refused rather than asked to sign in again."""
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.POST.get("next") or request.GET.get("next")
        return redirect_to_login(next_url or reverse("admin:index", current_app=self.name))

"""System checks for the accounts app's assumptions about the project settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def allauth_templates_are_overridden(app_configs, **kwargs):
    """Our allauth templates (site layout, accessible fields) win only if we come first."""
    apps = list(settings.INSTALLED_APPS)
    ours = "regionet.accounts"
    theirs = [name for name in ("allauth", "allauth.account", "allauth.mfa") if name in apps]
    if ours in apps and theirs and apps.index(ours) > min(apps.index(name) for name in theirs):
        return [
            Warning(
                "regionet.accounts comes after allauth in INSTALLED_APPS, so allauth's own "
                "templates shadow the overrides in regionet/accounts/templates/allauth/ and "
                "the sign-in, sign-up and MFA pages do not use the site layout.",
                hint='Move "regionet.accounts" above "allauth" in INSTALLED_APPS.',
                id="accounts.W001",
            )
        ]
    return []

"""URL configuration: every page lives under a language prefix (/fi/, /sv/, /en/)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from regionet.accounts import session_limits

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", include("regionet.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("session/keep-alive/", session_limits.keep_alive, name="session_keep_alive"),
    path("organisations/", include("regionet.accounts.urls")),
    path("places/", include("regionet.places.urls")),
    path("events/", include("regionet.events.urls")),
    path("notifications/", include("regionet.notifications.urls")),
    path("programmes/", include("regionet.portal.programme_urls")),
    path("applications/", include("regionet.applications.urls")),
    path("workspace/", include("regionet.applications.workspace_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

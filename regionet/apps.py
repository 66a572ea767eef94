"""Project-level app configuration."""

from django.contrib.admin.apps import AdminConfig


class RegionetAdminConfig(AdminConfig):
    """Django's admin with Regionet's site, which funders' staff may enter."""

    default_site = "regionet.admin.RegionetAdminSite"

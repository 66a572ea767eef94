"""The programme officers' workspace: applications of a call and phase."""

from django.urls import path

from . import workspace_views

app_name = "workspace"

urlpatterns = [
    path("", workspace_views.index, name="index"),
    path("phases/<int:pk>/", workspace_views.phase_applications, name="phase"),
    path("phases/<int:pk>/bulk/", workspace_views.bulk_action, name="bulk_action"),
    path("phases/<int:pk>/exports/", workspace_views.create_export, name="create_export"),
    path("phases/<int:pk>/drafts/", workspace_views.drafts, name="drafts"),
    path("exports/<uuid:pk>/", workspace_views.export_detail, name="export"),
    path("exports/<uuid:pk>/download/", workspace_views.export_download, name="export_download"),
    path("applications/<int:pk>/", workspace_views.application_detail, name="application"),
    path(
        "applications/<int:pk>/completion/",
        workspace_views.request_completion,
        name="request_completion",
    ),
    path(
        "applications/<int:pk>/completion/close/",
        workspace_views.close_completion,
        name="close_completion",
    ),
    path(
        "applications/<int:pk>/versions/<int:number>/attachments/<int:attachment>/",
        workspace_views.attachment,
        name="attachment",
    ),
    path("applications/<int:pk>/screening/", workspace_views.screen, name="screen"),
    path(
        "applications/<int:pk>/late-admission/",
        workspace_views.late_admission,
        name="late_admission",
    ),
]

"""The applicant's pages: applications, their sections, submission and receipts."""

from django.urls import path

from . import partner_views, section_views, views, workspace_views

app_name = "applications"

urlpatterns = [
    path("", views.my_applications, name="list"),
    path("new/<int:call>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/basics/", section_views.basics, name="basics"),
    path("<int:pk>/consortium/", section_views.partners, name="partners"),
    path("<int:pk>/consortium/invite/", partner_views.invite_partner, name="invite_partner"),
    path(
        "<int:pk>/consortium/invitations/<int:invitation>/withdraw/",
        partner_views.withdraw_partner_invitation,
        name="withdraw_partner_invitation",
    ),
    path("<int:pk>/municipalities/", section_views.municipalities, name="municipalities"),
    path("<int:pk>/budget/", section_views.budget, name="budget"),
    path("<int:pk>/financing/", section_views.financing, name="financing"),
    path("<int:pk>/questions/<int:section>/", section_views.answers, name="answers"),
    path("<int:pk>/attachments/", section_views.attachments, name="attachments"),
    path(
        "<int:pk>/attachments/<int:attachment>/download/",
        views.download_attachment,
        name="download_attachment",
    ),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/receipts/<int:number>/", views.receipt, name="receipt"),
    path("<int:pk>/receipts/<int:number>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/versions/", workspace_views.compare_versions, name="compare"),
    path("partners/<int:pk>/confirm/", views.confirm_partner, name="confirm_partner"),
    path(
        "partner-invitations/<uuid:key>/",
        partner_views.partner_invitation,
        name="partner_invitation",
    ),
    path(
        "partner-invitations/<uuid:key>/join/",
        partner_views.join_partner_invitation,
        name="join_partner_invitation",
    ),
    path(
        "partner-invitations/<uuid:key>/register/<str:country>/",
        partner_views.register_invited_organisation,
        name="register_invited_organisation",
    ),
]

"""Organisation pages, under /<language>/organisations/."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("register/", views.RegisterCountryView.as_view(), name="organisation_register_country"),
    path(
        "register/<str:country>/",
        views.RegisterOrganisationView.as_view(),
        name="organisation_register",
    ),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("<int:pk>/invitations/", views.InviteMemberView.as_view(), name="invite_member"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.RevokeInvitationView.as_view(),
        name="revoke_invitation",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.RemoveMemberView.as_view(),
        name="remove_member",
    ),
    path("verify-email/", views.SendVerificationView.as_view(), name="send_verification"),
    path(
        "invitations/<str:token>/",
        views.AcceptInvitationView.as_view(),
        name="invitation_accept",
    ),
]

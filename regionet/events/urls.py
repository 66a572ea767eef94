"""Event pages, under /<language>/events/."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/registered/", views.RegistrationDoneView.as_view(), name="registration_done"),
    path(
        "<int:pk>/participants.csv",
        views.ParticipantsExportView.as_view(),
        name="participants_export",
    ),
    path(
        "cancel/<str:token>/",
        views.CancelRegistrationView.as_view(),
        name="cancel_registration",
    ),
]

"""Notice pages, under /<language>/notifications/."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice_list"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
]

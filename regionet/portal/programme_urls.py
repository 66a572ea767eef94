"""Public pages of programmes and calls, under /<language>/programmes/."""

from django.urls import path

from . import programme_views as views

app_name = "calls"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("<slug:programme>/<slug:call>/", views.call_detail, name="call_detail"),
]

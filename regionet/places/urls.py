"""Public pages of places, under /<language>/places/."""

from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.region_list, name="region_list"),
    path("<str:country>/<str:code>/", views.region_detail, name="region_detail"),
]

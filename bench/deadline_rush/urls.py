"""The project's URLs plus the benchmark's views (under /bench/, no language prefix)."""

from django.urls import path

from regionet.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    *project_urlpatterns,
    path("bench/ping/", views.ping, name="bench_ping"),
    path("bench/pinged/", views.pinged, name="bench_pinged"),
    path("bench/submit/<int:pk>/", views.submit, name="bench_submit"),
]

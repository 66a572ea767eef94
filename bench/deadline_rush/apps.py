"""The benchmark's own app: the ``Ping`` model of the one-insert view."""

from django.apps import AppConfig


class DeadlineRushConfig(AppConfig):
    name = "bench.deadline_rush"
    label = "deadline_rush"
    default_auto_field = "django.db.models.BigAutoField"

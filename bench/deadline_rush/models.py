"""The one row the baseline view inserts per request."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Ping(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user_id} {self.created_at:%H:%M:%S.%f}"

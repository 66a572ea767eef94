"""Settings of the deadline-rush benchmark: the project's production settings (read from the
environment the runner sets) plus the benchmark's one-insert view and its ``Ping`` model.

The runner sets DEBUG=false, DATABASE_URL (the benchmark database), SECRET_KEY, ALLOWED_HOSTS,
EMAIL_URL=memorymail:// (nothing is sent by SMTP) and TASKS_BACKEND (the django-tasks database
backend, so receipts are queued, not rendered and sent, on the request path).
"""

from regionet.settings import *  # noqa: F403
from regionet.settings import DATABASES, INSTALLED_APPS, STORAGES

ROOT_URLCONF = "bench.deadline_rush.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench.deadline_rush"]

# Persistent connections, as a production deployment has them.
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# No collectstatic for a benchmark: plain static storage instead of the manifest one.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

"""The Celery application. Redis is a fast path, never the store of record (ARCHITECTURE.md §5)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lev.settings")

app = Celery("lev")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

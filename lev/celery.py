"""The Celery application. Redis is a fast path, never the store of record (ARCHITECTURE.md §5).

Beat sends four messages: a sweep every minute (claims and runs every due outbox item), a
deadline sweep every minute (writes the reminders and missed terms that are due as outbox items),
a reconcile every five minutes (gives back the items of dead workers, re-sends what is still
pending) and a housekeeping round every five minutes (purges what LEV must not keep, such as
signal drafts older than 24 hours). Each expires before the next one is due, so a worker that was down for an hour does not
find sixty sweeps waiting. No task is ever sent with an ETA or countdown.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lev.settings")

app = Celery("lev")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "lev-jobs-sweep": {"task": "lev.jobs.sweep", "schedule": 60.0, "options": {"expires": 55}},
    "lev-deadlines-sweep": {"task": "lev.deadlines.sweep", "schedule": 60.0, "options": {"expires": 55}},
    "lev-jobs-reconcile": {"task": "lev.jobs.reconcile", "schedule": 300.0, "options": {"expires": 290}},
    "lev-jobs-housekeeping": {
        "task": "lev.jobs.housekeeping",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
}

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "lev.jobs"
    label = "jobs"
    verbose_name = "Jobs"

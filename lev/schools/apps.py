from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "lev.schools"
    label = "schools"
    verbose_name = "Schools"

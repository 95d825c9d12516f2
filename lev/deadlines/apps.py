from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "lev.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"

from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "crisis"
    label = "crisis"
    verbose_name = "Crisis"

from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    label = "communications"
    verbose_name = "Communications"

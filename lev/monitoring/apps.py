from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "lev.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lev.audit"
    label = "audit"
    verbose_name = "Audit"

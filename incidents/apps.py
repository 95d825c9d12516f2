from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from . import chronology
        from .start import register_start_sections

        register_start_sections()
        chronology.register()

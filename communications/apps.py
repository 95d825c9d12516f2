from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "communications"
    label = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        from lev.web.start_providers import register_approval_source

        from . import chronology
        from .start import letters_to_approve

        register_approval_source(letters_to_approve)
        chronology.register()

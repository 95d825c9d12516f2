from django.apps import AppConfig


class MeldcodeConfig(AppConfig):
    name = "meldcode"
    label = "meldcode"
    verbose_name = "Meldcode huiselijk geweld en kindermishandeling"

    def ready(self) -> None:
        from . import links

        links.register()

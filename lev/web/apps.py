from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lev.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from . import checks, start_providers  # noqa: F401

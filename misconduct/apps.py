from django.apps import AppConfig


class MisconductConfig(AppConfig):
    name = "misconduct"
    label = "misconduct"
    verbose_name = "Misconduct by staff and confidant notes"

    def ready(self) -> None:
        from lev.schools.models import Role
        from lev.web.start import provides

        from .start import my_conversations, open_reports

        provides(Role.CONFIDANT)(my_conversations)
        provides(Role.BOARD)(open_reports)

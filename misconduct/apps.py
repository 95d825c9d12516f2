from django.apps import AppConfig


class MisconductConfig(AppConfig):
    name = "misconduct"
    label = "misconduct"
    verbose_name = "Misconduct by staff and confidant notes"

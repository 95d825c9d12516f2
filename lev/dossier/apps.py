from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "lev.dossier"
    label = "dossier"
    verbose_name = "Dossier"

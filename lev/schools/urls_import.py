from django.urls import URLPattern, URLResolver, path

from .importing import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("beheer/import/", views.import_start, name="import_start"),
    path("beheer/import/voorbeeld/", views.import_preview_view, name="import_preview"),
    path("beheer/import/resultaat/", views.import_result, name="import_result"),
    path("beheer/import/vertrokken/", views.import_left, name="import_left"),
]

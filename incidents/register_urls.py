"""URL patterns of the register pages (joined in incidents/urls.py)."""

from django.urls import URLPattern, path

from . import register_views

urlpatterns: list[URLPattern] = [
    path("incidentenregister/", register_views.register, name="register"),
    path("incidentenregister/export.csv", register_views.register_csv_export, name="register_csv"),
    path("incidentenregister/bijlage-11.pdf", register_views.register_pdf, name="register_pdf"),
]

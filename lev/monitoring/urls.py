from django.urls import path

from . import report_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("csv/", views.dashboard_csv, name="dashboard_csv"),
    path("jaarverslag/", report_views.annual_report, name="annual_report"),
]

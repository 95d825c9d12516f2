"""LEV's URLs plus the baseline views the page ratios are measured against."""

from django.urls import include, path

from bench.views import baseline, dashboard_baseline

urlpatterns = [
    path("bench/baseline/<int:school_id>/", baseline, name="bench_baseline"),
    path("bench/dashboard-baseline/<int:board_id>/", dashboard_baseline, name="bench_dashboard_baseline"),
    path("", include("lev.urls")),
]

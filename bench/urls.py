"""LEV's URLs plus the baseline view the page ratios are measured against."""

from django.urls import include, path

from bench.views import baseline

urlpatterns = [
    path("bench/baseline/<int:school_id>/", baseline, name="bench_baseline"),
    path("", include("lev.urls")),
]

"""URL patterns of the flag pages (joined in incidents/urls.py)."""

from django.urls import URLPattern, path

from . import flag_views

urlpatterns: list[URLPattern] = [
    path(
        "incidenten/<int:incident_id>/vlaggensysteem/",
        flag_views.assessment_new,
        name="assessment_new",
    ),
    path(
        "incidenten/<int:incident_id>/vlaggensysteem/<int:assessment_id>/",
        flag_views.assessment_detail,
        name="assessment_detail",
    ),
]

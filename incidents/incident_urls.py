"""URL patterns of the incident pages (joined in incidents/urls.py)."""

from django.urls import URLPattern, path

from . import incident_views as views

urlpatterns: list[URLPattern] = [
    path("incidenten/nieuw/", views.incident_new, name="incident_new"),
    path("incidenten/<int:incident_id>/", views.incident_detail, name="incident_detail"),
    path(
        "incidenten/<int:incident_id>/bijlagen/nieuw/",
        views.incident_attachment_add,
        name="attachment_add",
    ),
    path(
        "incidenten/<int:incident_id>/bijlagen/<int:attachment_id>/",
        views.incident_attachment_download,
        name="attachment_download",
    ),
    path(
        "incidenten/<int:incident_id>/vervolgacties/nieuw/",
        views.incident_followup_add,
        name="followup_add",
    ),
    path(
        "incidenten/<int:incident_id>/vervolgacties/<int:action_id>/gedaan/",
        views.incident_followup_done,
        name="followup_done",
    ),
    path("incidenten/<int:incident_id>/afsluiten/", views.incident_close_view, name="incident_close"),
]

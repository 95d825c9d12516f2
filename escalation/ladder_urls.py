"""URLs of the ladder pages (namespace `escalation`, mounted at /stappenplan/)."""

from django.urls import path

from . import ladder_views as views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("besluiten/", views.board_decisions, name="board_decisions"),
    path("leerling/<int:pupil_id>/", views.pupil_ladder, name="pupil_ladder"),
    path("leerling/<int:pupil_id>/starten/", views.episode_new, name="episode_new"),
    path("leerling/<int:pupil_id>/stap/", views.step_new, name="step_new"),
    path("episode/<int:episode_id>/ernstig-incident/", views.serious_incident, name="serious_incident"),
    path("episode/<int:episode_id>/afsluiten/", views.episode_close, name="episode_close"),
]

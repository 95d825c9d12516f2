"""URLs of crisis management, mounted at /crisis/ (namespace `crisis`). Every part of the crisis
page posts to its own small view and comes back to the page at that part's anchor."""

from django.urls import path

from . import views

app_name = "crisis"

urlpatterns = [
    path("", views.crisis_list_view, name="list"),
    path("nieuw/", views.crisis_new, name="new"),
    path("<int:crisis_id>/", views.crisis_detail, name="detail"),
    path("<int:crisis_id>/acties/<int:action_id>/", views.action_update, name="action_update"),
    path("<int:crisis_id>/plan-van-aanpak/", views.plan_update, name="plan_update"),
    path("<int:crisis_id>/woordvoerder/", views.spokesperson_set, name="spokesperson_set"),
    path("<int:crisis_id>/deelnemers/nieuw/", views.participant_add, name="participant_add"),
    path(
        "<int:crisis_id>/deelnemers/<int:participant_id>/verwijderen/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("<int:crisis_id>/incidenten/koppelen/", views.incidents_add, name="incidents_add"),
    path("<int:crisis_id>/contacten/nieuw/", views.contact_add, name="contact_add"),
    path("<int:crisis_id>/maatregelen/nieuw/", views.measure_add, name="measure_add"),
    path(
        "<int:crisis_id>/maatregelen/<int:measure_id>/evaluatie/",
        views.measure_evaluate,
        name="measure_evaluate",
    ),
    path("<int:crisis_id>/maatregelen/<int:measure_id>/beeindigen/", views.measure_end, name="measure_end"),
    path("<int:crisis_id>/communicatie/nieuw/", views.communication_add, name="communication_add"),
    path("<int:crisis_id>/media/nieuw/", views.media_add, name="media_add"),
    path("<int:crisis_id>/evaluatie/", views.evaluation_save, name="evaluation_save"),
]

"""URLs of the time-out pages (namespace `escalation`, mounted at /stappenplan/): the request form
for a pupil, the time-out's page, and a small POST view per action on it."""

from django.urls import path

from . import timeout_views as views

urlpatterns = [
    path("leerling/<int:pupil_id>/time-out/nieuw/", views.timeout_new, name="timeout_new"),
    path("time-out/<int:time_out_id>/", views.timeout_detail, name="timeout_detail"),
    path("time-out/<int:time_out_id>/goedkeuren/", views.timeout_approve, name="timeout_approve"),
    path("time-out/<int:time_out_id>/afwijzen/", views.timeout_reject, name="timeout_reject"),
    path("time-out/<int:time_out_id>/intrekken/", views.timeout_withdraw, name="timeout_withdraw"),
    path("time-out/<int:time_out_id>/telefoongesprek/", views.timeout_phone, name="timeout_phone"),
    path("time-out/<int:time_out_id>/brief/", views.timeout_letter, name="timeout_letter"),
]

"""URLs of the verwijdering pages (namespace `escalation`, mounted at /stappenplan/): starting one,
the verwijdering page with a small POST view per part, and the board's decision page."""

from django.urls import URLPattern, path

from . import verwijdering_views as views

urlpatterns: list[URLPattern] = [
    path("leerling/<int:pupil_pk>/verwijdering/nieuw/", views.verwijdering_new, name="verwijdering_new"),
    path("verwijdering/<int:pk>/", views.verwijdering_detail, name="verwijdering_detail"),
    path("verwijdering/<int:pk>/rapport/", views.verwijdering_report, name="verwijdering_report"),
    path("verwijdering/<int:pk>/horen/", views.verwijdering_hearing, name="verwijdering_hearing"),
    path("verwijdering/<int:pk>/besluit/", views.verwijdering_decide, name="verwijdering_decide"),
    path("verwijdering/<int:pk>/verzonden/", views.verwijdering_sent, name="verwijdering_sent"),
    path("verwijdering/<int:pk>/brief/", views.verwijdering_letter, name="verwijdering_letter"),
    path("verwijdering/<int:pk>/leerplicht/", views.verwijdering_leerplicht, name="verwijdering_leerplicht"),
    path(
        "verwijdering/<int:pk>/bezwaar/nieuw/",
        views.verwijdering_bezwaar_new,
        name="verwijdering_bezwaar_new",
    ),
    path(
        "verwijdering/bezwaar/<int:pk>/horen/",
        views.verwijdering_bezwaar_hearing,
        name="verwijdering_bezwaar_hearing",
    ),
    path(
        "verwijdering/bezwaar/<int:pk>/brief/",
        views.verwijdering_bezwaar_letter,
        name="verwijdering_bezwaar_letter",
    ),
    path("verwijdering/<int:pk>/gpo/nieuw/", views.verwijdering_gpo_new, name="verwijdering_gpo_new"),
    path(
        "verwijdering/gpo/<int:pk>/verweer/",
        views.verwijdering_gpo_defence,
        name="verwijdering_gpo_defence",
    ),
    path("verwijdering/gpo/<int:pk>/afloop/", views.verwijdering_gpo_end, name="verwijdering_gpo_end"),
    path(
        "verwijdering/<int:pk>/scholen/nieuw/",
        views.verwijdering_approach_new,
        name="verwijdering_approach_new",
    ),
    path(
        "verwijdering/school/<int:pk>/antwoord/",
        views.verwijdering_approach_answer,
        name="verwijdering_approach_answer",
    ),
    path("verwijdering/<int:pk>/definitief/", views.verwijdering_complete, name="verwijdering_complete"),
    path(
        "verwijdering/<int:pk>/uitschrijving/",
        views.verwijdering_deregister,
        name="verwijdering_deregister",
    ),
    path("verwijdering/<int:pk>/intrekken/", views.verwijdering_withdraw, name="verwijdering_withdraw"),
    path("bestuur/verwijdering/<int:pk>/", views.board_verwijdering, name="board_verwijdering"),
    path(
        "bestuur/verwijdering/<int:pk>/besluit/",
        views.board_verwijdering_decide,
        name="board_verwijdering_decide",
    ),
    path(
        "bestuur/verwijdering/bezwaar/<int:pk>/besluit/",
        views.board_bezwaar_decide,
        name="board_bezwaar_decide",
    ),
]

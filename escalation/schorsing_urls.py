"""URLs of the schorsing pages (namespace `escalation`, mounted at /stappenplan/): the school's pages
under `schorsing/`, the board's decision page under `bestuur/schorsing/`. Every part of a page
posts to its own small view and comes back to that part."""

from django.urls import URLPattern, path

from . import schorsing_views as views

urlpatterns: list[URLPattern] = [
    path("leerling/<int:pupil_pk>/schorsing/nieuw/", views.schorsing_new, name="schorsing_new"),
    path("schorsing/<int:pk>/", views.schorsing_detail, name="schorsing_detail"),
    path("schorsing/<int:pk>/intrekken/", views.schorsing_withdraw, name="schorsing_withdraw"),
    path("schorsing/<int:pk>/gesprek/", views.schorsing_conversation, name="schorsing_conversation"),
    path("schorsing/<int:pk>/onderwijs/", views.schorsing_education, name="schorsing_education"),
    path("schorsing/<int:pk>/inspectie/", views.schorsing_inspectie, name="schorsing_inspectie"),
    path("schorsing/<int:pk>/brieven/nieuw/", views.schorsing_letter, name="schorsing_letter"),
    path("schorsing/<int:pk>/beroep/nieuw/", views.schorsing_objection_new, name="schorsing_objection_new"),
    path("bestuur/schorsing/<int:pk>/", views.board_schorsing, name="board_schorsing"),
    path("bestuur/schorsing/<int:pk>/besluit/", views.board_schorsing_decide, name="board_schorsing_decide"),
    path(
        "bestuur/schorsing/<int:pk>/brieven/nieuw/",
        views.board_schorsing_letter,
        name="board_schorsing_letter",
    ),
    path(
        "bestuur/schorsing/<int:pk>/beroep/<int:objection_pk>/horen/",
        views.board_schorsing_hearing,
        name="board_schorsing_hearing",
    ),
    path(
        "bestuur/schorsing/<int:pk>/beroep/<int:objection_pk>/verdagen/",
        views.board_schorsing_extend,
        name="board_schorsing_extend",
    ),
    path(
        "bestuur/schorsing/<int:pk>/beroep/<int:objection_pk>/besluit/",
        views.board_schorsing_objection_decide,
        name="board_schorsing_objection_decide",
    ),
]

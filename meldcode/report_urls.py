"""URLs of the Rapportage Meldcode (namespace `meldcode`, mounted at /meldcode/): the report of a case,
the school's yearly bundle under `bundel/` and the board's anonymised bundle under `bundel/bestuur/`."""

from django.urls import URLPattern, path

from . import report_views as views

urlpatterns: list[URLPattern] = [
    path("<int:case_id>/rapportage/", views.report_edit, name="report_edit"),
    path("bundel/", views.bundle, name="bundle"),
    path("bundel/<int:school_id>/<int:year_id>/pdf/", views.bundle_pdf, name="bundle_pdf"),
    path("bundel/bestuur/", views.board_bundle, name="board_bundle"),
    path(
        "bundel/bestuur/<int:school_id>/<int:year_id>/pdf/", views.board_bundle_pdf, name="board_bundle_pdf"
    ),
]

from django.urls import path

from . import letter_views, views

app_name = "communications"

urlpatterns = [
    path("", letter_views.letter_list, name="letter_list"),
    path("nieuw/", letter_views.letter_new, name="letter_new"),
    path("<int:letter_id>/", letter_views.letter_detail, name="letter_detail"),
    path("<int:letter_id>/bewerken/", letter_views.letter_edit, name="letter_edit"),
    path("<int:letter_id>/indienen/", letter_views.letter_submit, name="letter_submit"),
    path("<int:letter_id>/goedkeuren/", letter_views.letter_approve, name="letter_approve"),
    path("<int:letter_id>/intrekken/", letter_views.letter_withdraw, name="letter_withdraw"),
    path("<int:letter_id>/afschriften/<int:copy_id>/pdf/", letter_views.copy_pdf, name="copy_pdf"),
    path(
        "<int:letter_id>/afschriften/<int:copy_id>/verzending/",
        letter_views.copy_dispatch,
        name="copy_dispatch",
    ),
    path("<int:letter_id>/voortgang/", letter_views.letter_progress, name="letter_progress"),
    path("<int:letter_id>/afdrukbestand/", letter_views.letter_print, name="letter_print"),
    path("<int:letter_id>/per-email/", letter_views.letter_email_all, name="letter_email_all"),
    path("sjablonen/", views.template_list, name="templates"),
    path("sjablonen/<int:board_id>/<slug:kind_code>/", views.template_detail, name="template_detail"),
    path("sjablonen/<int:board_id>/<slug:kind_code>/bewerken/", views.template_edit, name="template_edit"),
    path(
        "sjablonen/<int:board_id>/<slug:kind_code>/versies/<int:version>/beoordelen/",
        views.template_review,
        name="template_review",
    ),
    path(
        "sjablonen/<int:board_id>/<slug:kind_code>/voorbeeld/",
        views.template_preview,
        name="template_preview",
    ),
    path(
        "sjablonen/<int:board_id>/<slug:kind_code>/voorbeeld.pdf",
        views.template_preview_pdf,
        name="template_preview_pdf",
    ),
]

"""URLs of reports of misconduct by staff (WPO 4a) and the vertrouwenspersoon's conversations.

Mounted at the root in lev/urls.py, namespace "misconduct".
"""

from django.urls import path

from . import views

app_name = "misconduct"

urlpatterns = [
    path("wpo4a/", views.report_list, name="wpo4a_list"),
    path("wpo4a/melden/", views.report_new, name="wpo4a_new"),
    path("wpo4a/meldingen/<int:report_id>/", views.report_detail, name="wpo4a_detail"),
    path("wpo4a/meldingen/<int:report_id>/ontvangen/", views.report_receipt, name="wpo4a_receipt"),
    path("wpo4a/meldingen/<int:report_id>/stappen/<slug:code>/", views.report_step, name="wpo4a_step"),
    path("wpo4a/meldingen/<int:report_id>/afsluiten/", views.report_close_view, name="wpo4a_close"),
    path("vertrouwenspersoon/gesprekken/", views.note_list, name="confidant_notes"),
    path("vertrouwenspersoon/gesprekken/nieuw/", views.note_new, name="confidant_note_new"),
    path("vertrouwenspersoon/gesprekken/<int:note_id>/", views.note_detail, name="confidant_note_detail"),
    path(
        "vertrouwenspersoon/gesprekken/<int:note_id>/corrigeren/",
        views.note_correct,
        name="confidant_note_correct",
    ),
    path(
        "vertrouwenspersoon/gesprekken/<int:note_id>/melden/",
        views.note_report,
        name="confidant_note_report",
    ),
]

"""URLs of the Meldcode cases (namespace `meldcode`, mounted at /meldcode/). Ids are integers in the
path, never names."""

from django.urls import URLPattern, path

from . import case_views as views

urlpatterns: list[URLPattern] = [
    path("", views.case_list, name="case_list"),
    path("nieuw/<int:pupil_id>/", views.case_open, name="case_open"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/stap/3/overslaan/", views.conversation_skip, name="conversation_skip"),
    path("<int:case_id>/stap/<int:step>/", views.step_record, name="step_record"),
    path("<int:case_id>/afweging/", views.question_answer, name="question_answer"),
    path("<int:case_id>/melding/", views.melding_record, name="melding_record"),
    path(
        "<int:case_id>/melding/<int:melding_id>/terugkoppeling/",
        views.feedback_record,
        name="feedback_record",
    ),
    path("<int:case_id>/informatieverzoek/", views.information_request, name="information_request"),
    path("<int:case_id>/hulp/", views.help_record, name="help_record"),
    path("<int:case_id>/evaluatie/<int:evaluation_id>/", views.evaluation_record, name="evaluation_record"),
    path("<int:case_id>/leerling/", views.related_pupil_add, name="related_pupil_add"),
    path("<int:case_id>/toegang/", views.access_grant, name="access_grant"),
    path("<int:case_id>/toegang/<int:user_id>/intrekken/", views.access_revoke, name="access_revoke"),
    path("<int:case_id>/casemanager/", views.case_manager_set, name="case_manager_set"),
    path("<int:case_id>/sluiten/", views.case_close, name="case_close"),
]

from django.urls import path

from . import views
from .admin_views import calendar_closure_delete, calendar_school, calendars

app_name = "deadlines"

urlpatterns = [
    path("", views.school_list, name="list"),
    path("mijn/", views.mine, name="mine"),
    path("<int:deadline_id>/", views.detail, name="detail"),
    path("<int:deadline_id>/afgerond/", views.meet, name="meet"),
    path("<int:deadline_id>/vervallen/", views.waive, name="waive"),
    path("kalenders/", calendars, name="calendars"),
    path("kalenders/scholen/<int:school_id>/", calendar_school, name="calendar_school"),
    path(
        "kalenders/sluitingen/<int:closure_id>/verwijderen/",
        calendar_closure_delete,
        name="calendar_closure_delete",
    ),
]

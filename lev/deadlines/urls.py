from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.school_list, name="list"),
    path("mijn/", views.mine, name="mine"),
    path("<int:deadline_id>/", views.detail, name="detail"),
    path("<int:deadline_id>/afgerond/", views.meet, name="meet"),
    path("<int:deadline_id>/vervallen/", views.waive, name="waive"),
]

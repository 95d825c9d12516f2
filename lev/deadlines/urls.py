from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.school_list, name="list"),
    path("mijn/", views.mine, name="mine"),
]

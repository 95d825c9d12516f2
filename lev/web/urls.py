from django.urls import path

from . import health, views

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path("health", health.health, name="health"),
    path("school/kiezen/", views.switch_school, name="switch_school"),
]

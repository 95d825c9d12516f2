from django.urls import path

from . import urls_admin, urls_import, views

app_name = "schools"

urlpatterns = [
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/<int:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    *urls_admin.urlpatterns,
    *urls_import.urlpatterns,
]

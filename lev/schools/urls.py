from django.urls import path

from lev.dossier import views as dossier_views

from . import urls_admin, urls_import, views

app_name = "schools"

urlpatterns = [
    path("leerlingen/", views.pupil_list, name="pupil_list"),
    path("leerlingen/<int:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    path(
        "leerlingen/<int:pupil_id>/chronologie/<int:entry_id>/corrigeren/",
        dossier_views.entry_correct_view,
        name="entry_correct",
    ),
    path(
        "leerlingen/<int:pupil_id>/zienswijze-ouders/nieuw/",
        dossier_views.parent_view_new,
        name="parent_view_new",
    ),
    *urls_admin.urlpatterns,
    *urls_import.urlpatterns,
]

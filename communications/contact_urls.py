"""URLs of the parent contact log, under the pupil: /leerlingen/<pupil>/contacten/…

Included from lev/urls.py at the root (the letter pages of communications/urls.py live under
/brieven/), in their own namespace `contacts`.
"""

from django.urls import path

from . import contact_views

app_name = "contacts"

urlpatterns = [
    path("leerlingen/<int:pupil_id>/contacten/", contact_views.contact_list, name="list"),
    path("leerlingen/<int:pupil_id>/contacten/nieuw/", contact_views.contact_new, name="new"),
    path(
        "leerlingen/<int:pupil_id>/contacten/<int:entry_id>/corrigeren/",
        contact_views.contact_correct,
        name="correct",
    ),
]

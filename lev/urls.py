from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("lev.web.urls")),
    path("account/", include("lev.accounts.urls")),
    path("", include("lev.schools.urls")),
    path("termijnen/", include("lev.deadlines.urls")),
    path("brieven/", include("communications.urls")),
    path("", include("communications.contact_urls")),
    path("", include("incidents.urls")),
    path("crisis/", include("crisis.urls")),
    path("stappenplan/", include("escalation.urls")),
    path("meldcode/", include("meldcode.urls")),
    path("", include("misconduct.urls")),
    path("dashboard/", include("lev.monitoring.urls")),
]

if settings.ADMIN_ENABLED:
    from django.contrib import admin

    urlpatterns.append(path("django-admin/", admin.site.urls))

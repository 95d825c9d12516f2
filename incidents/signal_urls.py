"""URL patterns of the signal pages (joined in incidents/urls.py)."""

from django.urls import URLPattern, path

from . import signal_views

urlpatterns: list[URLPattern] = [
    path("signalen/nieuw/", signal_views.signal_new, name="signal_new"),
    path("signalen/concept/", signal_views.signal_draft, name="signal_draft"),
    path("signalen/mijn/", signal_views.my_signal_list, name="my_signals"),
    path("signalen/", signal_views.signal_list, name="signal_list"),
    path("signalen/<int:signal_id>/", signal_views.signal_detail, name="signal_detail"),
]

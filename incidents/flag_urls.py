"""URL patterns of the flag pages (joined in incidents/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

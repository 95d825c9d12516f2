"""URL patterns of the signal pages (joined in incidents/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

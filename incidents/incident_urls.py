"""URL patterns of the incident pages (joined in incidents/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""URL patterns of the register pages (joined in incidents/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

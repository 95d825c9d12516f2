from django.urls import URLPattern

app_name = "misconduct"

urlpatterns: list[URLPattern] = []

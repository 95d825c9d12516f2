from django.urls import URLPattern

app_name = "crisis"

urlpatterns: list[URLPattern] = []

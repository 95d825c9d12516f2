from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("tweestaps/", views.verify, name="verify"),
    path("tweestaps/instellen/", views.setup_2fa, name="setup_2fa"),
    path("beveiliging/", views.security, name="security"),
    path("beveiliging/reservecodes/", views.backup_codes, name="backup_codes"),
]

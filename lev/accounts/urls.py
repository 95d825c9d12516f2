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
    path("wachtwoord/vergeten/", views.password_reset, name="password_reset"),
    path("wachtwoord/vergeten/verstuurd/", views.password_reset_done, name="password_reset_done"),
    path(
        "wachtwoord/herstellen/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("wachtwoord/hersteld/", views.password_reset_complete, name="password_reset_complete"),
    path("wachtwoord/wijzigen/", views.password_change, name="password_change"),
    path("bestuur/tweestaps/", views.board_2fa_policy, name="board_2fa_policy"),
    path("vervanging/", views.deputies, name="deputies"),
    path("vervanging/<int:deputy_id>/intrekken/", views.deputy_revoke, name="deputy_revoke"),
]

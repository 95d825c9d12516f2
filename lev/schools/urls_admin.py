"""The functional administrator's pages, under /beheer/ (included in the `schools` namespace)."""

from django.urls import URLPattern, URLResolver, path

from . import admin_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("beheer/scholen/", views.school_list, name="admin_school_list"),
    path("beheer/scholen/nieuw/", views.school_create, name="admin_school_create"),
    path("beheer/scholen/<int:school_id>/", views.school_edit, name="admin_school_edit"),
    path("beheer/schooljaren/", views.year_list, name="admin_year_list"),
    path("beheer/schooljaren/nieuw/", views.year_create, name="admin_year_create"),
    path("beheer/schooljaren/<int:year_id>/", views.year_detail, name="admin_year_detail"),
    path(
        "beheer/schooljaren/<int:year_id>/scholen/<int:school_id>/groepen/nieuw/",
        views.group_create,
        name="admin_group_create",
    ),
    path("beheer/groepen/<int:group_id>/", views.group_edit, name="admin_group_edit"),
    path("beheer/gebruikers/", views.user_list, name="admin_user_list"),
    path("beheer/gebruikers/nieuw/", views.user_create, name="admin_user_create"),
    path("beheer/gebruikers/<int:user_id>/", views.user_detail, name="admin_user_detail"),
    path("beheer/gebruikers/<int:user_id>/uitnodigen/", views.user_invite, name="admin_user_invite"),
    path("beheer/gebruikers/<int:user_id>/deactiveren/", views.user_deactivate, name="admin_user_deactivate"),
    path(
        "beheer/gebruikers/<int:user_id>/rollen/nieuw/",
        views.membership_create,
        name="admin_membership_create",
    ),
    path("beheer/rollen/<int:membership_id>/beeindigen/", views.membership_end, name="admin_membership_end"),
    path("beheer/sociale-kaart/", views.social_map, name="admin_social_map"),
    path(
        "beheer/sociale-kaart/scholen/<int:school_id>/",
        views.social_map_school,
        name="admin_social_map_school",
    ),
    path(
        "beheer/sociale-kaart/scholen/<int:school_id>/nieuw/",
        views.social_map_entry_create,
        name="admin_social_map_create",
    ),
    path("beheer/sociale-kaart/<int:entry_id>/", views.social_map_entry_edit, name="admin_social_map_edit"),
    path(
        "beheer/sociale-kaart/<int:entry_id>/verwijderen/",
        views.social_map_entry_delete,
        name="admin_social_map_delete",
    ),
]

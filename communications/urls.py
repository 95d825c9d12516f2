from django.urls import path

from . import views

app_name = "communications"

urlpatterns = [
    path("sjablonen/", views.template_list, name="templates"),
    path("sjablonen/<int:board_id>/<slug:kind_code>/", views.template_detail, name="template_detail"),
    path("sjablonen/<int:board_id>/<slug:kind_code>/bewerken/", views.template_edit, name="template_edit"),
    path(
        "sjablonen/<int:board_id>/<slug:kind_code>/versies/<int:version>/beoordelen/",
        views.template_review,
        name="template_review",
    ),
    path(
        "sjablonen/<int:board_id>/<slug:kind_code>/voorbeeld/",
        views.template_preview,
        name="template_preview",
    ),
    path(
        "sjablonen/<int:board_id>/<slug:kind_code>/voorbeeld.pdf",
        views.template_preview_pdf,
        name="template_preview_pdf",
    ),
]

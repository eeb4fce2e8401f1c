from __future__ import annotations

from django.urls import path

from sharaka.observatory import views

app_name = "observatory"

urlpatterns = [
    path("observatoire/", views.country, name="country"),
    path("observatoire/provinces/<int:pk>/", views.province, name="province"),
    path("observatoire/collectivites/<int:pk>/", views.authority, name="authority"),
    path("observatoire/synthese-<str:lang>.pdf", views.country_summary, name="country_summary"),
    path(
        "observatoire/provinces/<int:pk>/synthese-<str:lang>.pdf",
        views.province_summary,
        name="province_summary",
    ),
    path(
        "observatoire/collectivites/<int:pk>/synthese-<str:lang>.pdf",
        views.authority_summary,
        name="authority_summary",
    ),
    path("observatoire/export.<str:fmt>", views.export, name="export"),
]

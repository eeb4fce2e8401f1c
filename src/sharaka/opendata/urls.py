from __future__ import annotations

from django.urls import path

from sharaka.opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.public_catalogue, name="public_catalogue"),
    path("open-data/catalog.jsonld", views.public_catalogue_jsonld, name="public_catalogue_jsonld"),
    path("open-data/datapackage.json", views.public_datapackage, name="public_datapackage"),
    path("open-data/popolo/", views.public_popolo_index, name="public_popolo_index"),
    path("open-data/popolo/<slug:slug>.json", views.public_popolo, name="public_popolo"),
    path("open-data/iati.xml", views.public_iati, name="public_iati"),
    path("open-data/iati/<slug:slug>.xml", views.public_iati, name="public_iati_partnership"),
    path("portail/<slug:slug>/convention.pdf", views.public_convention, name="public_convention"),
    path("open-data/<str:filename>", views.public_dataset, name="public_dataset"),
]

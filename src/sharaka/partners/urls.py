from __future__ import annotations

from django.urls import path

from sharaka.partners import views

app_name = "partners"

_F = "recevabilite/dossiers/<int:pk>/"

urlpatterns = [
    path("recevabilite/", views.home, name="home"),
    path("recevabilite/<int:authority>/", views.files, name="files"),
    path("recevabilite/<int:authority>/ouvrir/", views.file_open, name="file_open"),
    path(_F, views.file_detail, name="file"),
    path(_F + "decider/", views.file_decide, name="decide"),
    path(_F + "pieces/", views.evidence_add, name="evidence_add"),
    path(_F + "pieces/<int:evidence>/", views.evidence_document, name="evidence_document"),
    path(_F + "pieces/<int:evidence>/verifier/", views.evidence_check, name="evidence_check"),
    path("recevabilite/<int:authority>/subventions/<int:year>/", views.grants, name="grants"),
    path(
        "recevabilite/<int:authority>/subventions/<int:year>/ajouter/",
        views.grant_add,
        name="grant_add",
    ),
    path(
        "recevabilite/<int:authority>/subventions/<int:year>.<str:fmt>",
        views.grants_export,
        name="grants_export",
    ),
    path(
        "interets/<int:authority>/<int:association>/<int:person>/declarer/",
        views.conflict_declare,
        name="conflict_declare",
    ),
]

from __future__ import annotations

from django.urls import path

from sharaka.structure import views

app_name = "structure"

_S = "partenariats/<slug:slug>/structure/"

urlpatterns = [
    path(_S, views.overview, name="overview"),
    path(_S + "modifier/", views.structure_edit, name="edit"),
    path(_S + "personnel/nouveau/", views.staff_add, name="staff_add"),
    path(_S + "personnel/<int:pk>/modifier/", views.staff_edit, name="staff_edit"),
    path(_S + "personnel/<int:pk>/retirer/", views.staff_remove, name="staff_remove"),
    path(_S + "personnel/export.<str:fmt>", views.staff_export, name="staff_export"),
    path(_S + "delegations/", views.delegation_list, name="delegations"),
    path(_S + "delegations/nouvelle/", views.delegation_create, name="delegation_create"),
    path(_S + "delegations/<int:pk>/modifier/", views.delegation_edit, name="delegation_edit"),
    path(_S + "delegations/<int:pk>/supprimer/", views.delegation_delete, name="delegation_delete"),
    path(_S + "biens/", views.asset_list, name="assets"),
    path(_S + "biens/nouveau/", views.asset_create, name="asset_create"),
    path(_S + "biens/export.<str:fmt>", views.asset_export, name="asset_export"),
    path(_S + "biens/<int:pk>/", views.asset_detail, name="asset"),
    path(_S + "biens/<int:pk>/modifier/", views.asset_edit, name="asset_edit"),
    path(_S + "biens/<int:pk>/supprimer/", views.asset_delete, name="asset_delete"),
    path(_S + "biens/<int:pk>/documents/", views.document_add, name="document_add"),
    path(_S + "biens/<int:pk>/documents/<int:doc>/", views.document_download, name="document"),
    path(
        _S + "biens/<int:pk>/documents/<int:doc>/supprimer/",
        views.document_remove,
        name="document_remove",
    ),
]

from __future__ import annotations

from django.urls import path

from sharaka.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.home, name="home"),
    path("partenariats/", views.partnership_list, name="list"),
    path("partenariats/nouveau/", views.partnership_create, name="create"),
    path("partenariats/<slug:slug>/", views.partnership_detail, name="detail"),
    path("partenariats/<slug:slug>/modifier/", views.partnership_edit, name="edit"),
    path("partenariats/<slug:slug>/statut/", views.partnership_transition, name="transition"),
    path("partenariats/<slug:slug>/parties/ajouter/", views.party_add, name="party_add"),
    path(
        "partenariats/<slug:slug>/parties/<int:party_id>/retirer/",
        views.party_remove,
        name="party_remove",
    ),
    path("partenariats/<slug:slug>/historique/", views.partnership_history, name="history"),
    path("partenariats/<slug:slug>/acces/", views.partnership_access, name="access"),
    path(
        "partenariats/<slug:slug>/acces/<int:grant_id>/retirer/",
        views.partnership_access_revoke,
        name="access_revoke",
    ),
    path("partenariats/<slug:slug>/a-venir/<slug:tab>/", views.partnership_tab, name="tab"),
    path("portail/", views.public_list, name="public_list"),
    path("portail/<slug:slug>/", views.public_detail, name="public_detail"),
]

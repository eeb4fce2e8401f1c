from __future__ import annotations

from django.urls import path

from sharaka.competences import views

app_name = "competences"

_S = "partenariats/<slug:slug>/structure/competences/"
_T = "partenariats/<slug:slug>/structure/formation/"

urlpatterns = [
    path(_S, views.matrix, name="matrix"),
    path(_S + "export.<str:fmt>", views.matrix_export, name="matrix_export"),
    path(_S + "niveau/", views.holding_set, name="holding_set"),
    path(_S + "requis/", views.requirement_set, name="requirement_set"),
    path(_S + "personnes/<int:pk>/", views.person, name="person"),
    path(_T, views.training, name="training"),
    path(_T + "nouvelle/", views.session_create, name="session_create"),
    path(_T + "<int:pk>/", views.session, name="session"),
    path(_T + "<int:pk>/participants/", views.participant_add, name="participant_add"),
    path(_T + "<int:pk>/terminer/", views.session_complete, name="session_complete"),
]

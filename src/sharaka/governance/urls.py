from __future__ import annotations

from django.urls import path

from sharaka.governance import views

app_name = "governance"

_BOARD = "partenariats/<slug:slug>/conseil/"

urlpatterns = [
    path(_BOARD, views.board, name="board"),
    path(_BOARD + "composer/", views.board_create, name="board_create"),
    path(_BOARD + "simulation/", views.board_simulate, name="simulate"),
    path(_BOARD + "simulation/appliquer/", views.board_simulate_apply, name="simulate_apply"),
    path(_BOARD + "sieges/ajouter/", views.seat_add, name="seat_add"),
    path(_BOARD + "sieges/<int:seat_id>/modifier/", views.seat_edit, name="seat_edit"),
    path(_BOARD + "sieges/<int:seat_id>/supprimer/", views.seat_abolish, name="seat_abolish"),
    path(_BOARD + "sieges/<int:seat_id>/nommer/", views.mandate_add, name="mandate_add"),
    path(_BOARD + "mandats/<int:mandate_id>/fin/", views.mandate_end, name="mandate_end"),
    path(_BOARD + "bureau/nommer/", views.officer_appoint, name="officer_appoint"),
    path(_BOARD + "bureau/<int:officer_id>/fin/", views.officer_end, name="officer_end"),
    path(_BOARD + "regles/", views.board_rules, name="rules"),
    path(_BOARD + "colleges/", views.board_colleges, name="colleges"),
    path(_BOARD + "colleges/<int:college_id>/", views.college_edit, name="college_edit"),
    path(_BOARD + "historique/", views.board_history, name="history"),
]

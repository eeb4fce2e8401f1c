from __future__ import annotations

from django.urls import path

from sharaka.planning import views

app_name = "planning"

_P = "partenariats/<slug:slug>/plan/"
_V = _P + "<int:plan_id>/v<int:number>/"

urlpatterns = [
    path(_P, views.plan_page, name="plan"),
    path(_P + "nouveau/", views.plan_create, name="plan_create"),
    path(_P + "<int:plan_id>/", views.plan_page, name="plan_detail"),
    path(_P + "<int:plan_id>/modifier/", views.plan_edit, name="plan_edit"),
    path(_V, views.plan_page, name="version"),
    path(_V + "impression/", views.plan_print, name="print"),
    path(_V + "export.csv", views.plan_export_csv, name="export_csv"),
    path(_V + "export.xlsx", views.plan_export_xlsx, name="export_xlsx"),
    path(_V + "adopter/", views.version_adopt, name="adopt"),
    path(_V + "reviser/", views.version_revise, name="revise"),
    path(_V + "abandonner/", views.version_discard, name="discard"),
    path(_V + "objectifs/nouveau/", views.objective_create, name="objective_create"),
    path(_V + "activites/nouvelle/", views.activity_create, name="activity_create"),
    path(_P + "objectifs/<int:pk>/modifier/", views.objective_edit, name="objective_edit"),
    path(_P + "objectifs/<int:pk>/supprimer/", views.objective_delete, name="objective_delete"),
    path(_P + "activites/<int:pk>/modifier/", views.activity_edit, name="activity_edit"),
    path(_P + "activites/<int:pk>/supprimer/", views.activity_delete, name="activity_delete"),
    path(_P + "activites/<int:pk>/avancement/", views.activity_progress, name="activity_progress"),
    path(_P + "activites/<int:pk>/lignes/nouvelle/", views.line_create, name="line_create"),
    path(_P + "lignes/<int:pk>/modifier/", views.line_edit, name="line_edit"),
    path(_P + "lignes/<int:pk>/supprimer/", views.line_delete, name="line_delete"),
]

from __future__ import annotations

from django.urls import path

from sharaka.evaluation import views

app_name = "evaluation"

_E = "partenariats/<slug:slug>/evaluation/"

urlpatterns = [
    path(_E, views.overview, name="overview"),
    path(_E + "mesures/import/", views.measurement_import, name="measurement_import"),
    path(_E + "mesures/modele.xlsx", views.import_template, name="import_template"),
    path(_E + "marqueur-genre/", views.gender_marker_edit, name="gender_marker"),
    path(_E + "resultats/nouveau/", views.result_create, name="result_create"),
    path(_E + "resultats/<int:pk>/modifier/", views.result_edit, name="result_edit"),
    path(
        _E + "resultats/<int:pk>/indicateurs/nouveau/",
        views.indicator_create,
        name="indicator_create",
    ),
    path(_E + "indicateurs/<int:pk>/", views.indicator_detail, name="indicator"),
    path(_E + "indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path(_E + "indicateurs/<int:pk>/cibles/nouvelle/", views.target_add, name="target_add"),
    path(
        _E + "indicateurs/<int:pk>/cibles/<int:target>/modifier/",
        views.target_edit,
        name="target_edit",
    ),
    path(
        _E + "indicateurs/<int:pk>/mesures/nouvelle/",
        views.measurement_enter,
        name="measurement_enter",
    ),
    path(_E + "mesures/<int:pk>/valider/", views.measurement_validate, name="measurement_validate"),
    path(_E + "mesures/<int:pk>/corriger/", views.measurement_correct, name="measurement_correct"),
    path(
        _E + "mesures/<int:pk>/justificatifs/<int:doc>/", views.evidence_download, name="evidence"
    ),
    path(
        _E + "rapport-annuel/<int:year>/<str:lang>.pdf", views.annual_report, name="annual_report"
    ),
    path(
        _E + "rapport-annuel/<int:year>/<str:lang>.docx",
        views.annual_report,
        {"fmt": "docx"},
        name="annual_report_docx",
    ),
    path(_E + "evaluations/", views.evaluations, name="evaluations"),
    path(_E + "contraintes/nouvelle/", views.constraint_add, name="constraint_add"),
    path(_E + "contraintes/<int:pk>/modifier/", views.constraint_edit, name="constraint_edit"),
    path(_E + "evaluations/nouvelle/", views.evaluation_create, name="evaluation_create"),
    path(_E + "evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path(_E + "evaluations/<int:pk>/modifier/", views.evaluation_edit, name="evaluation_edit"),
    path(
        _E + "evaluations/<int:pk>/achever/", views.evaluation_complete, name="evaluation_complete"
    ),
    path(
        _E + "evaluations/<int:pk>/criteres/<slug:criterion>/",
        views.judgement_set,
        name="judgement_set",
    ),
    path(
        _E + "evaluations/<int:pk>/recommandations/nouvelle/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        _E + "recommandations/<int:pk>/suivi/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(_E + "evaluations/<int:pk>/termes/<int:doc>/", views.terms_download, name="terms"),
]

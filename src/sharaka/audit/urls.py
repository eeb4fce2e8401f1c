from __future__ import annotations

from django.urls import path

from sharaka.audit import dashboard_views, views

app_name = "audit"
_P = "partenariats/<slug:slug>/finances/controles/"
_A = "partenariats/<slug:slug>/finances/audits/"
_R = f"{_A}<int:pk>/recommandations/<int:rec>/"
urlpatterns = [
    path(_P, views.checks, name="checks"),
    path(f"{_P}lancer/", views.run, name="run"),
    path(f"{_A}", views.plan, name="plan"),
    path(f"{_A}etablir/", views.plan_generate, name="plan_generate"),
    path(f"{_A}<int:pk>/", views.audit, name="audit"),
    path(f"{_A}<int:pk>/modifier/", views.audit_edit, name="audit_edit"),
    path(f"{_A}<int:pk>/echantillon/", views.sample_draw, name="sample_draw"),
    path(f"{_A}<int:pk>/papiers/ajouter/", views.paper_add, name="paper_add"),
    path(f"{_A}<int:pk>/papiers/<int:paper>/", views.paper_download, name="paper_download"),
    path(f"{_A}<int:pk>/constats/ajouter/", views.finding_add, name="finding_add"),
    path(f"{_A}<int:pk>/rapport/remettre/", views.report_issue, name="report_issue"),
    path(f"{_A}<int:pk>/rapport/<str:lang>.pdf", views.report_pdf, name="report_pdf"),
    path(f"{_A}tableau-de-bord/", dashboard_views.partnership_dashboard, name="dashboard"),
    path(f"{_A}constats.xlsx", dashboard_views.findings_export, name="findings_export"),
    path(
        "audits/collectivites/<int:authority>/",
        dashboard_views.authority_dashboard,
        name="authority_dashboard",
    ),
    path(
        f"{_A}<int:pk>/constats/<int:finding>/recommander/",
        views.recommendation_add,
        name="recommendation_add",
    ),
    path(f"{_R}", views.recommendation, name="recommendation"),
    path(f"{_R}repondre/", views.follow_up_add, name="follow_up_add"),
    path(f"{_R}verifier/", views.recommendation_verify, name="recommendation_verify"),
    path(f"{_R}suivi/<int:entry>/preuve/", views.evidence_download, name="evidence_download"),
]

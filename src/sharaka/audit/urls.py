from __future__ import annotations

from django.urls import path

from sharaka.audit import views

app_name = "audit"
_P = "partenariats/<slug:slug>/finances/controles/"
_A = "partenariats/<slug:slug>/finances/audits/"
urlpatterns = [
    path(_P, views.checks, name="checks"),
    path(f"{_P}lancer/", views.run, name="run"),
    path(f"{_A}", views.plan, name="plan"),
    path(f"{_A}etablir/", views.plan_generate, name="plan_generate"),
    path(f"{_A}<int:pk>/", views.audit, name="audit"),
    path(f"{_A}<int:pk>/modifier/", views.audit_edit, name="audit_edit"),
    path(f"{_A}<int:pk>/echantillon/", views.sample_draw, name="sample_draw"),
]

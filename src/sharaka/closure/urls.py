from __future__ import annotations

from django.urls import path

from sharaka.closure import views

app_name = "closure"

_C = "partenariats/<slug:slug>/cloture/"

urlpatterns = [
    path(_C, views.overview, name="overview"),
    path(_C + "resiliation/", views.termination_start, name="start"),
    path(_C + "resiliation/document/", views.termination_document, name="termination_document"),
    path(_C + "liquidation/<int:pk>/", views.item_edit, name="item"),
    path(_C + "liquidation/<int:pk>/pieces/<int:doc>/", views.evidence_download, name="evidence"),
    path(_C + "comptes/approuver/", views.accounts_approve, name="approve"),
    path(_C + "rapport.<str:lang>.pdf", views.report, name="report"),
    path(_C + "rapport.<str:lang>.docx", views.report, {"fmt": "docx"}, name="report_docx"),
    path(_C + "archive.zip", views.archive, name="archive"),
]

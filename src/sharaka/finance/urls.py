from __future__ import annotations

from django.urls import path

from sharaka.finance import views

app_name = "finance"
_P = "partenariats/<slug:slug>/finances/"
_E = f"{_P}depenses/<int:pk>/"
urlpatterns = [
    path(_P, views.summary, name="summary"),
    path(f"{_P}export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{_P}contributions/", views.contributions, name="contributions"),
    path(f"{_P}contributions/ajouter/", views.contribution_create, name="contribution_create"),
    path(f"{_P}contributions/<int:pk>/", views.contribution_edit, name="contribution_edit"),
    path(
        f"{_P}contributions/<int:pk>/supprimer/",
        views.contribution_delete,
        name="contribution_delete",
    ),
    path(f"{_P}depenses/", views.expenses, name="expenses"),
    path(f"{_P}depenses/ajouter/", views.expense_create, name="expense_create"),
    path(_E, views.expense_detail, name="expense"),
    path(f"{_E}piece/", views.expense_document, name="expense_document"),
    path(f"{_E}joindre/", views.expense_attach, name="expense_attach"),
    path(f"{_E}modifier/", views.expense_edit, name="expense_edit"),
    path(f"{_E}supprimer/", views.expense_delete, name="expense_delete"),
    path(f"{_E}annuler/", views.expense_reverse, name="expense_reverse"),
    path(f"{_E}<slug:step>/", views.expense_step, name="expense_step"),
    path(f"{_P}depassements/autoriser/", views.overrun_authorise, name="overrun_authorise"),
    path(f"{_P}import/", views.import_page, name="import"),
    path(f"{_P}import/modele.csv", views.import_template, name="import_template"),
    path(f"{_P}import/<int:pk>/", views.import_job, name="import_job"),
]

from __future__ import annotations

from django.urls import path

from sharaka.partners import criteria_views, people_views, selection_views, views

app_name = "partners"

_F = "recevabilite/dossiers/<int:pk>/"

urlpatterns = [
    path("recevabilite/", views.home, name="home"),
    path("recevabilite/<int:authority>/", views.files, name="files"),
    path("recevabilite/<int:authority>/ouvrir/", views.file_open, name="file_open"),
    path(_F, views.file_detail, name="file"),
    path(_F + "decider/", views.file_decide, name="decide"),
    path(_F + "pieces/", views.evidence_add, name="evidence_add"),
    path(_F + "pieces/<int:evidence>/", views.evidence_document, name="evidence_document"),
    path(_F + "pieces/<int:evidence>/verifier/", views.evidence_check, name="evidence_check"),
    path("recevabilite/<int:authority>/subventions/<int:year>/", views.grants, name="grants"),
    path(
        "recevabilite/<int:authority>/subventions/<int:year>/ajouter/",
        views.grant_add,
        name="grant_add",
    ),
    path(
        "recevabilite/<int:authority>/subventions/<int:year>.<str:fmt>",
        views.grants_export,
        name="grants_export",
    ),
    path(
        "interets/<int:authority>/<int:association>/<int:person>/declarer/",
        views.conflict_declare,
        name="conflict_declare",
    ),
]

# Partner selection by competences, profiles and calls for applications (issue 13, M11).
_S = "partenariats/<slug:slug>/partenaires/"
_P = "partenaires/profils/<int:pk>/"
urlpatterns += [
    path(_S, selection_views.selection, name="selection"),
    path(_S + "choisir/<int:organization>/", selection_views.choice_record, name="choose"),
    path(_S + "appel/", selection_views.call_open, name="call_open"),
    path("partenaires/appels/<int:pk>/", selection_views.call_detail, name="call"),
    path("partenaires/appels/<int:pk>/vues/", selection_views.applications_seen,
         name="applications_seen"),
    path("appels/<int:pk>/", selection_views.public_call, name="call_apply"),
    path("appels/candidature/<str:token>/", selection_views.application_status,
         name="application_status"),
    path("appels/<int:pk>/merci/", selection_views.public_call_thanks, name="call_apply_thanks"),
    path("partenaires/profils/", selection_views.profiles, name="profiles"),
    path(_P, selection_views.profile, name="profile"),
    path(_P + "competences/", selection_views.profile_set, name="profile_set"),
    path(_P + "competences/<int:line>/justificatif/", selection_views.profile_document,
         name="profile_document"),
    path(_P + "competences/<int:line>/retirer/", selection_views.profile_remove,
         name="profile_remove"),
]  # fmt: skip

# Councillors and bureau members (art. 65 conflicts of interest, ADR 0030).
urlpatterns += [
    path("recevabilite/<int:authority>/elus/", people_views.councillors, name="councillors"),
    path("recevabilite/<int:authority>/elus/ajouter/", people_views.councillor_add,
         name="councillor_add"),
    path("recevabilite/<int:authority>/elus/<int:pk>/fin/", people_views.councillor_end,
         name="councillor_end"),
    path(_F + "bureau/", people_views.bureau, name="bureau"),
    path(_F + "bureau/ajouter/", people_views.bureau_add, name="bureau_add"),
    path(_F + "bureau/<int:member>/fin/", people_views.bureau_end, name="bureau_end"),
]  # fmt: skip

# The criteria an authority asks, edited by its officers (issue 13).
_C = "recevabilite/<int:authority>/criteres/"
urlpatterns += [
    path(_C, criteria_views.criteria_list, name="criteria"),
    path(_C + "adopter/", criteria_views.criteria_adopt, name="criteria_adopt"),
    path(_C + "ajouter/", criteria_views.criterion_add, name="criterion_add"),
    path(_C + "<int:pk>/", criteria_views.criterion_edit, name="criterion_edit"),
    path(_C + "<int:pk>/retirer/", criteria_views.criterion_remove, name="criterion_remove"),
]

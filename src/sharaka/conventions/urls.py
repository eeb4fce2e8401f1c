from __future__ import annotations

from django.urls import path

from sharaka.conventions import views

app_name = "conventions"

_V = "partenariats/<slug:slug>/convention/versions/<int:number>/"
_D = "partenariats/<slug:slug>/convention/deliberations/"
urlpatterns = [
    path("partenariats/<slug:slug>/convention/", views.convention_detail, name="detail"),
    path("partenariats/<slug:slug>/convention/creer/", views.convention_create, name="create"),
    path("partenariats/<slug:slug>/convention/avenant/", views.amendment_create,
         name="amendment"),
    path("partenariats/<slug:slug>/convention/differences/", views.version_diff, name="diff"),
    path(_V, views.version_detail, name="version"),
    path(_V + "statut/", views.version_transition, name="transition"),
    path(_V + "clauses/ajouter/", views.clause_add, name="clause_add"),
    path(_V + "clauses/ajouter/<slug:code>/", views.clause_new, name="clause_new"),
    path(_V + "clauses/ajouter/<slug:code>/verifier/", views.clause_check,
         name="clause_check_new"),
    path(_V + "clauses/<slug:key>/", views.clause_edit, name="clause_edit"),
    path(_V + "clauses/<slug:key>/verifier/", views.clause_check, name="clause_check"),
    path(_V + "clauses/<slug:key>/retirer/", views.clause_remove, name="clause_remove"),
    path(_V + "signataires/ajouter/", views.signatory_add, name="signatory_add"),
    path(_V + "signataires/<int:pk>/retirer/", views.signatory_remove, name="signatory_remove"),
    path(_V + "copie-signee/", views.signed_copy_upload, name="signed_copy"),
    path(_V + "copie-signee/telecharger/", views.signed_copy_download,
         name="signed_copy_download"),
    path(_V + "document/", views.version_render, name="render"),
    path(_D, views.deliberations, name="deliberations"),
    path(_D + "parties/<int:party_id>/ajouter/", views.deliberation_add,
         name="deliberation_add"),
    path(_D + "<int:pk>/", views.deliberation_edit, name="deliberation_edit"),
    path(_D + "<int:pk>/document/", views.deliberation_document, name="deliberation_document"),
    path("tutelle/deliberations/", views.oversight_dashboard, name="oversight_dashboard"),
]  # fmt: skip

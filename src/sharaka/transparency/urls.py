from __future__ import annotations

from django.urls import path

from sharaka.transparency import feeds, views

app_name = "transparency"

_R = "partenariats/<slug:slug>/demandes-information/"
_C = "partenariats/<slug:slug>/plan-communication/"
_P = "partenariats/<slug:slug>/affichage-decisions/"
_K = "partenariats/<slug:slug>/publication-proactive/"

# The portal's pages are not named ``public_*``: they write (the form) or read what was just
# written (the acknowledgement), so they stay on the primary database (config/replica.py).
urlpatterns = [
    path("demandes-information/", views.todo, name="todo"),
    path(_R, views.requests, name="requests"),
    path(_R + "enregistrer/", views.request_record, name="request_record"),
    path(_R + "<int:pk>/", views.request_detail, name="request"),
    path(_R + "<int:pk>/proroger/", views.request_extend, name="extend"),
    path(_R + "<int:pk>/repondre/", views.request_answer, name="answer"),
    path(_R + "<int:pk>/reclamation/", views.complaint_record, name="complaint"),
    path(_R + "<int:pk>/reclamation/reponse/", views.complaint_answer, name="complaint_answer"),
    path(_R + "<int:pk>/etape/", views.later_step, name="later_step"),
    path("partenariats/<slug:slug>/registre-information/", views.register, name="register"),
    path("partenariats/<slug:slug>/registre-information/ajouter/", views.register_add,
         name="register_add"),
    path(_C, views.plan, name="plan"),
    path(_C + "ajouter/", views.action_add, name="action_add"),
    path(_C + "<int:pk>/realisee/", views.action_done, name="action_done"),
    path(_C + "<int:pk>/annuler/", views.action_cancel, name="action_cancel"),
    path("publication-proactive/", views.publication_overview, name="publication_overview"),
    path(_K, views.checklist, name="checklist"),
    path(_K + "<str:item>/publier/", views.publication_record, name="publication_record"),
    path(_K + "preuve/<int:pk>/", views.publication_proof, name="publication_proof"),
    path(_P, views.postings, name="postings"),
    path(_P + "<int:pk>/afficher/", views.posting_record, name="posting_record"),
    path(_P + "<int:pk>/preuve/", views.posting_proof, name="posting_proof"),
    path("portail/<slug:slug>/decisions.rss", feeds.DecisionsRss(), name="public_decisions_rss"),
    path("portail/<slug:slug>/decisions.atom", feeds.DecisionsAtom(),
         name="public_decisions_atom"),
    path("portail/<slug:slug>/reunions.ics", feeds.meetings_ics, name="public_meetings_ics"),
    path("portail/<slug:slug>/demande-information/", views.portal_request, name="portal_request"),
    path("portail/<slug:slug>/demande-information/recu/<str:receipt>/", views.portal_receipt,
         name="portal_receipt"),
]  # fmt: skip

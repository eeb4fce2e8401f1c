from __future__ import annotations

from django.urls import path

from sharaka.meetings import views

app_name = "meetings"

_BASE = "partenariats/<slug:slug>/reunions/"
_MEETING = _BASE + "<int:meeting_id>/"
_ITEM = _MEETING + "points/<int:item_id>/"
_MOTION = _MEETING + "votes/<int:motion_id>/"
_MINUTES = _MEETING + "proces-verbal/"
_DECISIONS = "partenariats/<slug:slug>/decisions/"

urlpatterns = [
    path(_BASE, views.meeting_list, name="list"),
    path(_BASE + "nouvelle/", views.meeting_create, name="create"),
    path(_MEETING, views.meeting_detail, name="detail"),
    path(_MEETING + "modifier/", views.meeting_edit, name="edit"),
    path(_MEETING + "ordre-du-jour/ajouter/", views.item_add, name="item_add"),
    path(_ITEM + "modifier/", views.item_edit, name="item_edit"),
    path(_ITEM + "retirer/", views.item_remove, name="item_remove"),
    path(_ITEM + "deplacer/", views.item_move, name="item_move"),
    path(_MEETING + "documents/ajouter/", views.document_add, name="document_add"),
    path(_MEETING + "documents/<int:document_id>/", views.document_download, name="document"),
    path(_MEETING + "convoquer/", views.meeting_convene, name="convene"),
    path(_MEETING + "rappel/", views.meeting_remind, name="remind"),
    path(_MEETING + "invitation.ics", views.meeting_ics, name="ics"),
    path(_MEETING + "ouvrir/", views.meeting_open, name="open"),
    path(_MEETING + "seconde-convocation/", views.meeting_reconvene, name="reconvene"),
    path(_MEETING + "presences/", views.attendance, name="attendance"),
    path(_MEETING + "quorum/", views.quorum_panel, name="quorum"),
    path(_ITEM, views.item_detail, name="item"),
    path(_ITEM + "conflit/", views.recusal_declare, name="recusal"),
    path(_ITEM + "vote/", views.motion_open, name="motion_open"),
    path(_MOTION + "voter/", views.ballot_cast, name="cast"),
    path(_MOTION + "saisir/", views.ballot_record, name="record"),
    path(_MOTION + "clore/", views.motion_close, name="close"),
    path(_MOTION + "nouveau-tour/", views.motion_next_round, name="next_round"),
    path(_MINUTES, views.minutes_view, name="minutes"),
    path(_MINUTES + "rediger/", views.minutes_draft, name="minutes_draft"),
    path(_MINUTES + "modifier/", views.minutes_edit, name="minutes_edit"),
    path(_MINUTES + "signer/", views.minutes_sign, name="minutes_sign"),
    path(_MINUTES + "publier/", views.meeting_publish, name="publish"),
    path(_MINUTES + "erratum/", views.erratum_add, name="erratum"),
    path(_MINUTES + "pdf/", views.minutes_pdf, name="minutes_pdf"),
    path(_DECISIONS, views.decision_list, name="decisions"),
    path(_DECISIONS + "<int:decision_id>/", views.decision_detail, name="decision"),
    path(_DECISIONS + "<int:decision_id>/appliquer/", views.decision_apply, name="decision_apply"),
    path("portail/<slug:slug>/proces-verbaux/", views.public_minutes, name="public_minutes"),
    path(
        "portail/<slug:slug>/proces-verbaux/<int:meeting_id>/",
        views.public_minutes_detail,
        name="public_minutes_detail",
    ),
]

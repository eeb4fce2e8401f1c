"""Demo information requests (law 31-13) on ``complexe-sportif``, and the 2026 and 2027
public holidays of the demo's communes (idempotent, through the services; dates relative
to today so that the demo tells the same story any day).

* 2026-…: late — received 40 days ago, still unanswered;
* refused on a ground (private life, art. 7), then a complaint to the head of the body,
  dismissed;
* extended once, the requester notified; its new due date is ahead;
* urgent (life or liberty at stake, art. 17): received yesterday, due within 3 working days;
* answered (granted) in time.

Every decision of ``complexe-sportif`` is posted (law 113-14, art. 273), the oldest late;
its communication plan has 8 actions (done, planned, one late, one cancelled).

The religious holidays follow the lunar calendar: their dates here are estimates, marked as
demonstration data for an administrator to check in the admin.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.directory.models import Holiday, WorkingCalendar
from sharaka.meetings.models import Decision
from sharaka.partnerships.demo import DemoContext
from sharaka.transparency import services
from sharaka.transparency.models import (
    CommunicationAction,
    DecisionPosting,
    InformationRequest,
    PublicationRecord,
    RegisterEntry,
)

AUTHORITIES = ("Commune d'Oued Zitoune", "Commune de Tizgui")

_FIXED = (
    (1, 1, "Nouvel an"), (1, 11, "Manifeste de l'indépendance"), (1, 14, "Nouvel an amazigh"),
    (5, 1, "Fête du travail"), (7, 30, "Fête du trône"),
    (8, 14, "Allégeance de Oued Eddahab"), (8, 20, "Révolution du roi et du peuple"),
    (8, 21, "Fête de la jeunesse"), (11, 6, "Marche verte"), (11, 18, "Fête de l'indépendance"),
)  # fmt: skip
_LUNAR = (  # estimated dates (to be checked: the moon decides)
    (date(2026, 3, 20), "Aïd al-Fitr (estimé)"), (date(2026, 3, 21), "Aïd al-Fitr (estimé)"),
    (date(2026, 5, 27), "Aïd al-Adha (estimé)"), (date(2026, 5, 28), "Aïd al-Adha (estimé)"),
    (date(2026, 6, 16), "Nouvel an de l'Hégire (estimé)"),
    (date(2026, 8, 25), "Aïd al-Mawlid (estimé)"), (date(2026, 8, 26), "Aïd al-Mawlid (estimé)"),
    (date(2027, 3, 10), "Aïd al-Fitr (estimé)"), (date(2027, 3, 11), "Aïd al-Fitr (estimé)"),
    (date(2027, 5, 17), "Aïd al-Adha (estimé)"), (date(2027, 5, 18), "Aïd al-Adha (estimé)"),
    (date(2027, 6, 6), "Nouvel an de l'Hégire (estimé)"),
    (date(2027, 8, 15), "Aïd al-Mawlid (estimé)"), (date(2027, 8, 16), "Aïd al-Mawlid (estimé)"),
)  # fmt: skip

#: Moroccan public holidays of 2026 and 2027 (fixed dates, then the estimated lunar ones).
HOLIDAYS = (
    tuple((date(year, month, day), label) for year in (2026, 2027) for month, day, label in _FIXED)
    + _LUNAR
)


def load_holidays(context: DemoContext) -> None:
    """Add the holidays missing from each demo commune's calendar (never removes one)."""
    for name in AUTHORITIES:
        calendar, _ = WorkingCalendar.objects.get_or_create(
            organization=context.organizations[name]
        )
        known = set(calendar.holidays.values_list("day", flat=True))
        Holiday.objects.bulk_create(
            Holiday(calendar=calendar, day=day, label=label, demo=True)
            for day, label in HOLIDAYS
            if day not in known
        )


def _record(by: Any, partnership: Any, days_ago: int, name: str, sought: str,
            **fields: Any) -> InformationRequest:  # fmt: skip
    today = timezone.localdate()
    return services.request_record(by=by, partnership=partnership, fields={
        "received_on": today - timedelta(days=days_ago), "requester_name": name,
        "requester_address": "Quartier des Oliviers, Oued Zitoune",
        "requester_id_number": f"JK{days_ago:06d}", "requester_email": "",
        "information_sought": sought, "preferred_format": "electronic", "urgent": False,
        **fields,
    })  # fmt: skip


#: The register of information given and received: (days ago, direction, kind, channel,
#: subject, counterpart, status)
REGISTER = (
    (50, "given", "publication", "website", "Horaires et tarifs 2026-2027 du complexe",
     "Habitants, usagers", "done"),
    (35, "received", "suggestion", "counter", "Ouvrir la piscine le dimanche matin",
     "Un usager", "done"),
    (20, "given", "report", "meeting", "Rapport d'activité du premier semestre",
     "Conseil communal, partenaires", "done"),
    (5, "received", "complaint", "email", "Vestiaires de la salle couverte non chauffés",
     "Association Amal pour le sport", "open"),
)  # fmt: skip


def load_register(context: DemoContext) -> None:
    sports = context.partnerships["complexe-sportif"]
    if RegisterEntry.objects.filter(partnership=sports).exists():
        return
    today = timezone.localdate()
    for days_ago, direction, kind, channel, subject, counterpart, status in REGISTER:
        services.register_add(by=context.users["agent.oz"], partnership=sports, fields={
            "direction": direction, "kind": kind, "on": today - timedelta(days=days_ago),
            "channel": channel, "subject": subject, "counterpart": counterpart,
            "status": status, "documents": "",
        })  # fmt: skip


#: A one-page PDF: the photo of the notice board, as demonstration content.
PROOF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 54>>stream\n"
    b"BT /F1 18 Tf 72 760 Td (Affichage de demonstration) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_postings(context: DemoContext) -> None:
    """Every decision of ``complexe-sportif`` posted: on the commune's notice board three
    days after it was taken, and on the website; the oldest one posted late (day 11)."""
    sports = context.partnerships["complexe-sportif"]
    if DecisionPosting.objects.filter(partnership=sports).exists():
        return
    today = timezone.localdate()
    decisions = Decision.objects.filter(partnership=sports, decided_on__lte=today)
    for index, decision in enumerate(decisions.order_by("decided_on", "id")):
        late = index == 0
        posted_on = min(today, decision.decided_on + timedelta(days=11 if late else 3))
        services.posting_record(
            by=context.users["agent.oz"], decision=decision,
            fields={
                "posted_on": posted_on, "channel": "notice_board" if index % 2 else "website",
                "place": "Tableau d'affichage du siège de la commune d'Oued Zitoune"
                if index % 2 else "https://oued-zitoune.example.ma/deliberations",
                "note": "Affiché après le délai : le secrétariat était fermé." if late else "",
            },
            proof=SimpleUploadedFile(f"affichage-{decision.number}.pdf", PROOF,
                                     content_type="application/pdf"),
        )  # fmt: skip


#: The communication plan of ``complexe-sportif``, seeded from the convention's
#: communication clause: (days from today, audience, channel, message, frequency, public,
#: done: evidence or "" while planned, or None when cancelled)
PLAN = (
    (-60, "residents", "notice_board", "Horaires et tarifs de la saison", "yearly", True,
     "Affiches aux entrées du complexe et au siège de la commune."),
    (-45, "users", "social_media", "Ouverture de la piscine couverte", "once", True,
     "Publication sur la page de la commune : 2 300 vues."),
    (-30, "members", "meeting", "Bilan du premier semestre aux partenaires", "yearly", False,
     "Présenté au conseil ; rapport remis aux partenaires."),
    (-20, "press", "press", "Communiqué : école de natation gratuite", "once", True,
     "Article dans la presse régionale, passage à la radio locale."),
    (-10, "funders", "email", "Rapport d'exécution à l'agence régionale", "quarterly", False,
     ""),
    (-5, "residents", "meeting", "Réunion publique sur les créneaux du dimanche", "once",
     True, None),
    (15, "residents", "website", "Calendrier des activités d'été", "yearly", True, ""),
    (40, "users", "notice_board", "Enquête de satisfaction des usagers", "yearly", True, ""),
)  # fmt: skip


def load_plan(context: DemoContext) -> None:
    sports = context.partnerships["complexe-sportif"]
    if CommunicationAction.objects.filter(partnership=sports).exists():
        return
    by, today = context.users["agent.oz"], timezone.localdate()
    for days, audience, channel, message, frequency, public, done in PLAN:
        action = services.action_add(by=by, partnership=sports, fields={
            "audience": audience, "channel": channel, "message": message,
            "planned_on": today + timedelta(days=days), "frequency": frequency,
            "owner": by, "public": public,
        })  # fmt: skip
        if done is None:
            services.action_cancel(by=by, action=action)
        elif done:
            services.action_done(by=by, action=action, fields={
                "done_on": today + timedelta(days=days), "evidence": done})  # fmt: skip


def load_publications(context: DemoContext) -> None:
    """The evaluation report of ``complexe-sportif`` published on the commune's website
    (recorded with its address and a copy); its audit reports are left to check."""
    sports = context.partnerships["complexe-sportif"]
    if PublicationRecord.objects.filter(partnership=sports).exists():
        return
    services.publication_record(
        by=context.users["agent.oz"], partnership=sports, item="evaluations",
        fields={
            "published_on": timezone.localdate() - timedelta(days=12), "channel": "website",
            "place": "Site de la commune d'Oued Zitoune, rubrique « Partenariats »",
            "url": "https://oued-zitoune.example.ma/partenariats/complexe-sportif/evaluation",
            "note": "Rapport d'évaluation à mi-parcours.",
        },
        proof=SimpleUploadedFile("rapport-evaluation.pdf", PROOF,
                                 content_type="application/pdf"),
    )  # fmt: skip


def load(context: DemoContext) -> None:
    load_holidays(context)
    load_register(context)
    load_postings(context)
    load_plan(context)
    load_publications(context)
    sports = context.partnerships["complexe-sportif"]
    if InformationRequest.objects.filter(partnership=sports).exists():
        return
    by = context.users["agent.oz"]
    today = timezone.localdate()
    _record(by, sports, 40, "Karima Demo",
            "Le nombre d'entrées à la piscine municipale en 2025, par mois.")  # fmt: skip
    refused = _record(by, sports, 60, "Brahim Demo",
                      "La liste nominative des abonnés de la salle couverte.")  # fmt: skip
    services.request_answer(by=by, request=refused, fields={
        "outcome": "refused", "answered_on": today - timedelta(days=45), "answer": "",
        "ground": "private_life",
        "remedy": "Réclamation au président du conseil communal sous 20 jours ouvrables "
                  "(loi 31-13, art. 19), puis la Commission (art. 20).",
    })  # fmt: skip
    services.complaint_record(by=by, request=refused, fields={
        "complaint_filed_on": today - timedelta(days=40),
        "complaint": "Le demandeur conteste le refus et demande des chiffres anonymes.",
    })  # fmt: skip
    services.complaint_answer(by=by, request=refused, fields={
        "complaint_answered_on": today - timedelta(days=30), "complaint_outcome": "dismissed",
        "complaint_answer": "Refus confirmé ; les effectifs agrégés sont publiés au rapport.",
    })  # fmt: skip
    extended = _record(by, sports, 25, "Nadia Demo",
                       "Les factures d'eau et d'électricité du complexe depuis 2025.")  # fmt: skip
    services.request_extend(by=by, request=extended, fields={
        "extended_on": today - timedelta(days=10),
        "extension_notice": "Les factures sont aux archives de la trésorerie : délai prorogé "
                            "de 20 jours ouvrables (art. 16).",
    })  # fmt: skip
    _record(by, sports, 1, "Said Demo",
            "Le rapport d'accident de la piscine du week-end dernier (un enfant hospitalisé).",
            urgent=True)  # fmt: skip
    answered = _record(by, sports, 30, "Leila Demo",
                       "Le règlement intérieur du complexe et ses tarifs.")  # fmt: skip
    services.request_answer(by=by, request=answered, fields={
        "outcome": "granted", "answered_on": today - timedelta(days=20),
        "answer": "Règlement et grille tarifaire envoyés par courriel.", "remedy": "",
    })  # fmt: skip

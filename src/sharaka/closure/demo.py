"""Demo closure of ``base-de-plein-air`` (idempotent: nothing is added once its termination
is recorded).

The commune of Tizgui gave notice forty days ago (the berges of the oued are to be protected
and the camping closes): its convention (signed in March 2026, in force from 1 April 2026,
the catalogue's termination clause: 180 days' notice, equal sharing key) runs until the end
of the notice, so the partnership is "En cours de dissolution" with its notice running. The
board took note of the notice in a meeting (decision cited in the move). The wind-down
checklist is partly done: the tents are returned to Tizgui (with the handover report), a
seconded official's return is under way, the rest is open. Cash contributions of both
communes (Tizgui's partly received) give the final accounts to be shared, not yet approved.

Everything goes through the services. Skipped when the board does not exist.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from sharaka.closure import services
from sharaka.closure.models import Termination, WindDownItem
from sharaka.conventions import services as convention_services
from sharaka.conventions.models import Clause, Convention
from sharaka.finance import services as finance_services
from sharaka.finance.models import Contribution
from sharaka.governance.models import Board
from sharaka.meetings import notices
from sharaka.meetings import services as meeting_services
from sharaka.meetings.models import Decision
from sharaka.meetings.selectors import roll_get
from sharaka.partnerships.models import Partnership, Party

SLUG = "base-de-plein-air"
COZ = "Commune d'Oued Zitoune"
TIZGUI = "Commune de Tizgui"

#: A one-page PDF (the notice letter, the handover report): demonstration content.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\n"
    b"BT /F1 18 Tf 72 760 Td (Document de demonstration) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def load(context: Any) -> None:
    partnership: Partnership | None = context.partnerships.get(SLUG)
    if partnership is None or Termination.objects.filter(partnership=partnership).exists():
        return
    if partnership.status != "active" or not Board.objects.filter(partnership=partnership).exists():
        return
    admin = context.users["admin"]
    orgs = context.organizations
    _convention(context, admin, partnership)
    _contributions(admin, partnership, orgs)
    today = timezone.localdate()
    decision = _board_takes_note(admin, partnership, today - timedelta(days=38))
    services.termination_start(
        by=admin, partnership=partnership, ground="notice", notice_on=today - timedelta(days=40),
        party=orgs[TIZGUI], decision=decision,
        reason="La commune de Tizgui dénonce la convention : la protection des berges de "
               "l'oued ferme le camping pour plusieurs saisons.",
        document=_pdf("lettre-de-denonciation-tizgui.pdf"),
    )  # fmt: skip
    _settle_some(admin, partnership)


def _convention(context: Any, admin: Any, partnership: Partnership) -> None:
    if Convention.objects.filter(partnership=partnership).exists():
        return
    convention = convention_services.convention_create(
        by=admin, partnership=partnership, reference="OZ/CONV/2026/004"
    )
    version = convention.versions.get(number=0)
    board = Clause.objects.get(version=version, code="board")  # two communes, no association
    convention_services.clause_update(by=admin, clause=board, merge=True,
                                      params={"required_colleges": ["local_public"]})  # fmt: skip
    for org, person, capacity, mandate in (
        (COZ, "Alaoui", "Présidente du conseil communal",
         "Délibération du conseil communal n° 2026-08 du 3 mars 2026"),
        (TIZGUI, "Tazi", "Président du conseil communal",
         "Délibération du conseil communal n° 2026-05 du 5 mars 2026"),
    ):  # fmt: skip
        convention_services.signatory_add(
            by=admin, version=version, organization=context.organizations[org],
            person=context.people[person], capacity=capacity, mandate_reference=mandate,
        )  # fmt: skip
    convention_services.version_transition(by=admin, version=version,
                                           to_status="under_negotiation")  # fmt: skip
    convention_services.version_transition(
        by=admin, version=version, to_status="signed", on=date(2026, 3, 20),
        effective_date=date(2026, 4, 1),
    )  # fmt: skip
    for org, number, session in ((COZ, "2026-08", date(2026, 3, 3)),
                                 (TIZGUI, "2026-05", date(2026, 3, 5))):  # fmt: skip
        party = Party.objects.get(partnership=partnership, organization=context.organizations[org])
        convention_services.deliberation_record(by=admin, party=party, fields={
            "version": version, "number": number, "session_date": session,
            "transmitted_on": session + timedelta(days=4), "oversight": "no_objection",
        })  # fmt: skip
    convention_services.version_transition(by=admin, version=version, to_status="in_force")


def _contributions(admin: Any, partnership: Partnership, orgs: dict[str, Any]) -> None:
    if Contribution.objects.filter(partnership=partnership).exists():
        return
    for org, pledged, received in ((COZ, "150000.00", "150000.00"),
                                   (TIZGUI, "90000.00", "52433.37")):  # fmt: skip
        finance_services.contribution_create(
            by=admin, partnership=partnership,
            fields={"organization": orgs[org], "year": 2026, "kind": "cash",
                    "description": "Fonctionnement de la saison 2026",
                    "pledged": Decimal(pledged), "received": Decimal(received)},
        )  # fmt: skip


def _board_takes_note(admin: Any, partnership: Partnership, day: date) -> Decision | None:
    """A held meeting where the board takes note of Tizgui's notice and opens the wind-down."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        meeting = meeting_services.meeting_create(
            by=admin, partnership=partnership,
            fields={"title": "Réunion extraordinaire : dénonciation de la convention",
                    "kind": "extraordinary", "starts_at": _at(day, 10), "ends_at": _at(day, 12),
                    "place": "Siège de la commune d'Oued Zitoune"},
        )  # fmt: skip
        item = meeting_services.item_add(
            by=admin, meeting=meeting,
            fields={"kind": "deliberation", "title": "Dénonciation de la convention par Tizgui",
                    "description": "Prise d'acte du préavis et ouverture de la liquidation."},
        )  # fmt: skip
        notice = meeting_services.meeting_convene(by=admin, meeting=meeting,
                                                  at=_at(day - timedelta(days=10), 9))  # fmt: skip
        notices.notice_deliver(notice.pk)
    meeting_services.meeting_open(by=admin, meeting=meeting, at=_at(day, 10, 5))
    roll = roll_get(meeting=meeting)
    meeting_services.attendance_update(
        by=admin, meeting=meeting,
        entries={row.mandate.pk: meeting_services.AttendanceInput("present")
                 for row in roll.members},
    )  # fmt: skip
    motion = meeting_services.motion_open(
        by=admin, item=item, voting_mode="show_of_hands", decision_kind="other",
        text="Le conseil prend acte de la dénonciation de la convention par la commune de "
             "Tizgui, avec un préavis de 180 jours, et engage la liquidation du partenariat.",
        at=_at(day, 10, 30),
    )  # fmt: skip
    for row in roll.voting:
        meeting_services.ballot_record(by=admin, motion=motion, mandate_id=row.mandate.pk,
                                       choice="yes")  # fmt: skip
    result = meeting_services.motion_close(by=admin, motion=motion, at=_at(day, 10, 40))
    return result.decision


def _settle_some(admin: Any, partnership: Partnership) -> None:
    """Part of the checklist done: the tents returned, one official's return under way."""
    items = {(i.kind, i.subject): i for i in WindDownItem.objects.filter(partnership=partnership)}
    for (kind, subject), item in sorted(items.items(), key=lambda pair: pair[1].position):
        item.partnership = partnership
        if kind == "asset" and "tentes" in subject:
            services.item_update(
                by=admin, item=item,
                fields={"status": "done", "disposition": "returned",
                        "notes": "Restituées à la commune de Tizgui ; état constaté : usées."},
                evidence=_pdf("pv-restitution-tentes.pdf"),
                evidence_title="Procès-verbal de restitution",
            )  # fmt: skip
        elif kind == "staff" and "Ouhaddou" in subject:
            services.item_update(
                by=admin, item=item,
                fields={"status": "in_progress", "disposition": "returned_to_body",
                        "notes": "Réintégration au service des espaces verts demandée."},
            )  # fmt: skip

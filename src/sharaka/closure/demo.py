"""Demo closure of ``base-de-plein-air`` (idempotent: nothing is added once its termination
is recorded), as issue 17 describes it.

Its convention was made for one season-year (signed in November 2025, in force from 1
December 2025, not renewable): the daily job (``services.expire_due``) reached its term and
moved the partnership to "En cours de dissolution" on the ground "Expiration". The wind-down
checklist is nearly done: four assets with four dispositions (the camping ground returned to
Oued Zitoune, the generator transferred to Tizgui, the canoes sold, the worn tents written
off), four staff items with three dispositions (two seconded officials back in their body, the
coordinator's contract ended, the reception agent staying with Tizgui), the final accounts
approved by the board: a surplus of 127,433.37 MAD shared by the contribution key (no party
is named in the clause's key). One item is still open: the archiving of the documents.

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
from sharaka.directory.services import person_create
from sharaka.finance import services as finance_services
from sharaka.finance.models import Contribution
from sharaka.governance.models import Board
from sharaka.meetings import notices
from sharaka.meetings import services as meeting_services
from sharaka.meetings.models import Decision
from sharaka.meetings.selectors import roll_get
from sharaka.partnerships.models import Partnership, Party
from sharaka.structure import services as structure_services
from sharaka.structure.models import Asset, ManagementStructure, StaffAssignment

SLUG = "base-de-plein-air"
COZ = "Commune d'Oued Zitoune"
TIZGUI = "Commune de Tizgui"
RECEPTION = "Accueil du camping"
#: Cash contributions of the season, pledged and received in full: the key of the sharing.
CONTRIBUTIONS = {COZ: Decimal("75000.00"), TIZGUI: Decimal("52433.37")}

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
    _registers(admin, context, partnership)
    today = timezone.localdate()
    services.expire_due(today=today)  # the daily job: the one-year term is reached
    if not Termination.objects.filter(partnership=partnership).exists():
        return
    partnership.refresh_from_db()
    _settle(admin, partnership)
    decision = _board_approves(admin, partnership, today - timedelta(days=2))
    services.accounts_approve(by=admin, partnership=partnership, decision=decision)


def _registers(admin: Any, context: Any, partnership: Partnership) -> None:
    """Two more assets (the generator, the canoes) and a reception agent of Tizgui."""
    orgs = context.organizations
    for name, reference, owner, value, condition in (
        ("Groupe électrogène 20 kVA", "EQ-OZ-GE-01", COZ, "38000", "good"),
        ("Lot de 6 canoës-kayaks", "EQ-OZ-CK-06", COZ, "27000", "fair"),
    ):  # fmt: skip
        if not Asset.objects.filter(partnership=partnership, reference=reference).exists():
            structure_services.asset_create(by=admin, partnership=partnership, fields={
                "kind": "equipment", "name": name, "reference": reference,
                "owner": orgs[owner], "provided_by": orgs[owner], "value": Decimal(value),
                "location": "Réserve", "condition": condition,
            })  # fmt: skip
    structure = ManagementStructure.objects.filter(partnership=partnership).first()
    if (
        structure is None
        or StaffAssignment.objects.filter(structure=structure, title=RECEPTION).exists()
    ):
        return
    person = person_create(by=admin, fields={
        "first_name": "Hanane", "last_name": "Boutaleb", "gender": "f",
        "organization": orgs[TIZGUI], "position": "Agente d'accueil",
    })  # fmt: skip
    structure_services.staff_add(by=admin, structure=structure, fields={
        "person": person, "role": "team_member", "title": RECEPTION,
        "origin_organization": orgs[TIZGUI], "time_share": Decimal("100"),
        "start_date": date(2025, 12, 1),
    })  # fmt: skip


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
    duration = Clause.objects.get(version=version, code="duration")  # one season-year
    convention_services.clause_update(by=admin, clause=duration, merge=True,
                                      params={"duration_years": 1, "renewal": "none"})  # fmt: skip
    # The key of the clause: each commune's share of the contributions (75,000.00 and
    # 52,433.37 MAD), written as exact fractions.
    termination = Clause.objects.get(version=version, code="termination")
    total = CONTRIBUTIONS[COZ] + CONTRIBUTIONS[TIZGUI]
    convention_services.clause_update(by=admin, clause=termination, merge=True, params={
        "sharing_key": [{"organization": org, "share": f"{int(amount * 100)}/{int(total * 100)}"}
                        for org, amount in CONTRIBUTIONS.items()],
    })  # fmt: skip
    for org, person, capacity, mandate in (
        (COZ, "Alaoui", "Présidente du conseil communal",
         "Délibération du conseil communal n° 2025-41 du 4 novembre 2025"),
        (TIZGUI, "Tazi", "Président du conseil communal",
         "Délibération du conseil communal n° 2025-27 du 6 novembre 2025"),
    ):  # fmt: skip
        convention_services.signatory_add(
            by=admin, version=version, organization=context.organizations[org],
            person=context.people[person], capacity=capacity, mandate_reference=mandate,
        )  # fmt: skip
    convention_services.version_transition(by=admin, version=version,
                                           to_status="under_negotiation")  # fmt: skip
    convention_services.version_transition(
        by=admin, version=version, to_status="signed", on=date(2025, 11, 20),
        effective_date=date(2025, 12, 1),
    )  # fmt: skip
    for org, number, session in ((COZ, "2025-41", date(2025, 11, 4)),
                                 (TIZGUI, "2025-27", date(2025, 11, 6))):  # fmt: skip
        party = Party.objects.get(partnership=partnership, organization=context.organizations[org])
        convention_services.deliberation_record(by=admin, party=party, fields={
            "version": version, "number": number, "session_date": session,
            "transmitted_on": session + timedelta(days=4), "oversight": "no_objection",
        })  # fmt: skip
    convention_services.version_transition(by=admin, version=version, to_status="in_force")


def _contributions(admin: Any, partnership: Partnership, orgs: dict[str, Any]) -> None:
    if Contribution.objects.filter(partnership=partnership).exists():
        return
    for org, amount in CONTRIBUTIONS.items():
        finance_services.contribution_create(
            by=admin, partnership=partnership,
            fields={"organization": orgs[org], "year": 2026, "kind": "cash",
                    "description": "Fonctionnement de la saison 2025-2026",
                    "pledged": amount, "received": amount},
        )  # fmt: skip


def _board_approves(admin: Any, partnership: Partnership, day: date) -> Decision | None:
    """A held meeting where the board approves the final accounts and their sharing."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        meeting = meeting_services.meeting_create(
            by=admin, partnership=partnership,
            fields={"title": "Réunion extraordinaire : comptes de clôture",
                    "kind": "extraordinary", "starts_at": _at(day, 10), "ends_at": _at(day, 12),
                    "place": "Siège de la commune d'Oued Zitoune"},
        )  # fmt: skip
        item = meeting_services.item_add(
            by=admin, meeting=meeting,
            fields={"kind": "deliberation", "title": "Comptes de clôture et leur répartition",
                    "description": "Excédent de la saison partagé selon les contributions."},
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
        text="Le conseil approuve les comptes de clôture : un excédent de 127 433,37 MAD, "
             "réparti entre les deux communes au prorata de leurs contributions.",
        at=_at(day, 10, 30),
    )  # fmt: skip
    for row in roll.voting:
        meeting_services.ballot_record(by=admin, motion=motion, mandate_id=row.mandate.pk,
                                       choice="yes")  # fmt: skip
    result = meeting_services.motion_close(by=admin, motion=motion, at=_at(day, 10, 40))
    return result.decision


def _settle(admin: Any, partnership: Partnership) -> None:
    """Every asset and staff item done with its disposition; the documents still open."""
    for item in WindDownItem.objects.filter(partnership=partnership).order_by("position"):
        for needle, disposition, notes in DISPOSITIONS:
            if needle in item.subject:
                services.item_update(
                    by=admin, item=item,
                    fields={"status": "done", "disposition": disposition, "notes": notes},
                    evidence=_pdf("pv-liquidation.pdf"), evidence_title="Procès-verbal",
                )  # fmt: skip
                break


#: (a word of the item's subject, its disposition, the note): assets then staff.
DISPOSITIONS = (
    ("Terrain de camping", "returned", "Rendu à la commune d'Oued Zitoune ; état : moyen."),
    ("Groupe électrogène", "transferred", "Transféré à la commune de Tizgui ; état : bon."),
    ("canoës", "sold", "Vendus aux enchères publiques pour 18 500 MAD ; état : moyen."),
    ("tentes", "written_off", "Mises au rebut : toile déchirée ; état : hors service."),
    ("Ouhaddou", "returned_to_body", "Réintégré au service des espaces verts."),
    ("Ait Oufella", "returned_to_body", "Réintégré au service de gardiennage de Tizgui."),
    ("Chraibi", "contract_ended", "Contrat de coordination terminé avec son préavis."),
    ("Boutaleb", "stays_with_party", "Salariée de la commune de Tizgui, qui la garde."),
)

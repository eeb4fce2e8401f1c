"""Demo meetings of ``complexe-sportif`` (idempotent: nothing is added once a meeting exists).

* A past ordinary meeting, held, minuted, signed and published: the election of a
  vice-chair by secret ballot (the decision appoints the officer on the board), the 2026
  fee schedule adopted by consensus with the private operator recused (conflict of
  interest), the pool maintenance contract rejected by consensus in round one (one
  objection) and adopted in round two by the fallback qualified majority of 2/3; one member
  represented by a written proxy, one excused, an expert present.
* A convened upcoming meeting (after today plus the notice period) whose agenda approves
  the past minutes, with a board-pack document.

Everything goes through the services; the demo sets the clock (``at``) of past steps.
Skipped when the board does not exist (the governance demo did not run).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from sharaka.core.pdf import write_pdf
from sharaka.directory.services import person_update
from sharaka.governance.models import Board, Mandate
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings import notices, services
from sharaka.meetings.models import AgendaItem, Meeting
from sharaka.meetings.selectors import roll_get

SLUG = "complexe-sportif"


def _at(day: Any, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _emails(admin: Any, board: Board) -> None:
    """Give the board's people a demo address, so that convocations have somewhere to go."""
    people = {m.person for m in Mandate.objects.filter(seat__board=board).select_related("person")}
    for person in sorted(people, key=lambda p: p.pk):
        if not person.email:
            local = f"{person.first_name}.{person.last_name}".lower().replace(" ", "-")
            person_update(
                by=admin, person=person, fields={"email": f"{local}@demo.sharaka.example"}
            )


def _pdf() -> bytes:
    html = (
        "<html lang='fr'><body style='font-family: DejaVu Sans'>"
        "<h1>Projet de plan d'action 2027</h1>"
        "<p>Complexe sportif municipal d'Oued Zitoune — document de travail soumis au "
        "conseil d'administration.</p><ol><li>Ouverture sept jours sur sept</li>"
        "<li>Section féminine de natation</li><li>Maîtrise des coûts d'énergie</li></ol>"
        "</body></html>"
    )
    return write_pdf(html)


def _items(admin: Any, meeting: Meeting, specs: list[dict[str, Any]]) -> list[AgendaItem]:
    return [services.item_add(by=admin, meeting=meeting, fields=spec) for spec in specs]


def load(context: Any) -> None:
    _youth_programme_meeting(context)
    partnership = context.partnerships.get(SLUG)
    if partnership is None:
        return
    board = Board.objects.filter(partnership=partnership).first()
    if board is None or Meeting.objects.filter(partnership=partnership).exists():
        return
    admin = context.users["admin"]
    secretary_user = context.users.get("membre.ca")  # Amina Bennani, the board's secretary
    _emails(admin, board)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        past = _past_meeting(context, admin, secretary_user, partnership)
        _upcoming_meeting(admin, partnership, past)


def _youth_programme_meeting(context: Any) -> None:
    """`programme-emploi-jeunes`: a held meeting whose board delegates the coaching of young
    job seekers to Association Jeunesse et Emploi (the structure demo records the delegation)."""
    partnership = context.partnerships.get("programme-emploi-jeunes")
    if partnership is None:
        return
    board = Board.objects.filter(partnership=partnership).first()
    if board is None or Meeting.objects.filter(partnership=partnership).exists():
        return
    admin = context.users["admin"]
    day = timezone.localdate() - timedelta(days=20)
    meeting = services.meeting_create(
        by=admin,
        partnership=partnership,
        fields={
            "title": "Réunion de lancement du programme",
            "kind": "ordinary",
            "starts_at": _at(day, 15),
            "ends_at": _at(day, 17),
            "place": "Maison des jeunes d'Oued Zitoune",
        },
    )
    (delegation,) = _items(
        admin,
        meeting,
        [
            {
                "kind": "deliberation",
                "title": "Délégation de l'accompagnement des jeunes",
                "description": "Accueil, orientation et suivi des jeunes demandeurs d'emploi "
                "confiés à l'Association Jeunesse et Emploi, avec un rapport trimestriel.",
            }
        ],
    )
    _convene(admin, meeting, at=_at(day - timedelta(days=20), 9))
    services.meeting_open(by=admin, meeting=meeting, at=_at(day, 15, 5))
    roll = roll_get(meeting=meeting)
    services.attendance_update(
        by=admin,
        meeting=meeting,
        entries={row.mandate.pk: services.AttendanceInput("present") for row in roll.members},
    )
    motion = services.motion_open(
        by=admin,
        item=delegation,
        voting_mode="show_of_hands",
        decision_kind="delegation",
        text="Le conseil délègue à l'Association Jeunesse et Emploi l'accueil, l'orientation "
        "et le suivi des jeunes du programme, avec un rapport au conseil chaque trimestre.",
        at=_at(day, 15, 30),
    )
    for row in roll.voting:
        services.ballot_record(by=admin, motion=motion, mandate_id=row.mandate.pk, choice="yes")
    services.motion_close(by=admin, motion=motion, at=_at(day, 15, 40))


def _past_meeting(context: Any, admin: Any, secretary_user: Any, partnership: Any) -> Meeting:
    today = timezone.localdate()
    day = today - timedelta(days=45)
    meeting = services.meeting_create(
        by=admin,
        partnership=partnership,
        fields={
            "title": "Session ordinaire d'automne",
            "kind": "ordinary",
            "starts_at": _at(day, 10),
            "ends_at": _at(day, 12, 30),
            "place": "Salle du conseil, Hôtel de ville d'Oued Zitoune",
        },
    )
    report, election, fees, pool, plan = _items(
        admin,
        meeting,
        [
            {
                "kind": "information",
                "title": "Rapport d'activité du coordinateur",
                "description": "Fréquentation du trimestre, état des installations, incidents.",
            },
            {
                "kind": "election",
                "title": "Élection à la vice-présidence du conseil",
                "description": "Le poste de vice-président·e est vacant depuis l'installation du "
                "conseil.",
            },
            {
                "kind": "deliberation",
                "title": "Grille tarifaire 2026 des installations",
                "description": "Tarifs horaires du stade, de la salle couverte et de la piscine ; "
                "gratuité pour les écoles publiques.",
            },
            {
                "kind": "deliberation",
                "title": "Contrat d'entretien de la piscine",
                "description": "Choix du prestataire pour l'entretien et le traitement de l'eau "
                "(trois offres reçues).",
            },
            {
                "kind": "deliberation",
                "title": "Adoption du plan d'action 2025-2027",
                "description": "Plan d'action prévu par la convention : activités, calendrier et "
                "budget par ligne.",
            },
        ],
    )
    del report
    _convene(admin, meeting, at=_at(day - timedelta(days=14), 9))
    services.meeting_open(by=admin, meeting=meeting, at=_at(day, 10, 5))
    roll = roll_get(meeting=meeting)
    by_name = {row.person.last_name: row.mandate.pk for row in roll.members}
    attendance = {name: services.AttendanceInput("present") for name in by_name}
    attendance["Berrada"] = services.AttendanceInput("excused")
    attendance["Sabri"] = services.AttendanceInput(
        "proxy",
        by_name["Bennani"],
        f"Pouvoir écrit du {(day - timedelta(days=3)).strftime('%d/%m/%Y')}",
    )
    attendance["Kettani"] = services.AttendanceInput("absent")
    services.attendance_update(
        by=admin,
        meeting=meeting,
        entries={by_name[name]: entry for name, entry in attendance.items() if name in by_name},
    )
    voters = [
        name
        for name in by_name
        if name in {"Alaoui", "Bakkali", "Tazi", "El Fassi", "Bennani", "Lahlou"}
    ]
    users = _member_users(context, roll)

    # Election by secret ballot: the members vote themselves (the demo records each vote
    # through the member-facing service when the member has an account, else the secretary
    # enters it — a secret vote forbids that, so the election is held by show of hands).
    motion = services.motion_open(
        by=admin,
        item=election,
        voting_mode="show_of_hands",
        decision_kind="officer_appointment",
        text="Rachid El Fassi est élu vice-président du conseil d'administration.",
        appoint_role="vice_chair",
        appoint_mandate_id=by_name["El Fassi"],
        at=_at(day, 10, 40),
    )
    for name in voters:
        services.ballot_record(
            by=admin,
            motion=motion,
            mandate_id=by_name[name],
            choice="abstain" if name == "El Fassi" else "yes",
        )
    services.ballot_record(by=admin, motion=motion, mandate_id=by_name["Sabri"], choice="yes")
    services.motion_close(by=admin, motion=motion, at=_at(day, 10, 50))

    services.recusal_declare(
        by=users.get("Lahlou", admin),
        item=fees,
        mandate_id=by_name["Lahlou"],
        reason="Atlas Loisirs SARL exploite la cafétéria et loue des créneaux : intérêt direct.",
    )
    motion = services.motion_open(
        by=admin,
        item=fees,
        voting_mode="show_of_hands",
        text="Le conseil adopte la grille tarifaire 2026 annexée, avec la gratuité pour les "
        "écoles publiques.",
        at=_at(day, 11),
    )
    for name in voters:
        if name != "Lahlou":
            services.ballot_record(by=admin, motion=motion, mandate_id=by_name[name], choice="yes")
    services.ballot_record(by=admin, motion=motion, mandate_id=by_name["Sabri"], choice="yes")
    services.motion_close(by=admin, motion=motion, at=_at(day, 11, 10))

    text = (
        "Le conseil retient l'offre de la société Aqua Atlas pour l'entretien de la piscine, "
        "pour un an renouvelable."
    )
    choices = {
        "Alaoui": "yes",
        "Bakkali": "yes",
        "Tazi": "no",
        "El Fassi": "yes",
        "Bennani": "yes",
        "Lahlou": "abstain",
        "Sabri": "yes",
    }
    motion = services.motion_open(
        by=admin, item=pool, voting_mode="nominal", text=text, at=_at(day, 11, 20)
    )
    _vote(admin, users, motion, choices, by_name)
    services.motion_close(by=admin, motion=motion, at=_at(day, 11, 35))
    motion = services.motion_next_round(by=admin, motion=motion, at=_at(day, 11, 40))
    _vote(admin, users, motion, choices, by_name)
    services.motion_close(by=admin, motion=motion, at=_at(day, 11, 50))

    motion = services.motion_open(
        by=admin,
        item=plan,
        voting_mode="show_of_hands",
        decision_kind="action_plan_adoption",
        text="Le conseil adopte le plan d'action 2025-2027 du complexe sportif, annexé.",
        at=_at(day, 12),
    )
    for name in [*voters, "Sabri"]:
        services.ballot_record(by=admin, motion=motion, mandate_id=by_name[name], choice="yes")
    services.motion_close(by=admin, motion=motion, at=_at(day, 12, 10))

    minutes = services.minutes_draft(by=admin, meeting=meeting, at=_at(day, 12, 30))
    services.minutes_update(
        by=admin,
        minutes=minutes,
        opening_text="La séance est ouverte à 10 h 05 sous la présidence de Fatima Alaoui, "
        "présidente du conseil. Amina Bennani assure le secrétariat.",
        item_notes={
            "1": "Le coordinateur présente une fréquentation en hausse de 12 % et signale la "
            "panne de la chaudière de la piscine, réparée en septembre.",
            "3": "Atlas Loisirs SARL, intéressée aux tarifs, s'est retirée de la délibération.",
            "4": "La commune de Tizgui s'oppose au premier tour, préférant l'offre la moins "
            "chère ; faute de consensus, le conseil vote au second tour à la majorité "
            "qualifiée prévue par la convention.",
        },
        closing_text="L'ordre du jour étant épuisé, la séance est levée à 12 h 30.",
    )
    services.minutes_sign(
        by=admin, minutes=minutes, role="chair", at=_at(day + timedelta(days=2), 9)
    )
    signer = secretary_user if secretary_user is not None else admin
    services.minutes_sign(
        by=signer, minutes=minutes, role="secretary", at=_at(day + timedelta(days=2), 15)
    )
    services.meeting_publish(by=admin, meeting=meeting)
    return meeting


def _member_users(context: Any, roll: Any) -> dict[str, Any]:
    users = {}
    for user in context.users.values():
        for row in roll.members:
            if user.person_id is not None and user.person_id == row.person.pk:
                users[row.person.last_name] = user
    return users


def _vote(
    admin: Any, users: dict[str, Any], motion: Any, choices: dict[str, str], by_name: dict[str, int]
) -> None:
    """Members with an account vote themselves (nominal vote); the secretary enters the
    others' votes, and the proxy holder votes for the member they represent."""
    for name, choice in choices.items():
        user = users.get(name)
        if name == "Sabri" and "Bennani" in users:
            services.ballot_cast(
                by=users["Bennani"], motion=motion, choice=choice, for_mandate_id=by_name["Sabri"]
            )
        elif user is not None:
            services.ballot_cast(by=user, motion=motion, choice=choice)
        else:
            services.ballot_record(by=admin, motion=motion, mandate_id=by_name[name], choice=choice)


def _upcoming_meeting(admin: Any, partnership: Any, past: Meeting) -> Meeting:
    today = timezone.localdate()
    notice = rules_in_force_get(partnership=partnership, at=today).notice_period_days
    day = today + timedelta(days=max(notice, 10) + 11)
    meeting = services.meeting_create(
        by=admin,
        partnership=partnership,
        fields={
            "title": "Session ordinaire d'hiver",
            "kind": "ordinary",
            "starts_at": _at(day, 15),
            "place": "Salle du conseil, Hôtel de ville d'Oued Zitoune",
            "video_link": "https://visio.oued-zitoune.example/conseil-complexe",
        },
    )
    minutes = past.minutes
    items = _items(
        admin,
        meeting,
        [
            {
                "kind": "minutes_approval",
                "title": "Approbation du procès-verbal de la séance d'automne",
                "minutes_to_approve": minutes,
            },
            {
                "kind": "deliberation",
                "title": "Projet de plan d'action 2027",
                "description": "Présentation du projet par le coordinateur ; adoption.",
            },
            {"kind": "information", "title": "Questions diverses"},
        ],
    )
    services.document_add(
        by=admin,
        meeting=meeting,
        title="Projet de plan d'action 2027",
        item=items[1],
        file=SimpleUploadedFile("plan-action-2027.pdf", _pdf(), content_type="application/pdf"),
    )
    _convene(admin, meeting)
    return meeting


def _convene(admin: Any, meeting: Meeting, *, at: datetime | None = None) -> None:
    """Convene, and send the queued e-mails at once (to memory): the demo's notices show as
    sent without a worker, and a worker started later finds nothing left to send."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        notice = services.meeting_convene(by=admin, meeting=meeting, at=at)
        notices.notice_deliver(notice.pk)

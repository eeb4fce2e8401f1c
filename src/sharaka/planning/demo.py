"""Demo action plan of ``complexe-sportif`` (idempotent, through the services).

The 2025-2027 plan: four objectives, twelve activities (A1.1 to A4.3) with budget lines by
category and year. It is adopted by the board's decision of kind ``action_plan_adoption``
when the meetings demo has recorded one; otherwise the version stays a draft (a plan is
never in force without the board's decision). Once adopted, a revision is prepared for 2027
(a new draft that the board will have to adopt). Some activities name a staff member as
responsible: ``sharaka.demo`` loads the structures and their staff first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sharaka.directory.models import Person
from sharaka.planning import services
from sharaka.planning.models import ActionPlan, Activity, VersionStatus
from sharaka.planning.selectors import adoption_decision_choices

SLUG = "complexe-sportif"
TITLE = "Plan d'action 2025-2027"
COZ = "Commune d'Oued Zitoune"
TIZGUI = "Commune de Tizgui"
ARDA = "Agence régionale de développement de l'Atlas"
AMAL = "Association Amal pour le sport"
ATLAS = "Atlas Loisirs SARL"

OBJECTIVES = [
    ("O1", "Ouvrir le complexe aux clubs, aux écoles et au public sept jours sur sept"),
    ("O2", "Développer le sport féminin et le sport pour les personnes handicapées"),
    ("O3", "Maîtriser les coûts d'exploitation et d'entretien"),
    ("O4", "Gouvernance, communication et évaluation"),
]

# code, objective, title, responsible (organisation name or staff last name), start, end,
# deliverables, status, progress, lines [(category, label, {year: amount})]
ACTIVITIES: list[tuple[Any, ...]] = [
    ("A1.1", "O1", "Extension des horaires d'ouverture", "Filali",
     date(2025, 1, 1), date(2025, 6, 30), "Nouveaux horaires affichés ; planning des équipes",
     "done", 100, [("staff", "Heures d'ouverture supplémentaires",
                    {2025: 180000, 2026: 190000, 2027: 195000})]),
    ("A1.2", "O1", "Planning partagé des créneaux des clubs et des écoles", AMAL,
     date(2025, 3, 1), date(2025, 12, 31), "Convention type club-école ; planning annuel",
     "done", 100, [("operations", "Coordination des clubs", {2025: 25000})]),
    ("A1.3", "O1", "Réservation en ligne des installations", ATLAS,
     date(2026, 1, 1), date(2026, 12, 31), "Service de réservation en ligne ; guide d'usage",
     "in_progress", 60, [("equipment", "Logiciel et bornes", {2026: 140000}),
                         ("communication", "Lancement du service", {2026: 30000})]),
    ("A2.1", "O2", "Section féminine de natation", "Tahiri",
     date(2025, 9, 1), date(2027, 6, 30), "120 nageuses inscrites ; deux compétitions par an",
     "in_progress", 45, [("staff", "Encadrement", {2025: 30000, 2026: 90000, 2027: 60000}),
                         ("equipment", "Matériel pédagogique", {2025: 15000})]),
    ("A2.2", "O2", "Mise en accessibilité des vestiaires et des gradins", COZ,
     date(2026, 3, 1), date(2027, 3, 31), "Rampes, vestiaires adaptés, places réservées",
     "in_progress", 30, [("equipment", "Travaux d'accessibilité",
                          {2026: 850000, 2027: 350000})]),
    ("A2.3", "O2", "Tournoi annuel handisport", AMAL,
     date(2025, 5, 1), date(2027, 10, 31), "Un tournoi par an ; bilan de participation",
     "in_progress", 50, [("operations", "Organisation du tournoi",
                          {2025: 40000, 2026: 45000, 2027: 45000}),
                         ("communication", "Affiches et diffusion",
                          {2025: 8000, 2026: 8000, 2027: 8000})]),
    ("A3.1", "O3", "Audit énergétique du complexe", ARDA,
     date(2025, 2, 1), date(2025, 7, 31), "Rapport d'audit et plan d'économies",
     "done", 100, [("evaluation_audit", "Bureau d'études", {2025: 120000})]),
    ("A3.2", "O3", "Éclairage LED du stade", COZ,
     date(2025, 10, 1), date(2026, 9, 30), "Projecteurs LED installés ; consommation suivie",
     "delayed", 70, [("equipment", "Projecteurs et pose", {2025: 600000, 2026: 900000})]),
    ("A3.3", "O3", "Contrat d'entretien de la piscine", "Alami",
     date(2026, 1, 1), date(2027, 12, 31), "Contrat signé ; rapports d'intervention",
     "in_progress", 40, [("operations", "Entretien et traitement de l'eau",
                          {2026: 260000, 2027: 270000})]),
    ("A4.1", "O4", "Plan de communication et site du complexe", "Benali",
     date(2025, 1, 1), date(2027, 12, 31), "Plan de communication ; site ; lettre trimestrielle",
     "in_progress", 55, [("communication", "Site et lettre d'information",
                          {2025: 35000, 2026: 20000, 2027: 20000})]),
    ("A4.2", "O4", "Enquêtes de satisfaction des usagers", TIZGUI,
     date(2025, 6, 1), date(2027, 12, 31), "Une enquête par an ; résultats publiés",
     "in_progress", 40, [("evaluation_audit", "Enquêtes annuelles",
                          {2025: 15000, 2026: 15000, 2027: 15000})]),
    ("A4.3", "O4", "Évaluation à mi-parcours et audit des comptes", ARDA,
     date(2026, 1, 1), date(2027, 12, 31), "Rapport d'évaluation ; rapport d'audit",
     "planned", 10, [("evaluation_audit", "Évaluation externe", {2026: 80000}),
                     ("evaluation_audit", "Audit des comptes", {2026: 40000, 2027: 40000}),
                     ("other", "Imprévus", {2027: 50000})]),
]  # fmt: skip


def _responsible(context: Any, name: str) -> dict[str, Any]:
    if name in context.organizations:
        return {"responsible_organization": context.organizations[name]}
    person = Person.objects.filter(last_name=name).first()
    return {"responsible_person": person} if person is not None else {}


def _build(admin: Any, context: Any, partnership: Any) -> ActionPlan:
    plan = services.plan_create(
        by=admin, partnership=partnership,
        fields={"title": TITLE, "period_start": date(2025, 1, 1),
                "period_end": date(2027, 12, 31)},
        note="Premier plan d'action, préparé avec les partenaires à l'installation du conseil.",
    )  # fmt: skip
    version = plan.versions.get(number=1)
    objectives = {
        code: services.objective_create(by=admin, version=version,
                                        fields={"code": code, "title": title})
        for code, title in OBJECTIVES
    }  # fmt: skip
    for (
        code,
        objective,
        title,
        who,
        start,
        end,
        deliverables,
        status,
        progress,
        lines,
    ) in ACTIVITIES:
        activity = services.activity_create(
            by=admin, version=version,
            fields={
                "objective": objectives[objective], "code": code, "title": title,
                "start_date": start, "end_date": end, "deliverables": deliverables,
                "status": status, "progress": progress, **_responsible(context, who),
            },
        )  # fmt: skip
        for category, label, amounts in lines:
            services.budget_line_create(
                by=admin, activity=activity, fields={"category": category, "label": label},
                amounts={year: Decimal(value) for year, value in amounts.items()},
            )  # fmt: skip
    return plan


def _adopt(admin: Any, partnership: Any, plan: ActionPlan) -> None:
    """Adopt the draft with the board's decision, when the meetings demo recorded one."""
    draft = plan.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None or plan.versions.exclude(status=VersionStatus.DRAFT).exists():
        return
    decision = adoption_decision_choices(partnership=partnership).order_by("decided_on").first()
    if decision is None:
        return  # the version stays a draft: no plan is in force without the board
    draft.plan = plan
    adopted = services.plan_version_adopt(by=admin, version=draft, decision=decision)
    adopted.plan = plan
    revision = services.plan_version_revise(
        by=admin, version=adopted,
        note="Révision 2027 : école de natation pour les enfants des quartiers.",
    )  # fmt: skip
    revision.plan = plan
    objective = revision.objectives.get(code="O2")
    activity = services.activity_create(
        by=admin, version=revision,
        fields={
            "objective": objective, "code": "A2.4",
            "title": "École de natation pour les enfants des quartiers",
            "start_date": date(2027, 1, 1), "end_date": date(2027, 12, 31),
            "deliverables": "200 enfants initiés à la natation",
            "responsible_organization": partnership.parties.get(
                organization__name=AMAL).organization,
        },
    )  # fmt: skip
    services.budget_line_create(
        by=admin, activity=activity, fields={"category": "staff", "label": "Maîtres-nageurs"},
        amounts={2027: Decimal(75000)},
    )  # fmt: skip


def load(context: Any) -> None:
    partnership = context.partnerships.get(SLUG)
    if partnership is None:
        return
    admin = context.users["admin"]
    plan = ActionPlan.objects.filter(partnership=partnership, title=TITLE).first()
    if plan is None:
        plan = _build(admin, context, partnership)
    plan.partnership = partnership
    if not Activity.objects.filter(version__plan=plan).exists():
        return
    _adopt(admin, partnership, plan)

"""Demo of the audit (idempotent): ``complexe-sportif`` gets one expense entered twice (same
supplier, reference and amount), then one stored run of the checks, which finds it beside the
demo's existing problems (missing receipts, the overrun awaiting a decision); its audit plan
with the 2025 financial verification reported (five findings, recommendations followed up:
two verified, one overdue on the next board meeting's agenda) and the 2026 one in progress
with a drawn sample.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.audit import engagements, plans, recommendations, services
from sharaka.audit.models import (
    Audit,
    AuditFinding,
    AuditKind,
    AuditStatus,
    CheckRun,
    FollowUp,
    Recommendation,
    SampleMethod,
    Trigger,
)
from sharaka.core.access import forget_grants
from sharaka.core.errors import DomainError
from sharaka.directory.models import Person
from sharaka.finance import services as finance
from sharaka.finance.demo import PDF
from sharaka.finance.models import Expense, ExpenseStatus
from sharaka.meetings import services as meeting_services
from sharaka.meetings.models import Meeting, MeetingStatusChoice
from sharaka.partnerships.models import Party

SLUG = "complexe-sportif"
#: the description of the planted duplicate (how the demo finds it again)
DUPLICATE_NOTE = "Facture saisie une seconde fois"


def _plant_duplicate(partnership: Any, coordinator: Any) -> None:
    if Expense.objects.filter(partnership=partnership, description=DUPLICATE_NOTE).exists():
        return
    original = (
        Expense.objects.filter(partnership=partnership, status=ExpenseStatus.PAID)
        .exclude(document="")
        .exclude(reference="")
        .order_by("-pk")
        .first()
    )
    if original is None:
        return
    fields = {
        "date": original.date,
        "amount": original.amount,
        "supplier": original.supplier,
        "reference": original.reference,
        "activity": original.activity,
        "line": original.line,
        "description": DUPLICATE_NOTE,
    }
    receipt = SimpleUploadedFile("facture.pdf", PDF, content_type="application/pdf")
    # entered again and confirmed as "not a duplicate" on the form: what the checks still catch
    finance.expense_record(
        by=coordinator, partnership=partnership, fields=fields, document=receipt,
        confirm_duplicate=True,
    )  # fmt: skip


def load(context: Any) -> None:
    partnership = context.partnerships.get(SLUG)
    if partnership is None:
        return
    coordinator = context.users.get("coord.sport") or context.users["admin"]
    _plant_duplicate(partnership, coordinator)
    if not CheckRun.objects.filter(partnership=partnership).exists():
        services.check_run(by=None, partnership=partnership, trigger=Trigger.SCHEDULER)
    _plan(partnership, coordinator, context.users.get("auditeur"))


def _financial(partnership: Any, year: int) -> Audit | None:
    return (
        Audit.objects.filter(
            partnership=partnership, kind=AuditKind.FINANCIAL, period_start__year=year
        )
        .order_by("period_start", "id")
        .first()
    )


def _plan(partnership: Any, coordinator: Any, auditor: Any) -> None:
    """The audit plan from the convention's audit clause: the 2025 financial verification
    reported, the 2026 one in progress with the demo auditor and a drawn sample."""
    if Audit.objects.filter(partnership=partnership).exists():
        return
    try:
        plans.plan_generate(by=coordinator, partnership=partnership)
    except DomainError:
        return
    done = _financial(partnership, 2025)
    current = _financial(partnership, 2026)
    if done is not None and (current is None or auditor is None):
        plans.audit_update(by=coordinator, audit=done, fields={
            "status": AuditStatus.REPORTED,
            "scope": "Comptes de l'exercice 2025, contributions et dépenses.",
        })  # fmt: skip
    if current is None or auditor is None:
        return
    today = timezone.localdate()
    starts = max(today - timedelta(days=20), partnership.start_date)
    ends = today + timedelta(days=40)
    if partnership.end_date is not None:
        ends = min(ends, partnership.end_date)
    current = plans.audit_update(by=coordinator, audit=current, fields={
        "auditor": auditor, "starts_on": starts, "ends_on": ends,
        "status": AuditStatus.IN_PROGRESS,
        "scope": "Vérification des dépenses 2026 au regard du plan d'action.",
    })  # fmt: skip
    population = len(plans.sample_population(current))
    if population:
        current = plans.sample_draw(by=coordinator, audit=current, size=min(8, population),
                                    method=SampleMethod.AMOUNT, seed=2026)  # fmt: skip
    _work(current, auditor)
    if done is not None:
        _year_2025(done, coordinator, auditor)


def _work(audit: Audit, auditor: Any) -> None:
    """The auditor's work so far on the 2026 engagement: a work paper and two findings, one
    on sampled expenses."""
    paper = SimpleUploadedFile("grille-controle.pdf", PDF, content_type="application/pdf")
    engagements.paper_add(
        by=auditor, audit=audit, title="Grille de contrôle des pièces", upload=paper
    )
    engagements.finding_add(by=auditor, audit=audit, fields={
        "title": "Pièces justificatives incomplètes", "severity": "high",
        "criterion": "Convention, article financier : toute dépense est justifiée par une "
                     "facture acquittée.",
        "condition": "Deux dépenses de l'échantillon n'ont pas de facture jointe.",
        "cause": "Classement des pièces tenu à part par le prestataire.",
        "effect": "Dépenses non justifiables devant le comité de pilotage.",
        "responsible": "Commune", "expenses": list(audit.sample)[:2],
    })  # fmt: skip
    engagements.finding_add(by=auditor, audit=audit, fields={
        "title": "Visa de l'ordonnateur tardif", "severity": "medium",
        "criterion": "Procédure d'engagement des dépenses de la convention.",
        "condition": "Une dépense payée avant son approbation.",
        "cause": "Urgence d'une réparation.", "effect": "Contrôle interne contourné.",
        "responsible": "Coordination", "expenses": list(audit.sample)[2:3],
    })  # fmt: skip


# --- The 2025 financial verification: reported, its recommendations followed up -------------

#: The 2025 engagement, run by the same auditor early in 2026.
ENGAGED_2025 = (date(2026, 1, 12), date(2026, 3, 13))
REPORTED_2025 = date(2026, 3, 10)

_FINDINGS_2025 = [
    ("Pièces justificatives manquantes", "high",
     "Convention, article financier : toute dépense est justifiée par une facture acquittée.",
     "Six dépenses de 2025 payées sans facture jointe au dossier."),
    ("Dépassement d'une ligne sans décision du conseil", "high",
     "Convention : tout dépassement au-delà de la tolérance est autorisé par le conseil.",
     "La ligne « Entretien des installations » dépasse la tolérance sans délibération."),
    ("Contributions encaissées en retard", "medium",
     "Convention : chaque partie verse sa contribution avant la fin de l'exercice.",
     "Une contribution de 2025 reçue en partie seulement au 31 décembre."),
    ("Inventaire des biens incomplet", "medium",
     "Décret 2.16.404 : les biens mis à disposition sont inventoriés et localisés.",
     "Trois équipements sans lieu d'affectation au registre."),
    ("Procès-verbaux signés hors délai", "low",
     "Loi 113-14, art. 116 : le procès-verbal est signé dans les délais.",
     "Un procès-verbal signé 25 jours ouvrés après la séance."),
]  # fmt: skip

#: (finding number, text, party role, due on, follow-up: [(status, text, on)], verified)
_RECOMMENDATIONS_2025 = [
    (1, "Joindre à chaque dépense sa facture acquittée avant le paiement et compléter les six "
        "dossiers de 2025.", "lead", date(2026, 5, 31),
     [("in_progress", "Factures demandées aux fournisseurs.", date(2026, 4, 2)),
      ("done", "Les six factures sont jointes ; contrôle avant paiement en place.",
       date(2026, 5, 20))], True),
    (2, "Soumettre au conseil une délibération autorisant le dépassement, ou réduire les "
        "engagements de la ligne.", "operator", date(2026, 6, 30),
     [("done", "Délibération du conseil adoptée en séance de printemps.", date(2026, 6, 18))],
     True),
    (3, "Relancer les parties et obtenir le versement du solde des contributions 2025.",
     "lead", date(2026, 10, 31),
     [("in_progress", "Relance adressée ; versement annoncé pour l'automne.",
       date(2026, 7, 15))], False),
    (4, "Compléter le registre des biens avec le lieu d'affectation de chaque équipement.",
     "operator", date(2027, 3, 31), [], False),
    (5, "Signer les procès-verbaux dans les quinze jours ouvrés suivant la séance.", "lead",
     date(2026, 6, 30),
     [("not_accepted", "Le délai légal est respecté pour les séances ordinaires ; l'écart "
       "tient à une séance extraordinaire.", date(2026, 4, 10))], False),
]  # fmt: skip


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _owner(partnership: Any, role: str) -> dict[str, Any]:
    party = (
        Party.objects.filter(partnership=partnership, role=role).order_by("id").first()
        or Party.objects.filter(partnership=partnership).order_by("id").first()
    )
    if party is None:
        return {}
    person = Person.objects.filter(organization_id=party.organization_id).order_by("id").first()
    return {"owner_party": party, "owner_person": person}


def _year_2025(audit: Audit, coordinator: Any, auditor: Any) -> None:
    """The 2025 verification by the demo auditor: five findings, the report issued, five
    recommendations answered by the coordinator; two verified by the auditor (now engaged on
    2026), one overdue and proposed on the next board meeting's agenda."""
    starts, ends = ENGAGED_2025
    audit = plans.audit_update(by=coordinator, audit=audit, fields={
        "auditor": auditor, "starts_on": starts, "ends_on": ends,
        "status": AuditStatus.IN_PROGRESS,
        "scope": "Comptes de l'exercice 2025, contributions et dépenses.",
    })  # fmt: skip
    forget_grants(auditor)
    findings = []
    for n, (title, severity, criterion, condition) in enumerate(_FINDINGS_2025):
        day = starts + timedelta(days=7 * (n + 1))
        finding = engagements.finding_add(by=auditor, audit=audit, today=day, fields={
            "title": title, "severity": severity, "criterion": criterion,
            "condition": condition, "responsible": "",
        })  # fmt: skip
        AuditFinding.objects.filter(pk=finding.pk).update(recorded_at=_at(day))
        finding.recorded_at = _at(day)
        findings.append(finding)
    engagements.report_issue(by=auditor, audit=audit, today=REPORTED_2025)
    Audit.objects.filter(pk=audit.pk).update(reported_at=_at(REPORTED_2025))
    for number, text, role, due, answers, verified in _RECOMMENDATIONS_2025:
        owner = _owner(audit.partnership, role)
        if not owner:
            return
        rec = recommendations.recommendation_add(
            by=auditor, finding=findings[number - 1], today=REPORTED_2025,
            fields={"text": text, "due_on": due, **owner},
        )  # fmt: skip
        Recommendation.objects.filter(pk=rec.pk).update(created_at=_at(REPORTED_2025))
        for status, answer, on in answers:
            evidence = None
            if status == "done":
                evidence = SimpleUploadedFile("preuve.pdf", PDF, content_type="application/pdf")
            entry = recommendations.follow_up_add(
                by=coordinator, recommendation=rec, text=answer, status=status, evidence=evidence
            )
            FollowUp.objects.filter(pk=entry.pk).update(recorded_at=_at(on))
        if verified:
            recommendations.recommendation_verify(
                by=auditor, recommendation=rec, verified=True,
                text="Pièces revues lors de la mission 2026 : mise en œuvre établie.",
            )  # fmt: skip
    _next_session(audit.partnership, coordinator)
    recommendations.escalate_overdue(partnership_id=audit.partnership_id)


def _next_session(partnership: Any, by: Any) -> None:
    """The board's next session in preparation (the winter one is already convened), on
    whose agenda the overdue recommendation is proposed."""
    now = timezone.now()
    if Meeting.objects.filter(
        partnership=partnership, status=MeetingStatusChoice.PLANNED, starts_at__gte=now
    ).exists():
        return
    day = timezone.localdate() + timedelta(days=100)
    meeting_services.meeting_create(by=by, partnership=partnership, fields={
        "title": "Session ordinaire de printemps", "kind": "ordinary",
        "starts_at": timezone.make_aware(datetime.combine(day, time(15))),
        "place": "Salle du conseil, Hôtel de ville d'Oued Zitoune",
    })  # fmt: skip

"""Demo admissibility files of the Commune d'Oued Zitoune (idempotent, through the
services; dates relative to today so that the demo tells the same story any day).

* Association Amal pour le sport: every piece accepted, admissible (score shown), and the
  officer's decision recorded.
* Association Tifawin des femmes rurales: its bureau list expired ten days ago and it gave
  no financial statements: incomplete.
* Association Jeunesse et Emploi: a provisional receipt of 2019 (60 days long past,
  dahir art. 5), a report on its previous grant: admissible, not decided yet. Hassan Ouali,
  an elected member of Oued Zitoune's council (``coord.sport``), is its treasurer, and the
  two are parties to ``programme-emploi-jeunes``: a conflict of interest (law 113-14 art.
  65) waiting for his declaration (on the to-do lists of ``agent.oz`` and ``coord.sport``).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.core.types import Actor
from sharaka.partners import defaults, grants, rules, selectors, services
from sharaka.partners.models import (
    AdmissibilityFile,
    BureauMember,
    CheckStatus,
    Councillor,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Evidence,
    FundingThreshold,
    Grant,
)
from sharaka.partnerships.demo import DemoContext

COZ = "Commune d'Oued Zitoune"
AMAL = "Association Amal pour le sport"
TIFAWIN = "Association Tifawin des femmes rurales"
AJE = "Association Jeunesse et Emploi"

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

#: association -> (previously funded, criteria left out, expired criteria, scores,
#: provisional receipt issued on)
FILES: dict[str, tuple[bool, set[str], set[str], dict[str, int], date | None]] = {
    AMAL: (False, set(), set(),
           {"local_roots": 4, "disadvantaged_groups": 3, "sector_experience": 5}, None),
    TIFAWIN: (False, {"financial_statements"}, {"bureau_list"},
              {"local_roots": 5, "disadvantaged_groups": 5, "sector_experience": 2}, None),
    AJE: (True, set(), set(),
          {"local_roots": 5, "disadvantaged_groups": 4, "sector_experience": 4},
          date(2019, 11, 20)),
}  # fmt: skip


def load(context: DemoContext) -> None:
    defaults.load(CriteriaSet, Criterion, FundingThreshold)  # a flushed database has none
    authority = context.organizations[COZ]
    officer = context.users["agent.oz"]
    criteria = selectors.criteria_list(authority_id=authority.pk)
    today = timezone.localdate()
    for name, (funded, left_out, expired, scores, provisional) in FILES.items():
        association = context.organizations[name]
        if AdmissibilityFile.objects.filter(association=association, authority=authority).exists():
            continue
        file = services.file_open(
            by=officer, association=association, authority=authority, previously_funded=funded
        )
        for criterion in criteria:
            if criterion.code in left_out:
                continue
            piece = _add(officer, file, criterion, today, scores, expired, provisional)
            if piece is not None:
                services.evidence_check(by=officer, evidence=piece, status=CheckStatus.ACCEPTED,
                                        comment="Conforme.")  # fmt: skip
        if name == AMAL:
            services.file_decide(
                by=officer, file=file, decision="admissible",
                reason="Toutes les pièces éliminatoires sont fournies et en cours de validité.",
            )  # fmt: skip
    load_conflicts(context)
    load_grants(context)


#: Oued Zitoune's elected members in the demo (last name -> start of the council's term)
COUNCILLORS = {"Alaoui": date(2021, 9, 22), "Ouali": date(2021, 9, 22)}
#: bureaux: association -> [(last name, role, since)]
BUREAUX = {
    AJE: [("Idrissi", "Président", date(2024, 6, 15)), ("Ouali", "Trésorier", date(2024, 6, 15))],
    AMAL: [("Bennani", "Présidente", date(2023, 5, 20))],
}


#: Oued Zitoune's grants register: (year, association, purpose, amount, achievements)
GRANTS = [
    (2025, AMAL, "École de football des quartiers", "18000.00", "120 enfants inscrits."),
    (2025, AJE, "Ateliers d'orientation professionnelle", "9000.00", "8 ateliers, 95 jeunes."),
    (2026, AMAL, "École de football des quartiers", "20000.00", "140 enfants inscrits."),
    (2026, AMAL, "Tournoi intercommunal de l'été", "8000.00", ""),
    (2026, AJE, "Ateliers d'orientation professionnelle", "12000.00", "En cours."),
    (2026, TIFAWIN, "Coopérative de couscous : équipement", "6000.00", ""),
]


def load_grants(context: DemoContext) -> None:
    """Oued Zitoune's grants table for 2026, with 2025 for the previous year (idempotent):
    Amal's 2026 total crosses 10,000 DH (art. 32 ter), AJE's too."""
    authority = context.organizations[COZ]
    if Grant.objects.filter(authority=authority).exists():
        return
    officer = context.users["agent.oz"]
    for year, name, purpose, amount, achievements in GRANTS:
        grants.grant_record(
            by=officer, authority=authority, association=context.organizations[name],
            year=year, purpose=purpose, amount=Decimal(amount), achievements=achievements,
        )  # fmt: skip


def load_conflicts(context: DemoContext) -> None:
    """Council seats and bureaux (idempotent): Hassan Ouali's conflict with AJE."""
    authority = context.organizations[COZ]
    for name, since in COUNCILLORS.items():
        Councillor.objects.get_or_create(
            authority=authority, person=context.people[name], defaults={"start_date": since}
        )
    for association, members in BUREAUX.items():
        for name, role, since in members:
            BureauMember.objects.get_or_create(
                association=context.organizations[association], person=context.people[name],
                defaults={"role": role, "start_date": since},
            )  # fmt: skip


def _add(
    officer: Actor, file: AdmissibilityFile, criterion: Criterion, today: date,
    scores: dict[str, int], expired: set[str], provisional: date | None,
) -> Evidence | None:  # fmt: skip
    """One accepted piece for ``criterion`` (None when it does not apply to the file)."""
    if not rules.applies(criterion.as_rule(), selectors.facts_of(file)):
        return None
    if criterion.kind == CriterionKind.SCORED:
        return services.evidence_add(
            by=officer, file=file, criterion=criterion, score=scores.get(criterion.code, 3)
        )
    if criterion.kind == CriterionKind.FACT:
        return services.evidence_add(by=officer, file=file, criterion=criterion, value=True)
    issued = today - timedelta(days=400)
    expires: date | None = None
    if criterion.code == "bureau_list":
        late = criterion.code in expired
        expires = today - timedelta(days=10) if late else today + timedelta(days=700)
    is_provisional = criterion.code == "receipt" and provisional is not None
    if is_provisional and provisional is not None:
        issued = provisional
    return services.evidence_add(
        by=officer, file=file, criterion=criterion,
        document=SimpleUploadedFile(f"{criterion.code}.pdf", PDF, content_type="application/pdf"),
        issued_on=issued, expires_on=expires, provisional=is_provisional,
    )  # fmt: skip

"""The default admissibility criteria (dahir 1.58.376 of 15 November 1958 and commune
practice) and funding thresholds (art. 32 ter; circular 7/2003, unverified), as data:
loaded by migration ``partners/0002`` and, after a flush, by the demo. An administrator
changes them in the admin, or gives an authority its own set."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DAHIR = "Dahir n° 1-58-376 du 15 novembre 1958"
PRACTICE = "Pratique des appels à projets communaux"

# code, fr, ar, en, reference, kind, weight, max_score, eliminatory, condition, wait days
CRITERIA = [
    ("receipt", "Récépissé définitif (ou provisoire et 60 jours écoulés)",
     "الوصل النهائي (أو الوصل المؤقت بعد مرور 60 يوما)",
     "Final receipt (or provisional receipt and 60 days elapsed)",
     f"{DAHIR}, art. 5", "document", 2, 1, True, "always", 60),
    ("statutes", "Statuts", "النظام الأساسي", "Statutes",
     f"{DAHIR}, art. 5", "document", 2, 1, True, "always", None),
    ("bureau_list", "Liste du bureau conforme à la dernière assemblée générale, en cours de "
     "mandat", "لائحة أعضاء المكتب المطابقة لآخر جمع عام وغير المنتهية الصلاحية",
     "Bureau list matching the last general assembly, within its term",
     f"{DAHIR}, art. 5 ; statuts de l'association (durée du mandat)", "document", 2, 1, True,
     "always", None),
    ("ga_minutes", "Procès-verbal de la dernière assemblée générale", "محضر آخر جمع عام",
     "Minutes of the last general assembly", PRACTICE, "document", 1, 1, True, "always", None),
    ("moral_report", "Rapport moral", "التقرير الأدبي", "Moral report", PRACTICE,
     "document", 1, 1, False, "always", None),
    ("financial_statements", "États financiers du dernier exercice",
     "القوائم المالية للسنة المالية الأخيرة", "Financial statements of the last year",
     f"{DAHIR}, art. 32 ter ; {PRACTICE}", "document", 2, 1, False, "always", None),
    ("bank_certificate", "Attestation bancaire", "شهادة بنكية", "Bank certificate", PRACTICE,
     "document", 1, 1, True, "always", None),
    ("programme_budget", "Programme d'action et budget prévisionnel",
     "برنامج العمل والميزانية التقديرية", "Programme and budget", PRACTICE, "document", 2, 1,
     True, "always", None),
    ("previous_grant_report", "Rapport sur la subvention précédente",
     "تقرير حول الدعم السابق", "Report on the previous grant",
     f"{DAHIR}, art. 32 ter ; {PRACTICE}", "document", 1, 1, True, "previously_funded", None),
    ("foreign_funding", "Financements étrangers déclarés (ou aucun reçu)",
     "التصريح بالتمويلات الأجنبية (أو عدم تلقيها)",
     "Foreign funding declared (or none received)", f"{DAHIR}, art. 32 bis", "fact", 1, 1,
     False, "always", None),
    ("certified_accounts", "Comptes certifiés par un expert-comptable (utilité publique)",
     "حسابات مصادق عليها من طرف خبير محاسب (جمعية ذات منفعة عامة)",
     "Accounts certified by a chartered accountant (public utility)",
     f"{DAHIR}, art. 9 ; décret n° 2-04-969", "document", 2, 1, True, "public_utility", None),
    ("local_roots", "Ancrage local", "التجذر المحلي", "Local roots", PRACTICE, "scored", 2, 5,
     False, "always", None),
    ("disadvantaged_groups", "Expérience auprès des publics défavorisés",
     "الخبرة مع الفئات الهشة", "Experience with disadvantaged groups", PRACTICE, "scored", 2,
     5, False, "always", None),
    ("sector_experience", "Expérience dans le secteur", "الخبرة في القطاع",
     "Experience in the sector", PRACTICE, "scored", 2, 5, False, "always", None),
]  # fmt: skip

# amount, fr, ar, en, reference, verified
THRESHOLDS = [
    (Decimal("10000"), "Au-delà de 10 000 DH par an, l'association présente ses comptes à la "
     "collectivité", "ما فوق 10.000 درهم في السنة، تقدم الجمعية حساباتها للجماعة",
     "Above 10,000 DH a year, the association presents its accounts to the authority",
     f"{DAHIR}, art. 32 ter", True),
    (Decimal("50000"), "Au-delà de 50 000 DH, une convention de partenariat est requise",
     "ما فوق 50.000 درهم، يلزم إبرام اتفاقية شراكة",
     "Above 50,000 DH, a partnership convention is required",
     "Circulaire n° 7/2003 du Premier ministre (source secondaire, non vérifiée)", False),
]  # fmt: skip


def load(CriteriaSet: Any, Criterion: Any, FundingThreshold: Any) -> None:
    """Create the default criteria set unless one exists, and the default thresholds unless
    some exist (the models are passed: the historical ones in a migration, the real ones in
    the demo)."""
    if not CriteriaSet.objects.filter(authority__isnull=True).exists():
        _criteria(CriteriaSet, Criterion)
    if not FundingThreshold.objects.filter(authority__isnull=True).exists():
        _thresholds(FundingThreshold)


def _criteria(CriteriaSet: Any, Criterion: Any) -> None:
    criteria_set = CriteriaSet.objects.create(
        name="Jeu par défaut (dahir de 1958 et pratique communale)"
    )
    for position, row in enumerate(CRITERIA, start=1):
        code, fr, ar, en, reference, kind, weight, top, eliminatory, condition, wait = row
        Criterion.objects.create(
            criteria_set=criteria_set,
            position=position,
            code=code,
            label_fr=fr,
            label_ar=ar,
            label_en=en,
            reference=reference,
            kind=kind,
            weight=weight,
            max_score=top,
            eliminatory=eliminatory,
            condition=condition,
            provisional_wait_days=wait,
        )


def _thresholds(FundingThreshold: Any) -> None:
    for amount, fr, ar, en, reference, verified in THRESHOLDS:
        FundingThreshold.objects.create(
            amount=amount,
            label_fr=fr,
            label_ar=ar,
            label_en=en,
            reference=reference,
            verified=verified,
        )

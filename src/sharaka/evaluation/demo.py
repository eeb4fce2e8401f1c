"""Demo results frameworks (idempotent, through the services).

* ``complexe-sportif``: 3 results and 8 indicators from a baseline on 1 January 2025, with
  yearly targets and two years of quarterly measurements (2025 and 2026) entered by the
  coordinator and validated by the auditor (the last quarter still waits for its
  validation; one measurement was corrected). Together they show every status: achieved,
  on track, at risk, off track, not due, no measurement yet, and a qualitative one. One
  indicator is disaggregated by sex (active members), one is descending (energy use).
* ``programme-emploi-jeunes``: young women and men placed in jobs and young people
  coached, measured since September 2026, behind target.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sharaka.evaluation import services
from sharaka.evaluation.models import Constraint, Evaluation, GenderMarker, Measurement, Result
from sharaka.meetings.models import Decision
from sharaka.planning.models import Activity
from sharaka.planning.selectors import plan_in_force_get

BASE = date(2025, 1, 1)
YEARS = {2025: (date(2025, 1, 1), date(2025, 12, 31)), 2026: (date(2026, 1, 1), date(2026, 12, 31)),
         2027: (date(2027, 1, 1), date(2027, 12, 31))}  # fmt: skip
QUARTERS = [
    (date(y, m, 1), date(y, m + 2, 30 if m + 2 in (6, 9) else 31))
    for y in (2025, 2026)
    for m in (1, 4, 7, 10)
]

#: (kind, title fr, ar, en, indicators). An indicator: title fr/ar/en, fields, targets by
#: year, quarterly values (a value, or (total, women, men)), activity codes.
SPORT: list[tuple[str, tuple[str, str, str], list[dict[str, Any]]]] = [
    ("output", ("Les équipements sont ouverts, disponibles et sobres",
                "المرافق مفتوحة ومتاحة ومقتصدة في الطاقة",
                "Facilities are open, available and energy-efficient"), [
        {"title": ("Heures d'ouverture par semaine", "ساعات الفتح في الأسبوع",
                   "Opening hours per week"),
         "fields": {"measure": "unit", "unit_label": "h/semaine", "baseline_value": "40"},
         "targets": {2025: "60", 2026: "70"},
         "values": ["48", "55", "58", "61", "64", "67", "70", "72"],
         "activities": ["A1.1", "A1.2"]},
        {"title": ("Consommation d'énergie par trimestre", "استهلاك الطاقة في كل فصل",
                   "Energy use per quarter"),
         "fields": {"measure": "unit", "direction": "descending", "unit_label": "MWh",
                    "baseline_value": "95"},
         "targets": {2025: "85", 2026: "75"},
         "values": ["94", "92", "90", "88", "86", "83", "80", "78"],
         "activities": ["A3.1", "A3.2"]},
        {"title": ("Taux de disponibilité des équipements", "نسبة توفر المرافق",
                   "Facility availability rate"),
         "fields": {"measure": "percentage", "unit_label": "%", "baseline_value": "70",
                    "reference": "ODD 11.7"},
         "targets": {2025: "85", 2026: "95"},
         "values": ["74", "78", "82", "86", "88", "90", "92", "93"],
         "activities": ["A1.3", "A3.3"]},
    ]),
    ("outcome", ("Plus de jeunes, filles et garçons, pratiquent un sport",
                 "المزيد من الشباب، فتيات وفتيان، يمارسون الرياضة",
                 "More young people, girls and boys, practise a sport"), [
        {"title": ("Adhérents actifs", "المنخرطون النشطون", "Active members"),
         "fields": {"measure": "unit", "unit_label": "adhérents", "baseline_value": "800",
                    "by_sex": True, "reference": "ODD 3.4"},
         "targets": {2025: "1100", 2026: "1400"},
         "values": [("830", "250", "580"), ("860", "265", "595"), ("900", "285", "615"),
                    ("940", "300", "640"), ("980", "320", "660"), ("1010", "340", "670"),
                    ("1050", "360", "690"), ("1080", "380", "700")],
         "activities": ["A1.2"]},
        {"title": ("Part des femmes parmi les adhérents", "نسبة النساء بين المنخرطين",
                   "Women's share of members"),
         "fields": {"measure": "percentage", "unit_label": "%", "baseline_value": "25",
                    "reference": "ODD 5.5"},
         "targets": {2025: "30", 2026: "35"},
         "values": ["26", "27", "28", "30", "31", "33", "34", "34"],
         "activities": ["A2.1"]},
        {"title": ("Satisfaction des usagers", "رضا المستعملين", "User satisfaction"),
         "fields": {"measure": "qualitative"},
         "targets": {2025: "Satisfaction exprimée par la majorité des usagers",
                     2026: "Satisfaction élevée, plaintes traitées sous un mois"},
         "values": ["Enquête : accueil apprécié, vestiaires jugés vétustes.",
                    "Enquête : satisfaction en hausse après la rénovation des vestiaires."],
         "activities": ["A4.2"]},
    ]),
    ("impact", ("La santé et la cohésion des jeunes du territoire s'améliorent",
                "تتحسن صحة شباب المنطقة وتماسكهم",
                "The health and cohesion of the area's young people improve"), [
        {"title": ("Élèves accueillis à la piscine (savoir-nager)", "التلاميذ المستقبلون في المسبح",
                   "Pupils welcomed at the pool (swimming lessons)"),
         "fields": {"measure": "unit", "unit_label": "élèves", "baseline_value": "0",
                    "baseline_date": date(2026, 10, 1)},
         "targets": {"custom": ((date(2026, 10, 1), date(2027, 6, 30)), "2000")},
         "values": [], "activities": ["A2.1"]},
        {"title": ("Jeunes orientés vers un club partenaire", "الشباب الموجهون إلى ناد شريك",
                   "Young people referred to a partner club"),
         "fields": {"measure": "unit", "unit_label": "jeunes", "baseline_value": "0"},
         "targets": {2026: "150", 2027: "300"}, "values": [], "activities": []},
    ]),
]  # fmt: skip


def _indicator(
    coordinator: Any, result: Result, order: int, spec: dict[str, Any], activities: list[Activity]
) -> Any:
    fields: dict[str, Any] = {"baseline_date": BASE, "direction": "ascending"} | spec["fields"]
    if fields.get("baseline_value") is not None:
        fields["baseline_value"] = Decimal(fields["baseline_value"])
    fr, ar, en = spec["title"]
    codes = set(spec["activities"])
    return services.indicator_create(
        by=coordinator, result=result,
        fields=fields | {"title": fr, "title_ar": ar, "title_en": en, "order": order,
                         "activities": [a for a in activities if a.code in codes]},
    )  # fmt: skip


def _targets(coordinator: Any, indicator: Any, targets: dict[Any, Any]) -> None:
    for year, value in targets.items():
        if year == "custom":
            (start, end), value = value
        else:
            start, end = YEARS[year]
        fields: dict[str, Any] = {"period_start": start, "period_end": end}
        if indicator.measure == "qualitative":
            fields["text"] = value
        else:
            fields["value"] = Decimal(value)
        services.target_set(by=coordinator, indicator=indicator, fields=fields)


def _measure(by: Any, indicator: Any, period: tuple[date, date], value: Any, source: str) -> Any:
    fields: dict[str, Any] = {
        "period_start": period[0], "period_end": period[1], "measured_on": period[1],
        "source": source,
    }  # fmt: skip
    if indicator.measure == "qualitative":
        fields["text"] = value
    elif isinstance(value, tuple):
        total, women, men = (Decimal(v) for v in value)
        fields |= {"value": total, "women": women, "men": men}
    else:
        fields["value"] = Decimal(value)
    return services.measurement_enter(by=by, indicator=indicator, fields=fields)


def _sport(context: Any) -> None:
    partnership = context.partnerships["complexe-sportif"]
    if not GenderMarker.objects.filter(partnership=partnership).exists():
        services.gender_marker_set(
            by=context.users["coord.sport"], partnership=partnership,
            fields={"significance": 1, "justification": (
                "Créneaux réservés aux femmes et part des femmes parmi les adhérents suivie."
            )},
        )  # fmt: skip
    if Result.objects.filter(partnership=partnership).exists():
        return
    coordinator, auditor = context.users["coord.sport"], context.users["auditeur"]
    version = plan_in_force_get(partnership=partnership)
    activities = list(Activity.objects.filter(version=version)) if version else []
    for r_order, (kind, (fr, ar, en), indicators) in enumerate(SPORT, start=1):
        result = services.result_create(
            by=coordinator, partnership=partnership,
            fields={"kind": kind, "title": fr, "title_ar": ar, "title_en": en, "order": r_order},
        )  # fmt: skip
        for order, spec in enumerate(indicators, start=1):
            indicator = _indicator(coordinator, result, order, spec, activities)
            _targets(coordinator, indicator, spec["targets"])
            if not spec["values"]:
                continue
            periods = QUARTERS if indicator.measure != "qualitative" else [YEARS[2025], YEARS[2026]]
            for i, (period, value) in enumerate(zip(periods, spec["values"], strict=True)):
                row = _measure(coordinator, indicator, period, value, "Registre du complexe")
                if i < len(periods) - 1:
                    services.measurement_validate(by=auditor, measurement=row)
    # the pool opened on 1 October 2026: its first reading is the baseline itself (not due)
    pool = Result.objects.get(partnership=partnership, order=3).indicators.get(order=1)
    _measure(coordinator, pool, (date(2026, 10, 1), date(2026, 10, 1)), "0", "Piscine")
    # a validated measurement corrected: the register of the second quarter was incomplete
    hours = Result.objects.get(partnership=partnership, order=1).indicators.get(order=1)
    wrong = Measurement.objects.get(indicator=hours, period_end=QUARTERS[1][1])
    correction = services.measurement_correct(
        by=coordinator, measurement=wrong,
        fields={"period_start": QUARTERS[1][0], "period_end": QUARTERS[1][1],
                "measured_on": date(2025, 7, 15), "value": Decimal(56),
                "source": "Registre du complexe (corrigé)",
                "comment": "Les nocturnes du vendredi manquaient au registre."},
    )  # fmt: skip
    services.measurement_validate(by=auditor, measurement=correction)


def _jobs(context: Any) -> None:
    partnership = context.partnerships["programme-emploi-jeunes"]
    if not GenderMarker.objects.filter(partnership=partnership).exists():
        services.gender_marker_set(
            by=context.users["coord.emploi"], partnership=partnership,
            fields={"significance": 2, "justification": (
                "L'insertion des jeunes femmes est un objectif principal du programme."
            )},
        )  # fmt: skip
    if Result.objects.filter(partnership=partnership).exists():
        return
    coordinator, admin = context.users["coord.emploi"], context.users["admin"]
    start = date(2026, 9, 1)
    result = services.result_create(
        by=coordinator, partnership=partnership,
        fields={"kind": "outcome", "title": "Des jeunes femmes et hommes trouvent un emploi",
                "title_ar": "شابات وشبان يجدون عملا",
                "title_en": "Young women and men find a job", "order": 1},
    )  # fmt: skip
    specs = [
        ("Jeunes placés en emploi", "شباب تم إدماجهم في عمل", "Young people placed in jobs",
         True, ("120", "300"), ("6", "2", "4")),
        ("Jeunes accompagnés (ateliers, entretiens)", "شباب تمت مواكبتهم",
         "Young people coached", False, ("400", "900"), "70"),
    ]  # fmt: skip
    for order, (fr, ar, en, by_sex, (first, second), value) in enumerate(specs, start=1):
        indicator = services.indicator_create(
            by=coordinator, result=result,
            fields={"title": fr, "title_ar": ar, "title_en": en, "measure": "unit",
                    "unit_label": "jeunes", "baseline_value": Decimal(0), "baseline_date": start,
                    "by_sex": by_sex, "order": order},
        )  # fmt: skip
        for (p_start, p_end), target in (
            ((start, date(2027, 8, 31)), first),
            ((date(2027, 9, 1), date(2028, 8, 31)), second),
        ):
            services.target_set(
                by=coordinator, indicator=indicator,
                fields={"period_start": p_start, "period_end": p_end, "value": Decimal(target)},
            )  # fmt: skip
        row = _measure(coordinator, indicator, (start, date(2026, 11, 30)), value, "ANAPEC")
        services.measurement_validate(by=admin, measurement=row)


def _sport_evaluation(context: Any) -> None:
    """A mid-term evaluation of ``complexe-sportif``, completed, with its six DAC judgements
    and four recommendations (one overdue), and the 2026 annual evaluation, planned."""
    partnership = context.partnerships["complexe-sportif"]
    if Evaluation.objects.filter(partnership=partnership).exists():
        return
    auditor = context.users["auditeur"]
    decision = Decision.objects.filter(partnership=partnership).order_by("-decided_on", "-id")
    midterm = services.evaluation_create(
        by=auditor, partnership=partnership,
        fields={"kind": "midterm", "title": "Évaluation à mi-parcours 2025-2026",
                "evaluator_kind": "external", "evaluator": "Cabinet Atlas Évaluation",
                "period_start": date(2025, 1, 1), "period_end": date(2026, 6, 30),
                "planned_on": date(2026, 6, 30), "started_on": date(2026, 7, 1),
                "findings": "Les équipements sont ouverts et fréquentés ; la part des femmes "
                            "parmi les adhérents progresse mais reste sous la cible. La "
                            "consommation d'énergie ne baisse pas encore.",
                "gender_answer": "Les créneaux réservés aux femmes ont fait passer leur part "
                                 "de 30 % à 38 % des adhérents ; l'encadrement reste "
                                 "majoritairement masculin.",
                "board_decision": decision.first()},
    )  # fmt: skip
    judgements = [
        ("relevance", 4, "Répond au manque d'équipements sportifs du quartier."),
        ("coherence", 3, "S'articule avec le programme communal de la jeunesse."),
        ("effectiveness", 3, "Les extrants sont atteints ; les effets sont en bonne voie."),
        ("efficiency", 2, "Les coûts d'énergie dépassent le budget prévu."),
        ("impact", 3, "Fréquentation accrue des jeunes ; impact à confirmer."),
        ("sustainability", 2, "Les recettes ne couvrent pas encore l'entretien."),
    ]
    for criterion, score, why in judgements:
        services.judgement_set(
            by=auditor, evaluation=midterm, criterion=criterion, score=score, justification=why
        )
    services.evaluation_complete(by=auditor, evaluation=midterm, completed_on=date(2026, 9, 15))
    recommendations = [
        (
            "Installer des panneaux solaires sur la salle couverte.",
            "Commune",
            date(2027, 6, 30),
            "open",
            "",
        ),
        (
            "Ouvrir deux créneaux féminins supplémentaires.",
            "Coordinateur",
            date(2026, 11, 30),
            "in_progress",
            "Un créneau ouvert en octobre.",
        ),
        ("Recruter une entraîneuse.", "Association sportive", date(2027, 3, 31), "open", ""),
        (
            "Publier chaque trimestre la fréquentation.",
            "Coordinateur",
            date(2026, 10, 31),
            "done",
            "Publiée depuis octobre 2026.",
        ),
    ]
    for text, owner, due, status, notes in recommendations:
        services.recommendation_add(
            by=auditor, evaluation=midterm,
            fields={"text": text, "owner": owner, "due_on": due, "status": status,
                    "follow_up": notes},
        )  # fmt: skip
    services.evaluation_create(
        by=auditor, partnership=partnership,
        fields={"kind": "annual", "title": "Évaluation annuelle 2026", "evaluator_kind":
                "internal", "evaluator": "Cellule de suivi", "period_start": date(2026, 1, 1),
                "period_end": date(2026, 12, 31), "planned_on": date(2026, 12, 20)},
    )  # fmt: skip


def _sport_constraints(context: Any) -> None:
    """Two constraints of 2026 for the annual report's "constraints" section."""
    partnership = context.partnerships["complexe-sportif"]
    if Constraint.objects.filter(partnership=partnership).exists():
        return
    coordinator = context.users["coord.sport"]
    for kind, description, effect, response in (
        ("financial", "Versement de la contribution régionale de 2026 reçu avec cinq mois "
         "de retard.", "Travaux d'isolation de la salle couverte reportés au second "
         "semestre.", "Relance par le comité de pilotage ; avance de trésorerie de la "
         "commune."),
        ("human", "Départ de l'entraîneuse recrutée en 2025.", "Un créneau féminin suspendu "
         "pendant deux mois.", "Recrutement d'une remplaçante en septembre."),
    ):  # fmt: skip
        services.constraint_add(
            by=coordinator, partnership=partnership,
            fields={"year": 2026, "kind": kind, "description": description, "effect": effect,
                    "response": response},
        )  # fmt: skip


def load(context: Any) -> None:
    _sport(context)
    _sport_evaluation(context)
    _sport_constraints(context)
    _jobs(context)

"""Demo conventions (idempotent, through the services).

* ``complexe-sportif``: the original convention, signed and in force from 1 January 2025,
  and amendment no. 1, in force from 1 January 2026 (expense tolerance raised from 10 % to
  15 %, performance evaluated every six months instead of every year).
* ``programme-emploi-jeunes``: a draft with exactly two completeness problems to fix (the
  termination clause says nothing of an operating surplus; the audit clause sets no audit
  frequency).

Council deliberations (law 113-14 arts 92, 116-118): in ``complexe-sportif`` both communes
approved amendment no. 1 (the version in force), transmitted in time, no objection, the visa
granted by Oued Zitoune's governor and deemed granted for Tizgui: the partnership meets the
condition of being active. In ``programme-emploi-jeunes`` Oued Zitoune's council approved the
draft on 5 October 2026; its transmission to the governor is overdue. Oued Zitoune's working
calendar holds the fixed national holidays of 2026, marked as demonstration data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sharaka.conventions import services
from sharaka.conventions.models import Clause, Convention, ConventionVersion, Deliberation
from sharaka.directory.models import Holiday, WorkingCalendar
from sharaka.partnerships.demo import DemoContext
from sharaka.partnerships.models import Party

COZ = "Commune d'Oued Zitoune"
TIZGUI = "Commune de Tizgui"
ARDA = "Agence régionale de développement de l'Atlas"
AMAL = "Association Amal pour le sport"
ATLAS = "Atlas Loisirs SARL"
AJE = "Association Jeunesse et Emploi"
TIFAWIN = "Association Tifawin des femmes rurales"
EXPERTS = "Experts indépendants"


def _text(fr: str, ar: str, en: str) -> dict[str, str]:
    return {"fr": fr, "ar": ar, "en": en}


SPORTS: dict[str, dict[str, Any]] = {
    "preamble": {"context": _text(
        "Le complexe sportif municipal d'Oued Zitoune (stade, salle couverte, piscine) accueille "
        "chaque semaine plus de 3 000 usagers. La commune, ses voisins, le monde associatif "
        "sportif et un opérateur privé souhaitent en partager la gestion, dans le respect de "
        "leurs compétences et dans un esprit de gouvernance partagée.",
        "يستقبل المركب الرياضي الجماعي بواد الزيتون (ملعب، قاعة مغطاة، مسبح) أكثر من 3000 "
        "مرتفق أسبوعيا. وترغب الجماعة وجيرانها والنسيج الجمعوي الرياضي وفاعل خاص في تقاسم "
        "تدبيره، في احترام لاختصاصاتهم وبروح من الحكامة المشتركة.",
        "The municipal sports complex of Oued Zitoune (stadium, indoor hall, pool) welcomes "
        "more than 3,000 users a week. The commune, its neighbours, the sports associations "
        "and a private operator wish to share its management, within their powers and in a "
        "spirit of shared governance.")},
    "object": {"object": _text(
        "la gestion partagée du complexe sportif municipal d'Oued Zitoune",
        "التدبير المشترك للمركب الرياضي الجماعي بواد الزيتون",
        "the shared management of the municipal sports complex of Oued Zitoune")},
    "objectives": {"objectives": {
        "fr": ["ouvrir le complexe aux clubs, aux écoles et au public sept jours sur sept",
               "développer le sport féminin et le sport pour les personnes handicapées",
               "maîtriser les coûts d'exploitation et d'entretien"],
        "ar": ["فتح المركب في وجه الأندية والمدارس والعموم طيلة أيام الأسبوع",
               "تنمية الرياضة النسوية ورياضة الأشخاص في وضعية إعاقة",
               "التحكم في تكاليف الاستغلال والصيانة"],
        "en": ["open the complex to clubs, schools and the public seven days a week",
               "develop women's sport and sport for people with disabilities",
               "control operating and maintenance costs"]}},
    "duration": {"duration_years": 5, "renewal": "express", "renewal_years": 3},
    "commitments": {"commitments": [
        {"organization": COZ, "nature": "in_kind",
         "description": "Mise à disposition du complexe (stade, salle, piscine)"},
        {"organization": COZ, "nature": "financial", "description": "Subvention de "
         "fonctionnement", "amount": "1200000.00"},
        {"organization": TIZGUI, "nature": "financial", "description": "Participation aux "
         "frais de fonctionnement", "amount": "200000.00"},
        {"organization": ARDA, "nature": "financial", "description": "Appui au programme "
         "sportif", "amount": "600000.00"},
        {"organization": AMAL, "nature": "technical", "description": "Animation sportive et "
         "encadrement bénévole"},
        {"organization": ATLAS, "nature": "technical", "description": "Exploitation et "
         "maintenance courante"},
    ]},
    "funding": {"total_amount": "2000000.00", "currency": "MAD", "schedule": [
        {"due": "À la signature", "payer": COZ, "amount": "600000.00"},
        {"due": "À la signature", "payer": ARDA, "amount": "300000.00"},
        {"due": "À la signature", "payer": TIZGUI, "amount": "200000.00"},
        {"due": "1er janvier 2026", "payer": COZ, "amount": "600000.00"},
        {"due": "1er janvier 2026", "payer": ARDA, "amount": "300000.00"},
    ]},
    "board": {"composition": [
        {"organization": COZ, "college": "local_public", "seats": 3, "voting": True,
         "women": 1},
        {"organization": TIZGUI, "college": "local_public", "seats": 1, "voting": True,
         "women": 1},
        {"organization": ARDA, "college": "other_public", "seats": 1, "voting": True,
         "women": 0},
        {"organization": AMAL, "college": "associative", "seats": 2, "voting": True,
         "women": 1},
        {"organization": ATLAS, "college": "private", "seats": 1, "voting": True, "women": 0},
        {"organization": EXPERTS, "college": "experts", "seats": 2, "voting": False,
         "women": 1},
    ]},
    "deliberations": {"method": "consensus", "quorum": "1/2", "fallback_method": "qualified",
                      "fallback_threshold": "2/3", "fallback_base": "present",
                      "fallback_from_round": 2, "notice_days": 10, "max_proxies": 1,
                      "second_convocation_quorum": "1/3"},
    "management_structure": {"structure": "project_team", "director": True, "recruitment": _text(
        "Le directeur est recruté par le conseil après appel à candidatures public.",
        "يوظف المجلس المدير بعد إعلان عمومي عن الترشيحات.",
        "The director is recruited by the board after a public call for applications.")},
    "audit": {"auditor_name": "Cabinet Atlas Audit"},
    "termination": {"sharing_key": [
        {"organization": COZ, "share": "1/2"}, {"organization": TIZGUI, "share": "1/10"},
        {"organization": ARDA, "share": "1/5"}, {"organization": AMAL, "share": "1/10"},
        {"organization": ATLAS, "share": "1/10"}]},
}  # fmt: skip

SPORTS_SIGNATORIES = [
    (
        COZ,
        "Alaoui",
        "Présidente du conseil communal",
        "Délibération du conseil communal n° 2024-37 du 5 novembre 2024",
    ),
    (
        TIZGUI,
        "Tazi",
        "Président du conseil communal",
        "Délibération du conseil communal n° 2024-12 du 8 novembre 2024",
    ),
    (ARDA, "El Fassi", "Directeur de projets", "Délégation de signature du 2 octobre 2024"),
    (AMAL, "Bennani", "Présidente", "Décision du bureau de l'association du 30 octobre 2024"),
    (ATLAS, "Lahlou", "Gérant", "Statuts de la société, article 18"),
]

JOBS: dict[str, dict[str, Any]] = {
    "preamble": {"context": _text(
        "Le chômage des jeunes d'Oued Zitoune appelle une réponse concertée entre la commune, "
        "les associations de terrain et l'agence régionale.",
        "تتطلب بطالة الشباب بواد الزيتون استجابة منسقة بين الجماعة وجمعيات القرب والوكالة "
        "الجهوية.",
        "Youth unemployment in Oued Zitoune calls for a joint response by the commune, local "
        "associations and the regional agency.")},
    "object": {"object": _text(
        "la conduite d'un programme d'insertion professionnelle des jeunes",
        "تنفيذ برنامج للإدماج المهني للشباب",
        "running a programme for the professional integration of young people")},
    "board": {"composition": [
        {"organization": COZ, "college": "local_public", "seats": 2, "voting": True,
         "women": 1},
        {"organization": AJE, "college": "associative", "seats": 2, "voting": True, "women": 1},
        {"organization": TIFAWIN, "college": "associative", "seats": 2, "voting": True,
         "women": 2},
        {"organization": ARDA, "college": "other_public", "seats": 1, "voting": True,
         "women": 0},
        {"organization": EXPERTS, "college": "experts", "seats": 1, "voting": False,
         "women": 1},
    ]},
    "deliberations": {"method": "consensus", "quorum": "1/2", "fallback_method": "absolute",
                      "fallback_base": "present", "fallback_from_round": 2, "notice_days": 8,
                      "max_proxies": 1},
    "management_structure": {"structure": "associative"},
    "termination": {"sharing_key": [
        {"organization": COZ, "share": "1/2"}, {"organization": AJE, "share": "1/5"},
        {"organization": TIFAWIN, "share": "1/5"}, {"organization": ARDA, "share": "1/10"}]},
}  # fmt: skip
#: What the draft leaves out, so that the completeness check has two things to report.
JOBS_GAPS = {"termination": "surplus_disposition", "audit": "audit_frequency_months"}


def _fill(by: Any, version: ConventionVersion, values: dict[str, dict[str, Any]],
          gaps: dict[str, str] | None = None) -> None:  # fmt: skip
    for clause in Clause.objects.filter(version=version):
        update = values.get(clause.code, {})
        gap = (gaps or {}).get(clause.code)
        if not update and not gap:
            continue
        params = {**clause.params, **update}
        if gap:
            params.pop(gap, None)
        services.clause_update(by=by, clause=clause, params=params)


Deliberations = tuple[tuple[str, dict[str, Any]], ...]


def _sign(by: Any, version: ConventionVersion, context: DemoContext, signed_on: date,
          effective: date, deliberations: Deliberations) -> None:  # fmt: skip
    """Sign, record each commune's cleared deliberation, then enter into force (which
    refuses before the deliberations and the oversight are complete)."""
    services.version_transition(by=by, version=version, to_status="under_negotiation")
    services.version_transition(by=by, version=version, to_status="signed", on=signed_on,
                                effective_date=effective)  # fmt: skip
    for org, fields in deliberations:
        _deliberate(by, version.convention.partnership, org, version, context, **fields)
    services.version_transition(by=by, version=version, to_status="in_force")


def _sports(context: DemoContext, by: Any) -> None:
    partnership = context.partnerships["complexe-sportif"]
    if Convention.objects.filter(partnership=partnership).exists():
        return
    convention = services.convention_create(by=by, partnership=partnership,
                                            reference="OZ/CONV/2024/017")  # fmt: skip
    original = convention.versions.get(number=0)
    _fill(by, original, SPORTS)
    for org, person, capacity, mandate in SPORTS_SIGNATORIES:
        services.signatory_add(
            by=by, version=original, organization=context.organizations[org],
            person=context.people[person], capacity=capacity, mandate_reference=mandate,
        )  # fmt: skip
    _sign(by, original, context, date(2024, 12, 16), date(2025, 1, 1), (
        (COZ, {"number": "COZ-2024-141", "session_date": date(2024, 10, 8),
               "transmitted_on": date(2024, 10, 15), "oversight": "no_objection",
               "financial_effect": True, "visa": "granted"}),
        (TIZGUI, {"number": "CT-2024-036", "session_date": date(2024, 10, 10),
                  "transmitted_on": date(2024, 10, 17), "oversight": "no_objection",
                  "financial_effect": True, "visa": "granted"}),
    ))  # fmt: skip
    amendment = services.amendment_create(
        by=by, convention=convention,
        purpose="Relèvement de la tolérance de dépassement des lignes du plan d'action à 15 % "
                "et évaluation semestrielle de la performance.",
    )  # fmt: skip
    audit = Clause.objects.get(version=amendment, code="audit")
    services.clause_update(by=by, clause=audit, merge=True, params={
        "expense_tolerance": "3/20", "evaluation_frequency_months": 6})  # fmt: skip
    _sign(by, amendment, context, date(2025, 12, 9), date(2026, 1, 1), (
        (COZ, {"number": "COZ-2025-117", "session_date": date(2025, 11, 4),
               "transmitted_on": date(2025, 11, 10), "oversight": "no_objection",
               "financial_effect": True, "visa": "granted"}),
        # the visa never answered: deemed granted 20 days after the transmission
        (TIZGUI, {"number": "CT-2025-042", "session_date": date(2025, 11, 6),
                  "transmitted_on": date(2025, 11, 13), "oversight": "no_objection",
                  "financial_effect": True}),
    ))  # fmt: skip


def _jobs(context: DemoContext, by: Any) -> None:
    partnership = context.partnerships["programme-emploi-jeunes"]
    if Convention.objects.filter(partnership=partnership).exists():
        return
    convention = services.convention_create(by=by, partnership=partnership)
    _fill(by, convention.versions.get(number=0), JOBS, JOBS_GAPS)


#: The fixed national holidays of 2026 (demonstration data: an administrator checks and
#: completes them, with the religious holidays, in the admin).
HOLIDAYS_2026 = (
    (date(2026, 1, 1), "Nouvel an"),
    (date(2026, 1, 11), "Manifeste de l'indépendance"),
    (date(2026, 1, 14), "Nouvel an amazigh"),
    (date(2026, 5, 1), "Fête du travail"),
    (date(2026, 7, 30), "Fête du trône"),
    (date(2026, 8, 14), "Allégeance de Oued Eddahab"),
    (date(2026, 8, 20), "Révolution du roi et du peuple"),
    (date(2026, 8, 21), "Fête de la jeunesse"),
    (date(2026, 11, 6), "Marche verte"),
    (date(2026, 11, 18), "Fête de l'indépendance"),
)


def _calendar(context: DemoContext) -> None:
    calendar, created = WorkingCalendar.objects.get_or_create(
        organization=context.organizations[COZ]
    )
    if created:
        Holiday.objects.bulk_create(
            Holiday(calendar=calendar, day=day, label=label, demo=True)
            for day, label in HOLIDAYS_2026
        )


def _deliberate(by: Any, partnership: Any, org: str, version: ConventionVersion,
                context: DemoContext, **fields: Any) -> None:  # fmt: skip
    party = Party.objects.get(partnership=partnership, organization=context.organizations[org])
    if Deliberation.objects.filter(party=party, version=version).exists():
        return
    services.deliberation_record(by=by, party=party, fields={"version": version, **fields})


def _deliberations(context: DemoContext, by: Any) -> None:
    # complexe-sportif's deliberations are recorded with its versions (``_sign``)
    jobs = context.partnerships["programme-emploi-jeunes"]
    draft = ConventionVersion.objects.get(convention__partnership=jobs, number=0)
    _deliberate(by, jobs, COZ, draft, context, number="COZ-2026-088",
                session_date=date(2026, 10, 5))  # fmt: skip


def load(context: DemoContext) -> None:
    admin = context.users["admin"]
    _sports(context, admin)
    _jobs(context, admin)
    _calendar(context)
    _deliberations(context, admin)

"""The default competence catalogue and the competences each sector of the registry needs,
as data: loaded by migration ``partners/0004`` and, after a flush, by the demo. An
administrator changes them in the admin, or gives an authority its own requirements for a
sector (they then replace the defaults of that sector)."""

from __future__ import annotations

from typing import Any

# code, fr, ar, en
COMPETENCES = [
    ("facility_management", "Gestion d'équipement", "تدبير المرافق", "Facility management"),
    ("sport_coaching", "Encadrement sportif", "التأطير الرياضي", "Sports coaching"),
    ("youth_work", "Animation jeunesse", "التنشيط الشبابي", "Youth work"),
    ("accounting", "Comptabilité et gestion financière", "المحاسبة والتدبير المالي",
     "Accounting and financial management"),
    ("job_placement", "Intermédiation pour l'emploi", "الوساطة في التشغيل", "Job placement"),
    ("vocational_training", "Formation professionnelle", "التكوين المهني",
     "Vocational training"),
    ("entrepreneurship", "Accompagnement à l'entrepreneuriat", "مواكبة المقاولة",
     "Entrepreneurship support"),
    ("cultural_programming", "Programmation culturelle", "البرمجة الثقافية",
     "Cultural programming"),
    ("tourism_promotion", "Promotion touristique", "الترويج السياحي", "Tourism promotion"),
    ("forestry", "Gestion forestière", "تدبير الغابات", "Forestry"),
    ("environmental_education", "Éducation à l'environnement", "التربية البيئية",
     "Environmental education"),
    ("health_outreach", "Sensibilisation sanitaire", "التوعية الصحية", "Health outreach"),
    ("social_work", "Travail social", "العمل الاجتماعي", "Social work"),
]  # fmt: skip

# sector -> [(competence, level)]
REQUIREMENTS: dict[str, list[tuple[str, int]]] = {
    "sports_facility": [("facility_management", 2), ("sport_coaching", 2), ("youth_work", 1),
                        ("accounting", 2)],
    "employment": [("job_placement", 2), ("vocational_training", 2), ("entrepreneurship", 2),
                   ("youth_work", 1), ("accounting", 2)],
    "museum_culture": [("cultural_programming", 2), ("facility_management", 2),
                       ("accounting", 2)],
    "outdoor_base": [("facility_management", 1), ("youth_work", 2),
                     ("environmental_education", 1), ("accounting", 1)],
    "forest": [("forestry", 3), ("environmental_education", 2), ("accounting", 1)],
    "tourism": [("tourism_promotion", 2), ("accounting", 1)],
    "local_economy": [("entrepreneurship", 2), ("vocational_training", 1), ("accounting", 2)],
    "environment": [("environmental_education", 2), ("accounting", 1)],
    "health": [("health_outreach", 2), ("social_work", 1), ("accounting", 1)],
    "social_services": [("social_work", 2), ("accounting", 1)],
}  # fmt: skip


def load(Competence: Any, SectorRequirement: Any) -> None:
    """Create the missing catalogue entries, and the default requirements of a sector that
    has none (models passed: historical ones in a migration, real ones in the demo)."""
    by_code = {c.code: c for c in Competence.objects.all()}
    for position, (code, fr, ar, en) in enumerate(COMPETENCES, start=1):
        if code not in by_code:
            by_code[code] = Competence.objects.create(
                code=code, label_fr=fr, label_ar=ar, label_en=en, position=position
            )
    having = set(
        SectorRequirement.objects.filter(authority__isnull=True).values_list("sector", flat=True)
    )
    for sector, needs in REQUIREMENTS.items():
        if sector in having:
            continue
        for code, level in needs:
            SectorRequirement.objects.create(sector=sector, competence=by_code[code], level=level)

"""Demo data of people's competences (idempotent): a small catalogue, the default levels
each role requires, the coordinators' and heads' profiles with one gap (the coordinator of
``complexe-sportif`` in public procurement), and a training session planned for that gap."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sharaka.competences import selectors, services
from sharaka.competences.models import Competence, Requirement, TrainingSession
from sharaka.directory.models import Person

CATALOGUE = [
    ("gestion-equipement", "Gestion d'un équipement public", "تدبير مرفق عمومي",
     "Managing a public facility",
     "Exploitation, maintenance, sécurité et accueil d'un équipement de proximité."),
    ("comptabilite-publique", "Comptabilité et finances publiques",
     "المحاسبة والمالية العمومية", "Public accounting and finance",
     "Budget, engagements, pièces justificatives et reddition des comptes."),
    ("commande-publique", "Commande publique", "الصفقات العمومية", "Public procurement",
     "Marchés et bons de commande des collectivités territoriales (décret 2-22-431)."),
    ("animation-jeunesse", "Animation et insertion des jeunes", "تنشيط الشباب وإدماجهم",
     "Youth work and integration",
     "Ateliers, accompagnement vers l'emploi, travail avec les associations."),
]  # fmt: skip

#: role -> competence -> level, for every partnership (the defaults)
DEFAULTS = {
    "director": {"gestion-equipement": 3, "comptabilite-publique": 2},
    "coordinator": {"gestion-equipement": 2, "commande-publique": 2},
    "facilitator": {"animation-jeunesse": 3},
}

#: slug -> role -> competence -> level: a partnership's own levels (0 removes a default)
OWN = {
    "programme-emploi-jeunes": {
        "coordinator": {"gestion-equipement": 0, "animation-jeunesse": 2},
    },
}

#: slug -> last name -> competence -> (level, evidence)
PROFILES = {
    "complexe-sportif": {
        "Filali": {"gestion-equipement": (4, "Dix ans de direction d'un complexe sportif privé"),
                   "comptabilite-publique": (3, "Licence en gestion, option finances")},
        "Ouali": {"gestion-equipement": (3, "Régisseur de la salle omnisports communale"),
                  "commande-publique": (1, "Deux commissions d'ouverture des plis")},
    },
    "programme-emploi-jeunes": {
        "Bennis": {"animation-jeunesse": (3, "Animatrice au centre de jeunesse depuis 2019")},
        "Zerouali": {"animation-jeunesse": (3, "Coordinatrice de l'association depuis 2021"),
                     "commande-publique": (2, "Formation DGCT 2024")},
    },
}  # fmt: skip

SESSION_TOPIC = "Commande publique des collectivités territoriales"


def _person(context: Any, last_name: str) -> Person:
    person = context.people.get(last_name) or Person.objects.filter(last_name=last_name).first()
    if person is None:
        raise LookupError(last_name)
    return person


def load(context: Any) -> None:
    admin = context.users["admin"]
    catalogue = {}
    for code, label_fr, label_ar, label_en, description in CATALOGUE:
        catalogue[code], _ = Competence.objects.update_or_create(
            code=code,
            defaults={"label_fr": label_fr, "label_ar": label_ar, "label_en": label_en,
                      "description": description},
        )  # fmt: skip
    for role, levels in DEFAULTS.items():
        for code, level in levels.items():
            Requirement.objects.update_or_create(
                partnership=None, role=role, competence=catalogue[code], defaults={"level": level}
            )
    for slug, roles in OWN.items():
        for role, levels in roles.items():
            for code, level in levels.items():
                services.requirement_set(
                    by=admin, partnership=context.partnerships[slug], role=role,
                    competence=catalogue[code], level=level,
                )  # fmt: skip
    for slug, people in PROFILES.items():
        for name, held in people.items():
            for code, (level, evidence) in held.items():
                services.holding_set(
                    by=admin, partnership=context.partnerships[slug],
                    person=_person(context, name), competence=catalogue[code], level=level,
                    evidence=evidence,
                )  # fmt: skip
    _session(admin, context, catalogue["commande-publique"])


def _session(admin: Any, context: Any, competence: Competence) -> None:
    partnership = context.partnerships["complexe-sportif"]
    if TrainingSession.objects.filter(partnership=partnership, topic=SESSION_TOPIC).exists():
        return
    line = (
        selectors.budget_lines(partnership=partnership)
        .filter(Q(label__istartswith="formation") | Q(label__icontains=" formation"))
        .first()
    )
    start = timezone.localdate() + timedelta(days=5)
    session = services.session_create(
        by=admin, partnership=partnership, competences=[competence],
        fields={"topic": SESSION_TOPIC, "trainer": "Direction générale des collectivités "
                "territoriales (DGCT)", "level_reached": 2, "start_date": start,
                "end_date": start + timedelta(days=1), "cost": Decimal("8000.00"),
                "budget_line": line},
    )  # fmt: skip
    services.participant_add(by=admin, session=session, person=_person(context, "Ouali"))

"""Demo management structures, staff, delegations and assets (idempotent, through the
services).

* ``complexe-sportif``: a project team, a director recruited by the operator, the
  coordinator seconded by the commune since July 2025, a team and seconded officials.
* ``programme-emploi-jeunes``: an associative structure, a facilitator lent by the
  commune, the association's coordinator and volunteers. Its delegation to "Association
  Jeunesse et Emploi" is recorded only when the board has taken a decision of kind
  ``delegation`` (a delegation always points to the board's decision).
* ``base-de-plein-air``: a light structure, a part-time coordinator and officials of both
  communes (its women's share is below the target: the page shows the alert).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.directory.models import Person
from sharaka.directory.services import person_create
from sharaka.meetings.models import Decision, DecisionKindChoice
from sharaka.planning.models import Activity
from sharaka.structure import services
from sharaka.structure.models import Asset, Delegation, ManagementStructure, StaffAssignment

COZ = "Commune d'Oued Zitoune"
TIZGUI = "Commune de Tizgui"
ARDA = "Agence régionale de développement de l'Atlas"
AMAL = "Association Amal pour le sport"
ATLAS = "Atlas Loisirs SARL"
AJE = "Association Jeunesse et Emploi"
TIFAWIN = "Association Tifawin des femmes rurales"

#: People the demo adds to the directory (first name, last name, gender, organisation,
#: position).
NEW_PEOPLE = [
    ("Nadia", "Filali", "f", ATLAS, "Directrice du complexe sportif"),
    ("Mehdi", "Alami", "m", ATLAS, "Responsable technique et maintenance"),
    ("Samira", "Benali", "f", ATLAS, "Chargée d'accueil et des réservations"),
    ("Younes", "Ait Taleb", "m", TIZGUI, "Éducateur sportif"),
    ("Hajar", "Tahiri", "f", AMAL, "Animatrice sport féminin"),
    ("Rachida", "Bennis", "f", COZ, "Animatrice socio-éducative"),
    ("Amine", "Chafik", "m", AJE, "Bénévole, conseiller emploi"),
    ("Imane", "Lazrak", "f", AJE, "Bénévole, ateliers CV et entretiens"),
    ("Anas", "Naciri", "m", TIFAWIN, "Bénévole, accompagnement des porteurs de projet"),
    ("Brahim", "Ouhaddou", "m", COZ, "Technicien des espaces verts"),
    ("Lahcen", "Ait Oufella", "m", TIZGUI, "Gardien de la base de plein air"),
    ("Hamid", "Zaki", "m", COZ, "Agent d'entretien saisonnier"),
]

STRUCTURES: dict[str, dict[str, Any]] = {
    "complexe-sportif": {
        "kind": "project_team",
        "description": "Une équipe de projet dirigée par une directrice recrutée par "
        "l'opérateur ; le coordinateur, mis à disposition par la commune, assure le lien avec "
        "le conseil et les services municipaux.",
        "staff": [
            ("Filali", "director", "Directrice", ATLAS, "100", date(2025, 3, 1), None, None),
            ("Ouali", "coordinator", "Coordinateur du complexe", COZ, "100",
             date(2025, 7, 1), None, "Filali"),
            ("Alami", "team_member", "Maintenance", ATLAS, "100", date(2025, 3, 1), None,
             "Filali"),
            ("Benali", "recruited_staff", "Accueil et réservations", ATLAS, "80",
             date(2025, 4, 1), None, "Filali"),
            ("Ait Taleb", "seconded_official", "Éducateur sportif", TIZGUI, "50",
             date(2025, 9, 1), None, "Ouali"),
            ("Tahiri", "team_member", "Section féminine", AMAL, "50", date(2025, 9, 1),
             None, "Ouali"),
        ],
    },
    "programme-emploi-jeunes": {
        "kind": "associative",
        "description": "Une animatrice mise à disposition par la commune, la coordinatrice "
        "de l'association Jeunesse et Emploi et des bénévoles des associations partenaires.",
        "staff": [
            ("Bennis", "facilitator", "Animatrice mise à disposition", COZ, "100",
             date(2026, 9, 1), None, None),
            ("Zerouali", "coordinator", "Coordinatrice", AJE, "50", date(2026, 9, 1), None,
             None),
            ("Chafik", "volunteer", "Conseiller emploi", AJE, "20", date(2026, 9, 1), None,
             "Zerouali"),
            ("Lazrak", "volunteer", "Ateliers CV", AJE, "20", date(2026, 9, 1), None,
             "Zerouali"),
            ("Naciri", "volunteer", "Porteurs de projet", TIFAWIN, "10", date(2026, 10, 1),
             None, "Zerouali"),
        ],
    },
    "base-de-plein-air": {
        "kind": "light",
        "description": "Une coordinatrice à temps partiel et des agents des deux communes.",
        "staff": [
            ("Chraibi", "coordinator", "Coordinatrice", TIZGUI, "30", date(2026, 4, 1), None,
             None),
            ("Ouhaddou", "seconded_official", "Espaces verts", COZ, "50", date(2026, 4, 1),
             None, None),
            ("Ait Oufella", "seconded_official", "Gardiennage", TIZGUI, "100",
             date(2026, 4, 1), None, None),
            ("Zaki", "seconded_official", "Entretien (saison d'été)", COZ, "100",
             date(2026, 6, 1), date(2026, 9, 30), None),
        ],
    },
}  # fmt: skip

ASSETS: dict[str, list[dict[str, Any]]] = {
    "complexe-sportif": [
        {"kind": "premises", "name": "Stade municipal (pelouse et tribunes, 5 000 places)",
         "reference": "IMM-OZ-014", "owner": COZ, "provided_by": COZ,
         "value": "42000000", "location": "Avenue des Sports", "condition": "good",
         "acquired_on": date(1998, 5, 1)},
        {"kind": "premises", "name": "Piscine couverte semi-olympique", "reference": "IMM-OZ-015",
         "owner": COZ, "provided_by": COZ, "value": "18500000", "location": "Avenue des Sports",
         "condition": "fair", "acquired_on": date(2009, 9, 1)},
        {"kind": "equipment", "name": "Tableau d'affichage électronique",
         "reference": "EQ-2025-003", "owner": COZ, "provided_by": COZ, "value": "95000",
         "location": "Stade, tribune nord", "condition": "fair"},
        {"kind": "equipment", "name": "Minibus 17 places", "reference": "EQ-2025-007",
         "owner": ARDA, "provided_by": ARDA, "value": "420000", "location": "Parking du complexe",
         "condition": "new", "acquired_on": date(2025, 10, 15)},
        {"kind": "equipment", "name": "Tondeuse autoportée", "reference": "AL-TD-02",
         "owner": ATLAS, "provided_by": ATLAS, "value": "180000", "location": "Atelier",
         "condition": "good", "acquired_on": date(2025, 3, 1)},
    ],
    "programme-emploi-jeunes": [
        {"kind": "premises", "name": "Local d'accueil des jeunes (rez-de-chaussée)",
         "reference": "IMM-OZ-031", "owner": COZ, "provided_by": COZ, "value": "650000",
         "location": "Rue de la Jeunesse", "condition": "good"},
        {"kind": "equipment", "name": "Lot de 8 ordinateurs portables", "reference": "AJE-INF-08",
         "owner": AJE, "provided_by": AJE, "value": "56000", "location": "Local d'accueil",
         "condition": "good"},
    ],
    "base-de-plein-air": [
        {"kind": "premises", "name": "Terrain de camping et sanitaires", "reference": "IMM-OZ-052",
         "owner": COZ, "provided_by": COZ, "value": "2300000", "location": "Berges de l'oued",
         "condition": "fair"},
        {"kind": "equipment", "name": "Lot de 20 tentes familiales", "reference": "CT-TEN-20",
         "owner": TIZGUI, "provided_by": TIZGUI, "value": "64000", "location": "Réserve",
         "condition": "poor"},
    ],
}  # fmt: skip

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 66>>stream\n"
    b"BT /F1 18 Tf 72 760 Td (Fiche d'inventaire - demonstration) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _person(admin: Any, context: Any, last_name: str) -> Person:
    person = context.people.get(last_name) or Person.objects.filter(last_name=last_name).first()
    if person is not None:
        return person
    for first, last, gender, org, position in NEW_PEOPLE:
        if last == last_name:
            return person_create(
                by=admin,
                fields={
                    "first_name": first, "last_name": last, "gender": gender,
                    "organization": context.organizations[org], "position": position,
                },
            )  # fmt: skip
    raise KeyError(last_name)


def _structure(admin: Any, context: Any, slug: str, spec: dict[str, Any]) -> None:
    partnership = context.partnerships.get(slug)
    if partnership is None:
        return
    structure = ManagementStructure.objects.filter(partnership=partnership).first()
    if structure is None:
        structure = services.structure_set(
            by=admin, partnership=partnership,
            fields={"kind": spec["kind"], "description": spec["description"]},
        )  # fmt: skip
    rows: dict[str, StaffAssignment] = {
        row.person.last_name: row
        for row in StaffAssignment.objects.filter(structure=structure).select_related("person")
    }
    for last, role, title, org, share, start, end, manager in spec["staff"]:
        if last in rows:
            continue
        rows[last] = services.staff_add(
            by=admin, structure=structure,
            fields={
                "person": _person(admin, context, last), "role": role, "title": title,
                "origin_organization": context.organizations[org], "time_share": Decimal(share),
                "start_date": start, "end_date": end,
                "reports_to": rows.get(manager) if manager else None,
            },
        )  # fmt: skip


def load_structures(context: Any) -> None:
    """The structures and staff (``sharaka.demo`` loads them before the plan, which names
    staff members as responsible for activities)."""
    admin = context.users["admin"]
    for slug, spec in STRUCTURES.items():
        _structure(admin, context, slug, spec)


def _assets(admin: Any, context: Any) -> None:
    for slug, specs in ASSETS.items():
        partnership = context.partnerships.get(slug)
        if partnership is None or Asset.objects.filter(partnership=partnership).exists():
            continue
        for spec in specs:
            fields = dict(spec)
            fields["owner"] = context.organizations[fields["owner"]]
            fields["provided_by"] = context.organizations[fields["provided_by"]]
            fields["value"] = Decimal(fields["value"])
            asset = services.asset_create(by=admin, partnership=partnership, fields=fields)
            if fields["kind"] == "equipment" and fields["reference"].startswith("EQ-"):
                services.asset_document_add(
                    by=admin, asset=asset, title="Fiche d'inventaire",
                    upload=SimpleUploadedFile(f"inventaire-{fields['reference']}.pdf", _PDF,
                                              content_type="application/pdf"),
                )  # fmt: skip


def _delegation(admin: Any, context: Any) -> None:
    """The delegation to "Association Jeunesse et Emploi", only with the board's decision."""
    partnership = context.partnerships.get("programme-emploi-jeunes")
    if partnership is None or Delegation.objects.filter(partnership=partnership).exists():
        return
    decision = (
        Decision.objects.filter(partnership=partnership, kind=DecisionKindChoice.DELEGATION)
        .order_by("decided_on")
        .first()
    )
    if decision is None:
        return  # no board decision yet: a delegation is never recorded without one
    activities = list(
        Activity.objects.filter(version__plan__partnership=partnership).select_related(
            "version__plan"
        )
    )
    services.delegation_create(
        by=admin, partnership=partnership,
        fields={
            "delegate": context.organizations[AJE], "decision": decision,
            "scope": "Accueil, orientation et accompagnement des jeunes demandeurs d'emploi : "
                     "ateliers CV, simulations d'entretien, mise en relation avec les "
                     "employeurs locaux.",
            "start_date": max(decision.decided_on, date(2026, 9, 1)),
            "reporting_duty": "Rapport d'activité et état des dépenses au conseil, avec le "
                              "nombre de jeunes accompagnés et placés.",
            "reporting_frequency": "quarterly",
        },
        activities=activities,
    )  # fmt: skip


def load(context: Any) -> None:
    admin = context.users["admin"]
    load_structures(context)
    _assets(admin, context)
    _delegation(admin, context)

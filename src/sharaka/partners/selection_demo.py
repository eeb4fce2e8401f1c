"""Demo of partner selection (idempotent; dates relative to today).

* The competence catalogue and the sectors' default requirements (sport, employment…).
* Profiles: Association Jeunesse et Emploi, Tifawin, the regional agency, Amal, Atlas Loisirs.
* ``programme-emploi-jeunes`` (employment): its parties leave one competence uncovered,
  entrepreneurship support (Tifawin holds it only at the basic level).
* An open call for applications on it, and one application (Association Initiatives Oued
  Zitoune, which brings that competence): its admissibility file is created, with its
  statutes waiting for the officer's check; the officer's to-do list says so.
* One recorded choice: Atlas Loisirs set aside, and why.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.directory.models import Organization
from sharaka.partners import selection_defaults, selection_services
from sharaka.partners.selection_models import (
    Call,
    ChoiceDecision,
    Competence,
    PartnerChoice,
    PartnerCompetence,
    SectorRequirement,
)
from sharaka.partnerships.demo import DemoContext

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SLUG = "programme-emploi-jeunes"
APPLICANT = "Association Initiatives Oued Zitoune"

#: organisation -> [(competence, level, reference)]
PROFILES: dict[str, list[tuple[str, int, str]]] = {
    "Association Jeunesse et Emploi": [
        ("job_placement", 3, "Antenne d'intermédiation depuis 2018 : 120 jeunes placés par an."),
        ("vocational_training", 2, "Convention avec l'OFPPT (2022) pour des formations courtes."),
        ("youth_work", 2, "Maison des jeunes animée depuis 2015."),
        ("accounting", 2, "Comptes certifiés 2023 et 2024."),
    ],
    "Association Tifawin des femmes rurales": [
        ("entrepreneurship", 1, "Accompagnement de deux coopératives féminines (2024)."),
        ("social_work", 3, "Assistantes sociales bénévoles, 10 ans d'action."),
        ("youth_work", 1, "Ateliers pour les jeunes filles du douar."),
    ],
    "Agence régionale de développement de l'Atlas": [
        ("accounting", 3, "Établissement public, comptable public assignataire."),
        ("vocational_training", 1, "Financement de programmes de formation régionaux."),
    ],
    "Association Amal pour le sport": [
        ("sport_coaching", 3, "Écoles de football et d'athlétisme, 12 encadrants diplômés."),
        ("youth_work", 3, "Colonies de vacances depuis 2010."),
        ("facility_management", 2, "Gestion du terrain municipal (convention de 2019)."),
        ("accounting", 2, "Rapport financier approuvé en assemblée générale."),
    ],
    "Atlas Loisirs SARL": [
        ("facility_management", 3, "Exploitation de trois complexes sportifs privés."),
        ("accounting", 3, "Société commerciale, comptes certifiés."),
    ],
    APPLICANT: [
        ("entrepreneurship", 3, "Incubateur associatif depuis 2021 : 40 projets de jeunes "
                                "accompagnés jusqu'à la création."),
        ("youth_work", 2, "Clubs d'initiative dans deux lycées."),
    ],
}  # fmt: skip


def load(context: DemoContext) -> None:
    selection_defaults.load(Competence, SectorRequirement)  # a flushed database has none
    partnership = context.partnerships[SLUG]
    officer = context.users["agent.oz"]
    today = timezone.localdate()
    call = Call.objects.filter(partnership=partnership).first()
    if call is None:
        call = selection_services.call_open(
            by=officer, partnership=partnership,
            title="Accompagnement des jeunes porteurs de projets",
            text="La commune cherche une association pour accompagner les jeunes du programme "
                 "dans la création de leur activité (accueil, formation, suivi pendant un an).\n"
                 "Joignez vos statuts, votre récépissé et la liste de votre bureau.",
            opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=25),
        )  # fmt: skip
    if not call.applications.exists():
        selection_services._submit(
            call=call, on=today, fields={
                "name": APPLICANT, "city": "Oued Zitoune", "contact_name": "Karim Idrissi",
                "contact_email": "contact@initiatives-oz.example",
                "message": "Notre incubateur accompagne les jeunes de la commune depuis 2021 ; "
                           "nous proposons deux conseillers à mi-temps pour le programme.",
                "statutes": SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf"),
            },
        )  # fmt: skip
    competences = {c.code: c for c in Competence.objects.all()}
    organizations = {o.name: o for o in Organization.objects.filter(name__in=list(PROFILES))}
    for name, lines in PROFILES.items():
        for code, level, reference in lines:
            organization = organizations[name]
            held = PartnerCompetence.objects.filter(organization=organization,
                                                    competence=competences[code])  # fmt: skip
            if not held.exists():
                selection_services.profile_set(
                    by=officer, organization=organization, competence=competences[code],
                    level=level, reference=reference,
                )  # fmt: skip
    atlas = organizations["Atlas Loisirs SARL"]
    if not PartnerChoice.objects.filter(partnership=partnership, organization=atlas).exists():
        selection_services.choice_record(
            by=officer, partnership=partnership, organization=atlas,
            decision=ChoiceDecision.SET_ASIDE,
            reason="Entreprise privée : le programme est confié aux associations locales.",
        )  # fmt: skip

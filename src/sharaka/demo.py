"""The demo data set: a fictional commune, its neighbours, associations and three partnerships.

Loading is idempotent: every object is found by a natural key (name, slug, username) and
created only when missing, so ``sharaka demo`` can run any number of times. Later parts of
the product add their own sections here; keep the names below stable, other issues and the
README rely on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import gettext, ngettext

from sharaka.accounts.demo import DEMO_TOTP_DEVICE as DEMO_TOTP_DEVICE  # still importable here
from sharaka.accounts.demo import demo_authenticator_add
from sharaka.accounts.models import GlobalRole
from sharaka.audit import demo as audit_demo
from sharaka.closure import demo as closure_demo
from sharaka.competences import demo as competences_demo
from sharaka.conventions import demo as conventions_demo
from sharaka.core.models import DemoMarker
from sharaka.directory.models import (
    DEFAULT_COLLEGE_BY_KIND,
    Organization,
    OrganizationKind,
    Person,
    ReceiptKind,
)
from sharaka.evaluation import demo as evaluation_demo
from sharaka.finance import demo as finance_demo
from sharaka.governance import demo as governance_demo
from sharaka.meetings import demo as meetings_demo
from sharaka.observatory import demo as observatory_demo
from sharaka.opendata import demo as opendata_demo
from sharaka.partners import demo as partners_demo
from sharaka.partners import selection_demo
from sharaka.partnerships.demo import DemoContext
from sharaka.partnerships.models import (
    GrantRole,
    Partnership,
    PartnershipRole,
    Party,
    PartyRole,
    StatusTransition,
)
from sharaka.planning import demo as planning_demo
from sharaka.structure import demo as structure_demo
from sharaka.transparency import demo as transparency_demo

DEMO_PASSWORD = "demo-Sharaka-2026"  # noqa: S105 - printed to the person running the demo
# Administrators and treasurers confirm a TOTP code after their password. The demo's two
# such accounts get an authenticator with a published key (a demo, like the password):
# add it to an authenticator app, or ask `sharaka manage demo_code USER` for the code.
DEMO_TOTP_KEYS = {
    "admin": "SHARAKADEMOADMINOUEDZITOUNE23456",
    "tresorier": "SHARAKADEMOTRESORIEROUEDZITOUNE2",
}

ORGANIZATIONS: list[dict[str, Any]] = [
    {"name": "Province d'Oued Zitoune", "short_name": "POZ",
     "kind": OrganizationKind.PROVINCE_REGION, "city": "Oued Zitoune",
     "legal_identifier": "PROV-OZ-001"},
    {"name": "Commune d'Oued Zitoune", "short_name": "COZ", "kind": OrganizationKind.COMMUNE,
     "city": "Oued Zitoune", "address": "Avenue Hassan II, Hôtel de ville",
     "email": "contact@oued-zitoune.example", "phone": "+212 5 28 00 00 01",
     "legal_identifier": "COM-OZ-001"},
    {"name": "Commune de Tizgui", "short_name": "CT", "kind": OrganizationKind.COMMUNE,
     "city": "Tizgui", "address": "Place de la Marche Verte", "legal_identifier": "COM-TZ-002"},
    {"name": "Agence régionale de développement de l'Atlas", "short_name": "ARDA",
     "kind": OrganizationKind.OTHER_PUBLIC, "city": "Oued Zitoune",
     "legal_identifier": "ARDA-2011"},
    {"name": "Association Amal pour le sport", "short_name": "Amal",
     "kind": OrganizationKind.ASSOCIATION, "city": "Oued Zitoune",
     "declaration_date": date(2009, 3, 14), "receipt_number": "OZ/ASS/2009/041",
     "receipt_kind": ReceiptKind.FINAL, "statutes_on_file": True},
    {"name": "Association Tifawin des femmes rurales", "short_name": "Tifawin",
     "kind": OrganizationKind.ASSOCIATION, "city": "Tizgui",
     "declaration_date": date(2014, 6, 2), "receipt_number": "TZ/ASS/2014/007",
     "receipt_kind": ReceiptKind.FINAL, "public_utility": True, "statutes_on_file": True},
    {"name": "Association Jeunesse et Emploi", "short_name": "AJE",
     "kind": OrganizationKind.ASSOCIATION, "city": "Oued Zitoune",
     "declaration_date": date(2019, 11, 20), "receipt_number": "OZ/ASS/2019/112",
     "receipt_kind": ReceiptKind.PROVISIONAL, "statutes_on_file": True},
    {"name": "Atlas Loisirs SARL", "short_name": "Atlas Loisirs",
     "kind": OrganizationKind.PRIVATE_COMPANY, "city": "Oued Zitoune",
     "legal_identifier": "ICE 001234567000089", "registration_number": "RC 4521"},
]  # fmt: skip

PEOPLE: list[dict[str, Any]] = [
    {"first_name": "Fatima", "last_name": "Alaoui", "gender": "f",
     "org": "Commune d'Oued Zitoune", "position": "Présidente du conseil communal"},
    {"first_name": "Youssef", "last_name": "Berrada", "gender": "m",
     "org": "Commune d'Oued Zitoune", "position": "Chargé des partenariats"},
    {"first_name": "Hassan", "last_name": "Ouali", "gender": "m",
     "org": "Commune d'Oued Zitoune", "position": "Vice-président chargé des sports"},
    {"first_name": "Mohamed", "last_name": "Tazi", "gender": "m",
     "org": "Commune de Tizgui", "position": "Président du conseil communal"},
    {"first_name": "Naima", "last_name": "Chraibi", "gender": "f",
     "org": "Commune de Tizgui", "position": "Conseillère communale"},
    {"first_name": "Rachid", "last_name": "El Fassi", "gender": "m",
     "org": "Agence régionale de développement de l'Atlas", "position": "Directeur de projets"},
    {"first_name": "Amina", "last_name": "Bennani", "gender": "f",
     "org": "Association Amal pour le sport", "position": "Présidente"},
    {"first_name": "Khadija", "last_name": "Amrani", "gender": "f",
     "org": "Association Tifawin des femmes rurales", "position": "Présidente"},
    {"first_name": "Omar", "last_name": "Idrissi", "gender": "m",
     "org": "Association Jeunesse et Emploi", "position": "Président"},
    {"first_name": "Salma", "last_name": "Zerouali", "gender": "f",
     "org": "Association Jeunesse et Emploi", "position": "Coordinatrice"},
    {"first_name": "Karim", "last_name": "Lahlou", "gender": "m",
     "org": "Atlas Loisirs SARL", "position": "Gérant"},
    {"first_name": "Leila", "last_name": "Mansouri", "gender": "f", "org": None,
     "position": "Juriste, experte en droit des collectivités", "is_expert": True},
    {"first_name": "Driss", "last_name": "Kettani", "gender": "m", "org": None,
     "position": "Ingénieur, expert en équipements sportifs", "is_expert": True},
    {"first_name": "Zineb", "last_name": "Harrak", "gender": "f", "org": None,
     "position": "Économiste, experte en insertion professionnelle", "is_expert": True},
]  # fmt: skip

PARTNERSHIPS: list[dict[str, Any]] = [
    {"slug": "complexe-sportif", "title": "Gestion du complexe sportif municipal",
     "kind": "management", "category": "facility", "sector": "sports_facility",
     "complexity": "large", "start_date": date(2025, 1, 1), "end_date": date(2029, 12, 31),
     "description": "Gestion partagée du complexe sportif municipal d'Oued Zitoune (stade, "
                    "salle couverte, piscine) entre la commune, la commune de Tizgui, "
                    "l'association Amal et un opérateur privé.",
     "path": ["negotiation", "active"],
     "parties": [("Commune de Tizgui", "partner"), ("Association Amal pour le sport", "partner"),
                 ("Agence régionale de développement de l'Atlas", "funder"),
                 ("Atlas Loisirs SARL", "operator")]},
    {"slug": "base-de-plein-air", "title": "Base de plein air et camping de l'oued",
     "kind": "management", "category": "facility", "sector": "outdoor_base",
     "complexity": "small", "start_date": date(2026, 4, 1), "end_date": date(2029, 3, 31),
     "description": "Gestion légère de la base de plein air et du camping municipal, avec la "
                    "commune de Tizgui.",
     "path": ["negotiation", "active"],
     "parties": [("Commune de Tizgui", "partner")]},
    {"slug": "programme-emploi-jeunes", "title": "Programme pour l'emploi des jeunes",
     "kind": "management", "category": "socio_economic", "sector": "employment",
     "complexity": "associative", "start_date": date(2026, 9, 1), "end_date": date(2028, 8, 31),
     "description": "Programme d'insertion professionnelle des jeunes porté par la commune et "
                    "les associations locales.",
     "path": ["negotiation"],
     "parties": [("Association Jeunesse et Emploi", "partner"),
                 ("Association Tifawin des femmes rurales", "partner"),
                 ("Agence régionale de développement de l'Atlas", "funder")]},
]  # fmt: skip

USERS: list[dict[str, Any]] = [
    {"username": "admin", "first_name": "Admin", "last_name": "Sharaka",
     "role": GlobalRole.PLATFORM_ADMIN, "label": "administrateur de la plateforme",
     "staff": True, "grants": []},
    {"username": "agent.oz", "first_name": "Youssef", "last_name": "Berrada",
     "role": GlobalRole.AUTHORITY_OFFICER, "org": "Commune d'Oued Zitoune",
     "person": "Berrada", "label": "chargé de partenariat, Commune d'Oued Zitoune",
     "grants": []},
    {"username": "agent.tizgui", "first_name": "Naima", "last_name": "Chraibi",
     "role": GlobalRole.AUTHORITY_OFFICER, "org": "Commune de Tizgui", "person": "Chraibi",
     "label": "chargée de partenariat, Commune de Tizgui (chef de file d'aucun partenariat)",
     "grants": []},
    {"username": "coord.sport", "first_name": "Hassan", "last_name": "Ouali",
     "role": GlobalRole.USER, "label": "coordinateur du complexe sportif",
     "person": "Ouali", "grants": [("complexe-sportif", GrantRole.COORDINATOR)]},
    {"username": "coord.emploi", "first_name": "Salma", "last_name": "Zerouali",
     "role": GlobalRole.USER, "label": "coordinatrice du programme emploi des jeunes",
     "person": "Zerouali", "grants": [("programme-emploi-jeunes", GrantRole.COORDINATOR)]},
    {"username": "membre.ca", "first_name": "Amina", "last_name": "Bennani",
     "role": GlobalRole.USER, "label": "membre du conseil du complexe sportif",
     "person": "Bennani", "grants": [("complexe-sportif", GrantRole.BOARD_MEMBER)]},
    {"username": "tresorier", "first_name": "Mohamed", "last_name": "Tazi",
     "role": GlobalRole.USER, "label": "trésorier du complexe sportif", "person": "Tazi",
     "grants": [("complexe-sportif", GrantRole.TREASURER)]},
    {"username": "tutelle.province", "first_name": "Karim", "last_name": "Alaoui",
     "role": GlobalRole.SUPERVISOR, "territory": "Province d'Oued Zitoune",
     "label": "autorité de tutelle : observatoire de la Province d'Oued Zitoune", "grants": []},
    {"username": "tutelle.nationale", "first_name": "Rachida", "last_name": "Fassi",
     "role": GlobalRole.SUPERVISOR, "label": "autorité de tutelle nationale : observatoire",
     "grants": []},
    {"username": "auditeur", "first_name": "Leila", "last_name": "Mansouri",
     "role": GlobalRole.USER, "label": "auditrice du complexe sportif", "person": "Mansouri",
     "grants": [("complexe-sportif", GrantRole.AUDITOR)]},
]  # fmt: skip


#: Later parts of the product add their demo data in ``sharaka/<app>/demo.py``, a function
#: ``load(context: DemoContext) -> None`` that must be idempotent. They run in this order:
#: the structures and their staff come before the plan, which names staff members as
#: responsible for activities; the delegations (``structure_demo.load``) after it.
EXTENSIONS: tuple[Callable[[DemoContext], None], ...] = (
    governance_demo.load,
    conventions_demo.load,
    meetings_demo.load,
    structure_demo.load_structures,
    planning_demo.load,
    structure_demo.load,
    competences_demo.load,
    finance_demo.load,
    partners_demo.load,
    selection_demo.load,
    transparency_demo.load,
    evaluation_demo.load,
    opendata_demo.load,
    closure_demo.load,
    audit_demo.load,
    observatory_demo.load,  # last: scores what the others loaded
)


@dataclass(frozen=True)
class DemoSummary:
    organizations: int
    people: int
    partnerships: int
    users: list[tuple[str, str]]
    created: bool


# --- Whose database is this? -----------------------------------------------------------------


class Ownership(StrEnum):
    EMPTY = "empty"  # no account, no partnership: the demo may claim it
    DEMO = "demo"  # marked by the demo (or, before the mark existed, only demo data in it)
    FOREIGN = "foreign"  # holds data the demo did not create: never touched without --force


@dataclass(frozen=True)
class Inventory:
    """What the configured database holds, read without migrating it."""

    where: str  # "SQLite /path/db.sqlite3" or "PostgreSQL name on host"
    users: int
    partnerships: int
    foreign_users: int  # accounts whose username is not one of the demo's
    foreign_partnerships: int
    marked: bool
    legacy_demo: bool  # the demo's data only, every account with the published password

    @property
    def ownership(self) -> Ownership:
        if self.marked:
            return Ownership.DEMO
        if self.users == 0 and self.partnerships == 0:
            return Ownership.EMPTY
        if self.legacy_demo:
            return Ownership.DEMO  # a demo database from before the mark

        return Ownership.FOREIGN

    def describe(self) -> str:
        accounts = ngettext("%(n)s compte", "%(n)s comptes", self.users) % {"n": self.users}
        partnerships = ngettext("%(n)s partenariat", "%(n)s partenariats", self.partnerships) % {
            "n": self.partnerships
        }
        return f"{self.where} ({accounts}, {partnerships})"


def _where() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"SQLite {database['NAME']}"
    host = database.get("HOST") or "localhost"
    return gettext("PostgreSQL %(name)s sur %(host)s") % {"name": database["NAME"], "host": host}


def _names(table: str, column: str, tables: set[str]) -> list[str]:
    if table not in tables:
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)}")  # noqa: S608 - our names
        return [str(row[0]) for row in cursor.fetchall()]


def inventory() -> Inventory:
    """Count accounts and partnerships with plain SQL, so it works before ``migrate``."""
    tables = set(connection.introspection.table_names())
    usernames = _names(get_user_model()._meta.db_table, "username", tables)
    slugs = _names(Partnership._meta.db_table, "slug", tables)
    demo_usernames = {spec["username"] for spec in USERS}
    demo_slugs = {spec["slug"] for spec in PARTNERSHIPS}
    foreign_users = sum(1 for name in usernames if name not in demo_usernames)
    foreign_partnerships = sum(1 for slug in slugs if slug not in demo_slugs)
    return Inventory(
        where=_where(),
        users=len(usernames),
        partnerships=len(slugs),
        foreign_users=foreign_users,
        foreign_partnerships=foreign_partnerships,
        marked=bool(_names(DemoMarker._meta.db_table, "id", tables)),
        legacy_demo=bool(usernames)
        and not foreign_users
        and not foreign_partnerships
        and all(
            check_password(DEMO_PASSWORD, hashed)
            for hashed in _names(get_user_model()._meta.db_table, "password", tables)
        ),
    )


def mark_as_demo() -> None:
    """Claim the (migrated) database for the demo; called only for empty or demo databases."""
    if not DemoMarker.objects.exists():
        DemoMarker.objects.create()


def reset_database() -> None:
    """Start over: remove the SQLite file, or flush every table of another database.

    The caller (``sharaka demo --reset``) has checked that the database is the demo's or that
    the person insisted (``--force``), and has said what goes.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        connection.close()
        path = Path(str(database["NAME"]))
        for suffix in ("", "-wal", "-shm"):
            candidate = path.with_name(path.name + suffix)
            if candidate.exists():
                candidate.unlink()
    else:
        call_command("flush", interactive=False, verbosity=0)


def _organizations() -> dict[str, Organization]:
    result = {}
    for spec in ORGANIZATIONS:
        fields = dict(spec)
        name = fields.pop("name")
        fields["default_college"] = DEFAULT_COLLEGE_BY_KIND[fields["kind"]]
        result[name], _ = Organization.objects.get_or_create(name=name, defaults=fields)
    # the territory of the demo's province supervisor (issue 19): its two communes
    province = result["Province d'Oued Zitoune"]
    communes = [result["Commune d'Oued Zitoune"], result["Commune de Tizgui"]]
    Organization.objects.filter(pk__in=[c.pk for c in communes], province__isnull=True).update(
        province=province
    )
    return result


def _people(orgs: dict[str, Organization]) -> dict[str, Person]:
    result = {}
    for spec in PEOPLE:
        fields = dict(spec)
        org_name = fields.pop("org")
        fields["organization"] = orgs[org_name] if org_name else None
        person, _ = Person.objects.get_or_create(
            first_name=fields.pop("first_name"), last_name=fields.pop("last_name"),
            defaults=fields,
        )  # fmt: skip
        result[person.last_name] = person
    return result


def _partnerships(orgs: dict[str, Organization]) -> dict[str, Partnership]:
    lead = orgs["Commune d'Oued Zitoune"]
    result = {}
    for spec in PARTNERSHIPS:
        fields = dict(spec)
        path, parties = fields.pop("path"), fields.pop("parties")
        partnership, created = Partnership.objects.get_or_create(
            slug=fields.pop("slug"), defaults={**fields, "lead_authority": lead}
        )
        Party.objects.get_or_create(partnership=partnership, organization=lead, role=PartyRole.LEAD)
        for org_name, role in parties:
            Party.objects.get_or_create(
                partnership=partnership, organization=orgs[org_name], role=role
            )
        if created:
            previous = partnership.status
            for status in path:
                StatusTransition.objects.create(
                    partnership=partnership, from_status=previous, to_status=status,
                    note="Données de démonstration",
                )  # fmt: skip
                previous = status
            partnership.status = previous
            partnership.save(update_fields=["status"])
        result[partnership.slug] = partnership
    return result


def _users(
    orgs: dict[str, Organization], people: dict[str, Person], partnerships: dict[str, Partnership]
) -> list[tuple[str, str]]:
    user_model = get_user_model()
    accounts = []
    for spec in USERS:
        user = user_model.objects.filter(username=spec["username"]).first()
        created = user is None
        if user is None:
            user = user_model(
                username=spec["username"],
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                email=f"{spec['username']}@sharaka.example",
                role=spec["role"],
                is_staff=spec.get("staff", False),
                is_superuser=spec.get("staff", False),
                organization=orgs.get(spec.get("org", "")),
                territory=orgs.get(spec.get("territory", "")),
                person=people.get(spec.get("person", "")),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        for slug, role in spec["grants"]:
            PartnershipRole.objects.get_or_create(
                user=user, partnership=partnerships[slug], role=role
            )
        if spec["username"] in DEMO_TOTP_KEYS and created:
            # the published key goes to an account the demo creates, never to one it found
            demo_authenticator_add(user=user, base32_key=DEMO_TOTP_KEYS[spec["username"]])
        accounts.append((spec["username"], spec["label"]))
    return accounts


def _step_name(load: Callable[[DemoContext], None]) -> str:
    """The app a loader belongs to (``sharaka.audit.demo.load`` -> ``audit``)."""
    return load.__module__.split(".")[1]


@transaction.atomic
def load_demo(progress: Callable[[int, int, str], None] | None = None) -> DemoSummary:
    """Load the demo data (idempotent). ``progress(step, steps, app)`` is called before each
    app's data, so that ``sharaka demo`` is not silent for the minute it takes."""
    created = not Partnership.objects.filter(slug="complexe-sportif").exists()
    orgs = _organizations()
    people = _people(orgs)
    partnerships = _partnerships(orgs)
    accounts = _users(orgs, people, partnerships)
    context = DemoContext(
        organizations=orgs,
        people=people,
        partnerships=partnerships,
        users={u.username: u for u in get_user_model().objects.all()},
    )
    for step, load in enumerate(EXTENSIONS, start=1):
        if progress is not None:
            progress(step, len(EXTENSIONS), _step_name(load))
        load(context)
    return DemoSummary(
        organizations=Organization.objects.count(),
        people=Person.objects.count(),
        partnerships=Partnership.objects.count(),
        users=accounts,
        created=created,
    )


def describe(summary: DemoSummary, *, address: str, serving: bool) -> str:
    lines = [
        "Sharaka — démonstration",
        "",
        ("Données de démonstration chargées" if summary.created else "Données déjà présentes")
        + f" : {summary.organizations} organisations, {summary.people} personnes, "
        f"{summary.partnerships} partenariats.",
        "",
        f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD}) :",
    ]
    width = max(len(username) for username, _ in summary.users)
    lines += [f"  {username.ljust(width)}  {label}" for username, label in summary.users]
    lines += [
        "",
        "Double authentification pour " + " et ".join(DEMO_TOTP_KEYS) + " : après le mot de "
        "passe, saisissez le code du moment,",
        "  donné par `uv run sharaka manage demo_code admin` (ou `tresorier`), ou par une "
        "application d'authentification",
        "  avec la clé " + ", ".join(f"{k} ({u})" for u, k in DEMO_TOTP_KEYS.items()) + ".",
        "",
    ]
    lines.append(
        f"Adresse : {address}  (Ctrl+C pour arrêter)" if serving else f"Prêt. Adresse : {address}"
    )
    return "\n".join(lines)

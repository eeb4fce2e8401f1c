"""``sharaka seed-scale``: a national-size data set for measuring pages (issue 19).

Full scale (``--scale 1``): 1,500 authorities in 75 provinces (one supervisor user per
province and one for the country, for the observatory), 12,000 partnerships with their parties and
boards of 8 to 20 seats (a person per seat), an action plan each (a draft version with two
activities and two budget lines each) and 2,000,000 expenses, a few partnerships holding
50,000 of them and the rest small. ``--scale 0.01`` gives a hundredth of everything;
``--authorities``, ``--partnerships`` and ``--expenses`` override one size. Deterministic:
the same ``--seed`` gives the same rows. Rows are bulk inserted (``bulk_create`` in batches;
the expenses by ``COPY`` on PostgreSQL), without history rows or services: this is load for
measurement, never data to work on. Its names start with ``SEED<seed>`` so that a second
run with another seed adds beside the first; the same seed twice is refused.

Not yet seeded (the next steps of issue 19): meetings, ballots, decisions, minutes,
conventions, adopted plans (an adoption needs a board decision), measurements.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from sharaka.accounts.models import GlobalRole, User
from sharaka.directory.models import College, Organization, OrganizationKind, Person
from sharaka.finance.models import Expense
from sharaka.governance.models import Board, BoardCollege, Mandate, Seat
from sharaka.partnerships.models import (
    Category,
    Complexity,
    Kind,
    Partnership,
    Party,
    PartyRole,
    Sector,
    StatusChoice,
)
from sharaka.planning.models import ActionPlan, Activity, BudgetLine, Objective, PlanVersion

FULL = {"authorities": 1500, "partnerships": 12000, "expenses": 2_000_000}
#: Half of the expenses go to a few big partnerships (``_expense_counts``).
BIG_SHARE = 0.5
BATCH = 5000
START = date(2022, 1, 1)


@dataclass(frozen=True)
class Sizes:
    authorities: int
    partnerships: int
    expenses: int

    @property
    def provinces(self) -> int:
        """Provinces and prefectures: one for 20 authorities (75 at full scale)."""
        return max(1, round(self.authorities / 20))

    @property
    def organizations(self) -> int:
        """Associations and companies: 0.8 a partnership (9,600 at full scale)."""
        return max(2, int(self.partnerships * 0.8))


def sizes(
    *, scale: float = 1.0, authorities: int | None = None, partnerships: int | None = None,
    expenses: int | None = None,
) -> Sizes:  # fmt: skip
    def pick(given: int | None, name: str) -> int:
        return given if given is not None else max(1, round(FULL[name] * scale))

    return Sizes(
        authorities=pick(authorities, "authorities"),
        partnerships=pick(partnerships, "partnerships"),
        expenses=pick(expenses, "expenses"),
    )


class AlreadySeeded(Exception):
    pass


def _bulk(model: type[Model], rows: Iterable[Model]) -> list[Any]:
    return model._default_manager.bulk_create(list(rows), batch_size=BATCH)


def seed(size: Sizes, *, seed: int = 1, say: Callable[[str], None] = print) -> dict[str, int]:
    """Insert the data set; return the number of rows of each kind."""
    tag = f"SEED{seed}"
    if Organization.objects.filter(name__startswith=f"{tag} ").exists():
        raise AlreadySeeded(tag)
    rng = random.Random(seed)
    with transaction.atomic():
        counts = _seed(size, rng, tag, say)
    return counts


def _seed(size: Sizes, rng: random.Random, tag: str, say: Callable[[str], None]) -> dict[str, int]:
    now = timezone.now()
    # -- Provinces, their authorities, organisations, supervisors ----------------------------
    provinces = _bulk(Organization, (
        Organization(name=f"{tag} Province {i:03d}", kind=OrganizationKind.PROVINCE_REGION,
                     default_college=College.LOCAL_PUBLIC, city=f"Chef-lieu {i}")
        for i in range(size.provinces)
    ))  # fmt: skip
    kinds = [OrganizationKind.COMMUNE] * 19 + [OrganizationKind.GROUPING]
    authorities = _bulk(Organization, (
        Organization(name=f"{tag} Commune {i:05d}", kind=rng.choice(kinds),
                     default_college=College.LOCAL_PUBLIC, city=f"Ville {i % 400}",
                     province=provinces[i % len(provinces)])
        for i in range(size.authorities)
    ))  # fmt: skip
    supervisors = _supervisors(tag, provinces)
    others = _bulk(Organization, (
        Organization(name=f"{tag} {'Association' if assoc else 'Société'} {i:05d}",
                     kind=OrganizationKind.ASSOCIATION if assoc else
                     OrganizationKind.PRIVATE_COMPANY,
                     default_college=College.ASSOCIATIVE if assoc else College.PRIVATE,
                     city=f"Ville {i % 400}")
        for i in range(size.organizations) for assoc in [rng.random() < 0.7]
    ))  # fmt: skip
    say(
        f"{len(provinces)} provinces, {len(authorities)} collectivités, "
        f"{len(others)} organisations, {len(supervisors)} autorités de tutelle"
    )

    # -- Partnerships and parties -----------------------------------------------------------
    statuses = [StatusChoice.ACTIVE] * 6 + [StatusChoice.NEGOTIATION, StatusChoice.DRAFT]
    partnerships = _bulk(Partnership, (
        Partnership(
            title=f"{Sector(sector).label} {tag} {i:05d}", slug=f"{tag.lower()}-p{i:05d}",
            kind=rng.choice(Kind.values), category=rng.choice(Category.values), sector=sector,
            complexity=rng.choice(Complexity.values), lead_authority=rng.choice(authorities),
            start_date=START + timedelta(days=rng.randrange(0, 1000)),
            status=rng.choice(statuses),
        )
        for i in range(size.partnerships) for sector in [rng.choice(Sector.values)]
    ))  # fmt: skip
    parties: list[Party] = []
    members: dict[int, list[Organization]] = {}
    for p in partnerships:
        chosen = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
        members[p.pk] = [p.lead_authority, *chosen]
        parties.append(Party(partnership=p, organization=p.lead_authority, role=PartyRole.LEAD))
        parties += [Party(partnership=p, organization=o, role=PartyRole.PARTNER) for o in chosen]
    _bulk(Party, parties)
    say(f"{len(partnerships)} partenariats, {len(parties)} parties")

    # -- Boards: colleges, seats of 8 to 20, a person in each -------------------------------
    boards = _bulk(Board, (Board(partnership=p) for p in partnerships))
    colleges = _bulk(BoardCollege, (
        BoardCollege(board=b, code=code, label=label, order=n)
        for b in boards
        for n, (code, label) in enumerate((("local_public", "Collectivités"),
                                           ("associative", "Associations")))
    ))  # fmt: skip
    college_of = {(c.board_id, c.code): c for c in colleges}
    seats: list[Seat] = []
    for board in boards:
        orgs = members[board.partnership_id]
        for n in range(rng.randint(8, 20)):
            org = orgs[n % len(orgs)]
            code = "local_public" if org.kind != OrganizationKind.ASSOCIATION else "associative"
            if org.kind == OrganizationKind.PRIVATE_COMPANY:
                code = "associative"
            seats.append(Seat(board=board, college=college_of[(board.pk, code)],
                              organization=org, established_on=START))  # fmt: skip
    seats = _bulk(Seat, seats)
    women = {n for n in range(len(seats)) if rng.random() < 0.3}
    people = _bulk(Person, (
        Person(first_name=f"Prénom{n % 997}", last_name=f"{tag} Nom{n:07d}",
               gender="f" if n in women else "m", organization_id=seat.organization_id,
               position="Membre du conseil")
        for n, seat in enumerate(seats)
    ))  # fmt: skip
    _bulk(Mandate, (
        Mandate(seat=seat, person=person, start_date=START)
        for seat, person in zip(seats, people, strict=True)
    ))  # fmt: skip
    say(f"{len(seats)} sièges, {len(people)} personnes et mandats")

    # -- Plans (a draft version, two activities, two lines each) and expenses ---------------
    plans = _bulk(ActionPlan, (
        ActionPlan(partnership=p, title="Plan d'action", period_start=START,
                   period_end=START + timedelta(days=5 * 365))
        for p in partnerships
    ))  # fmt: skip
    versions = _bulk(PlanVersion, (PlanVersion(plan=plan, number=1) for plan in plans))
    objectives = _bulk(Objective, (
        Objective(version=v, code="O1", title="Objectif 1") for v in versions
    ))  # fmt: skip
    activities = _bulk(Activity, (
        Activity(version_id=o.version_id, objective=o, code=f"A1.{n}", title=f"Activité {n}",
                 start_date=START, end_date=START + timedelta(days=5 * 365 - 1))
        for o in objectives for n in (1, 2)
    ))  # fmt: skip
    lines = _bulk(BudgetLine, (
        BudgetLine(activity=a, category=category)
        for a in activities for category in ("staff", "operations")
    ))  # fmt: skip
    say(f"{len(plans)} plans, {len(activities)} activités, {len(lines)} lignes budgétaires")

    version_of = {plan.partnership_id: v for plan, v in zip(plans, versions, strict=True)}
    lines_of: dict[int, list[tuple[int, int]]] = {}
    activity_version = {a.pk: a.version_id for a in activities}
    version_partnership = {v.pk: pid for pid, v in version_of.items()}
    for line in lines:
        pid = version_partnership[activity_version[line.activity_id]]
        lines_of.setdefault(pid, []).append((line.activity_id, line.pk))
    plan_counts = _expense_counts(size, [p.pk for p in partnerships], rng)
    written = _expenses(plan_counts, version_of, lines_of, rng, now)
    say(f"{written} dépenses")
    return {
        "provinces": len(provinces), "supervisors": len(supervisors),
        "authorities": len(authorities), "organizations": len(others),
        "partnerships": len(partnerships), "parties": len(parties), "seats": len(seats),
        "people": len(people), "activities": len(activities), "expenses": written,
    }  # fmt: skip


def _supervisors(tag: str, provinces: Sequence[Organization]) -> list[User]:
    """A supervisor for the country and one per province (``seed1.tutelle.p000``...). They
    cannot sign in (unusable password): the bench signs them in directly; give one a
    password (``sharaka manage changepassword``) to look at the observatory by hand."""
    prefix = tag.lower()
    password = make_password(None)
    users = [User(username=f"{prefix}.tutelle.nationale", role=GlobalRole.SUPERVISOR,
                  password=password, last_name="Tutelle nationale")]  # fmt: skip
    users += [
        User(username=f"{prefix}.tutelle.p{n:03d}", role=GlobalRole.SUPERVISOR,
             password=password, territory=province, last_name=f"Tutelle {province.name}")
        for n, province in enumerate(provinces)
    ]  # fmt: skip
    return _bulk(User, users)


def _expense_counts(size: Sizes, ids: Sequence[int], rng: random.Random) -> dict[int, int]:
    """How many expenses each partnership gets: one in 600 partnerships (20 at full scale)
    shares half of them (50,000 each at full scale), the others share the rest."""
    total = size.expenses
    big = min(len(ids), max(1, round(len(ids) / 600)))
    big_each = int(total * BIG_SHARE) // big
    counts = dict.fromkeys(ids, 0)
    for pid in ids[:big]:
        counts[pid] = big_each
    small = list(ids[big:]) or list(ids)
    for n in range(total - big * big_each):
        counts[small[n % len(small)]] += 1
    return counts


_COLUMNS = (
    "partnership_id", "plan_version_id", "activity_id", "line_id", "date", "year", "amount",
    "currency", "supplier", "reference", "description", "document", "document_name",
    "status", "recorded_at", "pending",
)  # fmt: skip


def _expense_rows(
    counts: dict[int, int], version_of: dict[int, PlanVersion],
    lines_of: dict[int, list[tuple[int, int]]], rng: random.Random, now: Any,
) -> Iterable[tuple[Any, ...]]:  # fmt: skip
    for pid, count in counts.items():
        version = version_of[pid].pk
        choices = lines_of[pid]
        for n in range(count):
            activity, line = choices[n % len(choices)]
            day = START + timedelta(days=rng.randrange(0, 5 * 365))
            amount = Decimal(rng.randrange(100, 5_000_000)) / 100
            yield (pid, version, activity, line, day, day.year, amount, "MAD",
                   f"Fournisseur {rng.randrange(5000)}", f"F-{n}", "", "", "", "recorded",
                   now, False)  # fmt: skip


def _expenses(
    counts: dict[int, int], version_of: dict[int, PlanVersion],
    lines_of: dict[int, list[tuple[int, int]]], rng: random.Random, now: Any,
) -> int:  # fmt: skip
    rows = _expense_rows(counts, version_of, lines_of, rng, now)
    if connection.vendor == "postgresql":
        return _copy(Expense._meta.db_table, _COLUMNS, rows)
    written = 0
    batch: list[Expense] = []
    for row in rows:
        batch.append(Expense(**dict(zip(_COLUMNS, row, strict=True))))
        if len(batch) == BATCH:
            written += len(Expense.objects.bulk_create(batch))
            batch = []
    written += len(Expense.objects.bulk_create(batch))
    return written


def _copy(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """``COPY … FROM STDIN`` (psycopg 3) of ``rows``; returns how many were written."""
    written = 0
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


def report(counts: dict[str, int]) -> str:
    out = io.StringIO()
    for name, value in counts.items():
        out.write(f"{name}: {value}\n")
    return out.getvalue()

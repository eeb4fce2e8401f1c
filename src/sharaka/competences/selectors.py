"""Reads of people's competences: the key people of a partnership, the requirements in force,
the gap matrix (a fixed number of queries whatever the staff), the training plan, the
training to-do items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from sharaka.competences import rules
from sharaka.competences.models import (
    Competence,
    Holding,
    Participant,
    Requirement,
    SessionStatus,
    TrainingSession,
)
from sharaka.core.access import Perm, partnership_scope
from sharaka.core.errors import NotFound
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.directory.models import Person
from sharaka.partnerships.models import GrantRole, Partnership
from sharaka.planning.models import BudgetLine
from sharaka.structure import selectors as structure_selectors
from sharaka.structure.models import StaffRole

#: a training session enters its participants' and coordinators' to-do list this many days
#: before it starts
TRAINING_NOTICE_DAYS = 7


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.STRUCTURE_VIEW) -> Partnership:
    return structure_selectors.partnership_get(user=user, slug=slug, perm=perm)


def key_people(*, partnership: Partnership, on: date) -> list[tuple[Person, str]]:
    """The people working in the partnership's management structure on ``on``, with their
    role (heads first): one query."""
    return [
        (row.person, row.role)
        for row in structure_selectors.staff_list(partnership=partnership, on=on)
    ]


def key_person_ids(*, partnership: Partnership, on: date) -> set[int]:
    return {person.pk for person, _role in key_people(partnership=partnership, on=on)}


def requirements_get(*, partnership: Partnership) -> dict[tuple[str, str], int]:
    """The levels in force for the partnership: its own, else the defaults (one query)."""
    defaults: dict[tuple[str, str], int] = {}
    specific: dict[tuple[str, str], int] = {}
    rows = Requirement.objects.filter(
        Q(partnership__isnull=True) | Q(partnership=partnership)
    ).select_related("competence")
    for row in rows:
        target = defaults if row.partnership_id is None else specific
        target[(row.role, row.competence.code)] = row.level
    return rules.requirements_in_force(defaults, specific)


def held_levels(*, person_ids: set[int]) -> dict[int, dict[str, int]]:
    held: dict[int, dict[str, int]] = {}
    rows = Holding.objects.filter(person_id__in=person_ids).select_related("competence")
    for row in rows:
        held.setdefault(row.person_id, {})[row.competence.code] = row.level
    return held


@dataclass(frozen=True)
class Cell:
    required: int  # 0: not required for this role
    held: int  # 0: not held

    @property
    def gap(self) -> bool:
        return self.held < self.required


@dataclass(frozen=True)
class MatrixRow:
    person: Person
    role: str
    role_label: str
    cells: tuple[Cell, ...]
    gaps: int


@dataclass(frozen=True)
class MatrixView:
    competences: tuple[Competence, ...]
    rows: tuple[MatrixRow, ...]
    gaps: tuple[rules.Gap, ...]
    gap_count: int
    sessions: tuple[TrainingSession, ...]


def matrix_view_get(*, partnership: Partnership, today: date) -> MatrixView:
    """Required against held levels, by person and role, for every competence some role of
    the partnership requires or some key person holds (five queries)."""
    people = key_people(partnership=partnership, on=today)
    required = requirements_get(partnership=partnership)
    held = held_levels(person_ids={person.pk for person, _role in people})
    codes = {code for _role, code in required} | {c for levels in held.values() for c in levels}
    competences = tuple(Competence.objects.filter(code__in=codes).order_by("code", "pk"))
    found_gaps = rules.gaps(required, [rules.Person(p.pk, role) for p, role in people], held)
    labels = dict(StaffRole.choices)
    rows = []
    for person, role in people:
        levels = held.get(person.pk, {})
        cells = tuple(
            Cell(required.get((role, c.code), 0), levels.get(c.code, 0)) for c in competences
        )
        rows.append(
            MatrixRow(person, role, str(labels.get(role, role)), cells, sum(c.gap for c in cells))
        )
    sessions = tuple(
        TrainingSession.objects.filter(partnership=partnership, status=SessionStatus.PLANNED)
        .prefetch_related("competences")
        .order_by("start_date", "pk")[:20]
    )
    return MatrixView(competences, tuple(rows), tuple(found_gaps), len(found_gaps), sessions)


def holdings_of(*, person: Person) -> list[Holding]:
    return list(
        Holding.objects.filter(person=person).select_related("competence", "session")
        .order_by("competence__code", "pk")
    )  # fmt: skip


def key_person_get(*, partnership: Partnership, pk: int, today: date) -> Person:
    """A key person of the partnership (404 for anyone else)."""
    for person, _role in key_people(partnership=partnership, on=today):
        if person.pk == pk:
            return person
    raise NotFound()


def budget_lines(*, partnership: Partnership) -> QuerySet[BudgetLine]:
    return (
        BudgetLine.objects.filter(activity__version__plan__partnership=partnership)
        .select_related("activity")
        .order_by("activity__code", "category", "label", "pk")
    )


# --- Training plan ---------------------------------------------------------------------------


def training_list(*, partnership: Partnership) -> list[TrainingSession]:
    """The partnership's sessions, latest start first (three queries)."""
    return list(
        TrainingSession.objects.filter(partnership=partnership)
        .select_related("budget_line__activity")
        .prefetch_related("competences", "participants__person")
        .order_by("-start_date", "-pk")[:200]
    )


def session_get(*, partnership: Partnership, pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.filter(partnership=partnership, pk=pk)
        .select_related("budget_line__activity", "partnership")
        .prefetch_related("competences")
        .first()
    )
    if session is None:
        raise NotFound()
    return session


def participants_of(*, session: TrainingSession) -> list[Participant]:
    return list(
        session.participants.select_related("person").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )


def training_todo(user: Any, today: date) -> list[TodoItem]:
    """Sessions starting within a week, for their participants and the partnership's
    coordinators (one query, two with the user's grants)."""
    person_id = getattr(user, "person_id", None)
    concerns = Q(
        partnership__user_roles__user=user, partnership__user_roles__role=GrantRole.COORDINATOR
    )
    if person_id is not None:
        concerns |= Q(participants__person_id=person_id)
    sessions = (
        TrainingSession.objects.filter(
            concerns,
            status=SessionStatus.PLANNED,
            start_date__gte=today,
            start_date__lte=today + timedelta(days=TRAINING_NOTICE_DAYS),
            partnership__in=Partnership.objects.filter(partnership_scope(user)),
        )
        .select_related("partnership")
        .distinct()
        .order_by("start_date", "pk")[:50]
    )
    return [
        TodoItem(
            label=todo_label(
                gettext("Formation « %(topic)s » (%(partnership)s) : commence bientôt"),
                {"topic": s.topic, "partnership": s.partnership.title},
            ),
            url=reverse("competences:session", kwargs={"slug": s.partnership.slug, "pk": s.pk}),
            urgency=Urgency.SOON,
            due_on=s.start_date,
        )
        for s in sessions
    ]

"""Writes of people's competences: a key person's held levels (with history), the levels a
role requires in a partnership, the training plan (sessions, participants, attendance) and
the completion of a session, which raises its attendees' levels.

Every service checks the access policy first and is atomic: a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.competences import rules, selectors
from sharaka.competences.error_codes import CompetenceErrorCode as Code
from sharaka.competences.models import (
    Competence,
    Holding,
    Participant,
    Requirement,
    SessionStatus,
    TrainingSession,
)
from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError
from sharaka.core.history import set_change_reason
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.directory.models import Person
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import BudgetLine

SESSION_FIELDS = (
    "topic", "level_reached", "trainer", "start_date", "end_date", "cost", "budget_line",
)  # fmt: skip


def _key_person(partnership: Partnership, person: Person, field: str = "person") -> None:
    if person.pk not in selectors.key_person_ids(partnership=partnership, on=timezone.localdate()):
        raise DomainError(
            Code.NOT_KEY_PERSON,
            gettext("%(person)s ne travaille pas dans la structure de gestion de ce partenariat.")
            % {"person": person},
            field=field,
        )


@transaction.atomic
def holding_set(
    *,
    by: Actor,
    partnership: Partnership,
    person: Person,
    competence: Competence,
    level: int,
    evidence: str = "",
) -> Holding:
    """Record the level a key person holds in a competence (a new one, or a change kept in
    the history)."""
    require(by, Perm.STRUCTURE_CHANGE, partnership)
    _key_person(partnership, person)
    holding = Holding.objects.select_for_update().filter(
        person=person, competence=competence
    ).first() or Holding(person=person, competence=competence)
    holding.level = level
    holding.evidence = evidence
    holding.session = None
    set_change_reason(holding, gettext("Niveau déclaré"))
    return clean_and_save(holding)


@transaction.atomic
def requirement_set(
    *, by: Actor, partnership: Partnership, role: str, competence: Competence, level: int
) -> Requirement:
    """The level ``role`` requires in ``competence`` in this partnership (0 removes a
    default requirement)."""
    require(by, Perm.STRUCTURE_CHANGE, partnership)
    row = Requirement.objects.select_for_update().filter(
        partnership=partnership, role=role, competence=competence
    ).first() or Requirement(partnership=partnership, role=role, competence=competence)
    row.level = level
    return clean_and_save(row)


def _check_session(session: TrainingSession, competences: Iterable[Competence] | None) -> None:
    if not rules.dates_ordered(session.start_date, session.end_date):
        raise DomainError(
            Code.DATES_ORDER, gettext("La fin précède le début de la session."), field="end_date"
        )
    line: BudgetLine | None = session.budget_line
    if (
        line is not None
        and not selectors.budget_lines(partnership=session.partnership).filter(pk=line.pk).exists()
    ):
        raise DomainError(
            Code.BUDGET_LINE_OTHER,
            gettext("Cette ligne budgétaire n'appartient pas au plan de ce partenariat."),
            field="budget_line",
        )
    if competences is not None and not list(competences):
        raise DomainError(
            Code.NO_COMPETENCE, gettext("Choisissez au moins une compétence visée."),
            field="competences",
        )  # fmt: skip


def _planned(session: TrainingSession) -> None:
    if session.status != SessionStatus.PLANNED:
        raise DomainError(
            Code.SESSION_NOT_PLANNED,
            gettext("Cette session est %(status)s : elle ne change plus.")
            % {"status": session.get_status_display().lower()},
        )


@transaction.atomic
def session_create(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object],
    competences: Iterable[Competence],
) -> TrainingSession:  # fmt: skip
    require(by, Perm.STRUCTURE_CHANGE, partnership)
    competences = list(competences)
    session = assign_fields(
        TrainingSession(partnership=partnership), fields, allowed=SESSION_FIELDS
    )
    _check_session(session, competences)
    clean_and_save(session)
    session.competences.set(competences)
    return session


@transaction.atomic
def session_update(
    *, by: Actor, session: TrainingSession, fields: Mapping[str, object],
    competences: Iterable[Competence] | None = None,
) -> TrainingSession:  # fmt: skip
    require(by, Perm.STRUCTURE_CHANGE, session.partnership)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _planned(session)
    competences = None if competences is None else list(competences)
    assign_fields(session, fields, allowed=SESSION_FIELDS)
    _check_session(session, competences)
    clean_and_save(session)
    if competences is not None:
        session.competences.set(competences)
    return session


@transaction.atomic
def participant_add(*, by: Actor, session: TrainingSession, person: Person) -> Participant:
    require(by, Perm.STRUCTURE_CHANGE, session.partnership)
    session = (
        TrainingSession.objects.select_for_update().select_related("partnership").get(pk=session.pk)
    )
    _planned(session)
    _key_person(session.partnership, person)
    if session.participants.filter(person=person).exists():
        raise DomainError(
            Code.ALREADY_PARTICIPANT,
            gettext("%(person)s participe déjà à cette session.") % {"person": person},
            field="person",
        )
    return clean_and_save(Participant(session=session, person=person))


@transaction.atomic
def participant_remove(*, by: Actor, participant: Participant) -> None:
    session = participant.session
    require(by, Perm.STRUCTURE_CHANGE, session.partnership)
    _planned(session)
    participant.delete()


@transaction.atomic
def session_complete(
    *, by: Actor, session: TrainingSession, attended: Iterable[int], on: date | None = None
) -> TrainingSession:
    """Close a planned session: record who attended (ids of participants), and raise each
    attendee's level in every competence the session addressed to the level it reaches
    (never lower), kept in the history with the session as the reason."""
    require(by, Perm.STRUCTURE_CHANGE, session.partnership)
    session = (
        TrainingSession.objects.select_for_update().select_related("partnership").get(pk=session.pk)
    )
    _planned(session)
    on = on or timezone.localdate()
    if on < session.start_date:
        raise DomainError(
            Code.SESSION_NOT_STARTED,
            gettext("Une session ne se termine pas avant d'avoir commencé."),
            field="completed_on",
        )
    present = set(attended)
    participants = list(session.participants.select_related("person"))
    attendees = [p for p in participants if p.pk in present]
    if not attendees:
        raise DomainError(
            Code.NO_ATTENDEE, gettext("Cochez au moins un participant présent."), field="attended"
        )
    for participant in participants:
        participant.attended = participant.pk in present
        participant.save(update_fields=["attended", "updated_at"])
    competences = list(session.competences.all())
    held = {
        (h.person_id, h.competence_id): h
        for h in Holding.objects.select_for_update().filter(
            person_id__in=[p.person_id for p in attendees], competence__in=competences
        )
    }
    reason = gettext("Formation « %(topic)s »") % {"topic": session.topic}
    for participant in attendees:
        for competence in competences:
            holding = held.get((participant.person_id, competence.pk))
            level = rules.level_after_training(
                holding.level if holding else None, session.level_reached
            )
            if holding is not None and holding.level == level:
                continue
            holding = holding or Holding(person_id=participant.person_id, competence=competence)
            holding.level = level
            holding.session = session
            holding.evidence = reason
            set_change_reason(holding, reason)
            holding.save()
    session.status = SessionStatus.COMPLETED
    session.completed_on = on
    session.save(update_fields=["status", "completed_on", "updated_at"])
    return session


@transaction.atomic
def session_cancel(*, by: Actor, session: TrainingSession) -> TrainingSession:
    require(by, Perm.STRUCTURE_CHANGE, session.partnership)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    _planned(session)
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    return session

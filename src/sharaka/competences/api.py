"""API of key people's competences and training (M10), mounted at ``/api/competences``:
read routes of a partnership's gap matrix, a key person's profile and the training plan.
The same rights as the pages: whoever reads the partnership's management structure
(``Perm.STRUCTURE_VIEW`` through ``core.access``); 404 for anyone else, and for a person who
is not a key person of the partnership. Errors are RFC 9457 problem JSON. No ``from
__future__ import annotations`` (ADR 0001)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from sharaka.competences import selectors
from sharaka.competences.models import Competence, TrainingSession
from sharaka.core.schemas import Schema
from sharaka.partnerships.models import Partnership

router = Router(tags=["competences"])


class KeyCompetenceOut(Schema):
    code: str
    label: str
    label_fr: str
    label_ar: str
    label_en: str


class CellOut(Schema):
    competence: str
    required: int
    held: int


class PersonRowOut(Schema):
    person_id: int
    name: str
    role: str
    cells: list[CellOut]
    gaps: int


class GapOut(Schema):
    person_id: int
    role: str
    competence: str
    required: int
    held: int


class MatrixOut(Schema):
    partnership: str
    competences: list[KeyCompetenceOut]
    people: list[PersonRowOut]
    gaps: list[GapOut]


class HoldingOut(Schema):
    competence: str
    label: str
    level: int
    evidence: str
    session_id: int | None


class KeyPersonProfileOut(Schema):
    person_id: int
    name: str
    holdings: list[HoldingOut]


class ParticipantOut(Schema):
    person_id: int
    name: str
    attended: bool


class SessionOut(Schema):
    id: int
    topic: str
    competences: list[str]
    level_reached: int
    trainer: str
    start_date: dt.date
    end_date: dt.date
    cost: Decimal | None
    currency: str
    budget_line_id: int | None
    status: str
    completed_on: dt.date | None
    participants: list[ParticipantOut]


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug)


def _competence(c: Competence) -> dict[str, Any]:
    return {"code": c.code, "label": c.label, "label_fr": c.label_fr, "label_ar": c.label_ar,
            "label_en": c.label_en}  # fmt: skip


def _session(s: TrainingSession, participants: list[Any]) -> dict[str, Any]:
    return {
        "id": s.pk, "topic": s.topic, "competences": sorted(c.code for c in s.competences.all()),
        "level_reached": s.level_reached, "trainer": s.trainer, "start_date": s.start_date,
        "end_date": s.end_date, "cost": s.cost, "currency": s.currency,
        "budget_line_id": s.budget_line_id, "status": s.status, "completed_on": s.completed_on,
        "participants": [
            {"person_id": p.person_id, "name": str(p.person), "attended": p.attended}
            for p in participants
        ],
    }  # fmt: skip


@router.get("/partnerships/{slug}/matrix", response=MatrixOut,
            summary="Écarts de compétences des personnes clés")  # fmt: skip
def get_matrix(request: HttpRequest, slug: str) -> dict[str, Any]:
    partnership = _partnership(request, slug)
    view = selectors.matrix_view_get(partnership=partnership, today=timezone.localdate())
    codes = [c.code for c in view.competences]
    return {
        "partnership": partnership.slug,
        "competences": [_competence(c) for c in view.competences],
        "people": [
            {"person_id": row.person.pk, "name": str(row.person), "role": row.role,
             "gaps": row.gaps,
             "cells": [{"competence": code, "required": cell.required, "held": cell.held}
                       for code, cell in zip(codes, row.cells, strict=True)]}
            for row in view.rows
        ],
        "gaps": [
            {"person_id": g.person_id, "role": g.role, "competence": g.competence,
             "required": g.required, "held": g.held}
            for g in view.gaps
        ],
    }  # fmt: skip


@router.get("/partnerships/{slug}/people/{pk}", response=KeyPersonProfileOut,
            summary="Profil de compétences d'une personne clé")  # fmt: skip
def get_profile(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    partnership = _partnership(request, slug)
    person = selectors.key_person_get(partnership=partnership, pk=pk, today=timezone.localdate())
    return {
        "person_id": person.pk, "name": str(person),
        "holdings": [
            {"competence": h.competence.code, "label": h.competence.label, "level": h.level,
             "evidence": h.evidence, "session_id": h.session_id}
            for h in selectors.holdings_of(person=person)
        ],
    }  # fmt: skip


@router.get("/partnerships/{slug}/training", response=list[SessionOut],
            summary="Plan de formation (200 sessions, les plus récentes d'abord)")  # fmt: skip
def list_training(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    partnership = _partnership(request, slug)
    return [
        _session(s, list(s.participants.all()))
        for s in selectors.training_list(partnership=partnership)
    ]


@router.get("/partnerships/{slug}/training/{pk}", response=SessionOut,
            summary="Une session de formation et ses participant·es")  # fmt: skip
def get_session(request: HttpRequest, slug: str, pk: int) -> dict[str, Any]:
    partnership = _partnership(request, slug)
    session = selectors.session_get(partnership=partnership, pk=pk)
    return _session(session, selectors.participants_of(session=session))

"""Board services: each success and each refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from sharaka.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from sharaka.governance import services
from sharaka.governance.composition import Group
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.models import (
    Board,
    BoardCollege,
    GovernanceSettings,
    Mandate,
    Officer,
    Seat,
)
from tests.factories import AssociationFactory
from tests.governance.conftest import START, BoardWorld, add_parties, default_target

CHANGERS = ("admin", "officer", "coordinator")
READERS = ("board_member", "treasurer", "auditor")
STRANGERS = ("other_officer", "outsider")


def _code(excinfo: pytest.ExceptionInfo[DomainError]) -> str:
    return excinfo.value.code


# --- board_create -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CHANGERS)
def test_board_create_by_each_role_allowed(world, role):
    association, company = add_parties(world)
    board = services.board_create(
        by=world.user(role),
        partnership=world.a,
        target=default_target(world.a.lead_authority, association, company),
        template="facility_large",
        established_on=START,
    )
    assert board.colleges.count() == 5
    assert Seat.objects.filter(board=board).count() == 6
    assert Seat.objects.filter(board=board, voting=False, expertise="technical").count() == 1
    assert GovernanceSettings.objects.filter(partnership=world.a).exists()


@pytest.mark.parametrize(
    ("role", "error"), [*((r, AccessDenied) for r in READERS), *((r, NotFound) for r in STRANGERS)]
)
def test_board_create_refused_per_role(world, role, error):
    association, company = add_parties(world)
    with pytest.raises(error):
        services.board_create(
            by=world.user(role),
            partnership=world.a,
            target=default_target(world.a.lead_authority, association, company),
        )
    assert not Board.objects.exists()


def test_board_create_twice_refused(bw):
    with pytest.raises(DomainError) as excinfo:
        services.board_create(by=bw.w.admin, partnership=bw.w.a, target={})
    assert _code(excinfo) == Code.BOARD_EXISTS


def test_board_create_with_an_organisation_that_is_not_a_party(world):
    stranger = AssociationFactory()
    with pytest.raises(DomainError) as excinfo:
        services.board_create(
            by=world.admin,
            partnership=world.a,
            target={Group(stranger.pk, "associative", True): 1},
        )
    assert _code(excinfo) == Code.ORGANIZATION_NOT_PARTY
    assert not Board.objects.exists()  # atomic: nothing half-created


def test_board_create_refuses_voting_experts(world):
    with pytest.raises(DomainError) as excinfo:
        services.board_create(
            by=world.admin,
            partnership=world.a,
            target={Group(world.a.lead_authority_id, "experts", True): 1},
        )
    assert _code(excinfo) == Code.SEAT_ADVISORY_VOTE


# --- seats ----------------------------------------------------------------------------------


def _college(bw: BoardWorld, code: str) -> BoardCollege:
    return bw.board.colleges.get(code=code)


def test_seat_create(bw):
    seat = services.seat_create(
        by=bw.w.coordinator,
        board=bw.board,
        college=_college(bw, "associative"),
        organization=bw.association,
        voting=True,
        label="Suppléant",
    )
    assert seat.voting and seat.organization == bw.association


def test_seat_create_advisory_seat_given_a_vote(bw):
    with pytest.raises(DomainError) as excinfo:
        services.seat_create(
            by=bw.w.admin,
            board=bw.board,
            college=_college(bw, "associative"),
            organization=bw.association,
            voting=True,
            expertise="legal",
        )
    assert _code(excinfo) == Code.SEAT_ADVISORY_VOTE
    with pytest.raises(DomainError) as excinfo:
        services.seat_create(
            by=bw.w.admin,
            board=bw.board,
            college=_college(bw, "experts"),
            organization=bw.association,
            voting=True,
        )
    assert _code(excinfo) == Code.SEAT_ADVISORY_VOTE


def test_seat_create_voting_without_organisation(bw):
    with pytest.raises(DomainError) as excinfo:
        services.seat_create(
            by=bw.w.admin,
            board=bw.board,
            college=_college(bw, "associative"),
            organization=None,
            voting=True,
        )
    assert _code(excinfo) == Code.SEAT_WITHOUT_ORGANIZATION


def test_seat_create_with_a_college_of_another_board(bw):
    services.board_create(
        by=bw.w.admin,
        partnership=bw.w.b,
        target={Group(bw.w.b.lead_authority_id, "local_public", True): 1},
    )
    other_college = BoardCollege.objects.get(board__partnership=bw.w.b, code="local_public")
    with pytest.raises(DomainError) as excinfo:
        services.seat_create(
            by=bw.w.admin,
            board=bw.board,
            college=other_college,
            organization=bw.commune,
            voting=True,
        )
    assert _code(excinfo) == Code.WRONG_PARTNERSHIP


@pytest.mark.parametrize(
    ("role", "error"), [*((r, AccessDenied) for r in READERS), *((r, NotFound) for r in STRANGERS)]
)
def test_seat_create_refused_per_role(bw, role, error):
    with pytest.raises(error):
        services.seat_create(
            by=bw.w.user(role),
            board=bw.board,
            college=_college(bw, "associative"),
            organization=bw.association,
            voting=True,
        )


def test_seat_update_refuses_vote_for_expert_seat(bw):
    expert_seat = bw.seat(None)
    with pytest.raises(DomainError) as excinfo:
        services.seat_update(
            by=bw.w.admin, board=bw.board, seat=expert_seat, fields={"voting": True}
        )
    assert _code(excinfo) == Code.SEAT_ADVISORY_VOTE


def test_seat_update_organisation_of_occupied_seat(bw, woman):
    seat = bw.seat(bw.association)
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=START
    )
    with pytest.raises(DomainError) as excinfo:
        services.seat_update(
            by=bw.w.admin, board=bw.board, seat=seat, fields={"organization": bw.company}
        )
    assert _code(excinfo) == Code.SEAT_OCCUPIED
    seat = services.seat_update(
        by=bw.w.admin, board=bw.board, seat=seat, fields={"label": "Présidence de l'association"}
    )
    assert seat.label == "Présidence de l'association"


def test_seat_abolish_never_used_seat_is_deleted(bw):
    seat = bw.seat(bw.company)
    assert services.seat_abolish(by=bw.w.admin, board=bw.board, seat=seat) is None
    assert not Seat.objects.filter(pk=seat.pk).exists()


def test_seat_abolish_keeps_a_seat_that_had_mandates(bw, woman):
    seat = bw.seat(bw.company)
    mandate = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=START
    )
    with pytest.raises(DomainError) as excinfo:
        services.seat_abolish(by=bw.w.admin, board=bw.board, seat=seat)
    assert _code(excinfo) == Code.SEAT_OCCUPIED
    services.mandate_end(by=bw.w.admin, board=bw.board, mandate=mandate, end_date=date(2025, 6, 30))
    kept = services.seat_abolish(by=bw.w.admin, board=bw.board, seat=seat, on=date(2025, 7, 1))
    assert kept is not None and kept.abolished_on == date(2025, 7, 1)
    assert Mandate.objects.filter(pk=mandate.pk).exists()
    with pytest.raises(DomainError) as excinfo:
        services.seat_abolish(by=bw.w.admin, board=bw.board, seat=kept)
    assert _code(excinfo) == Code.SEAT_ABOLISHED


# --- mandates -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", CHANGERS)
def test_mandate_create(bw, woman, role):
    seat = bw.seat(bw.commune)
    mandate = services.mandate_create(
        by=bw.w.user(role), board=bw.board, seat=seat, person=woman, start_date=START
    )
    assert mandate.on_behalf_of == bw.commune  # defaults to the seat's organisation
    assert mandate.history.count() == 1


@pytest.mark.parametrize(
    ("role", "error"), [*((r, AccessDenied) for r in READERS), *((r, NotFound) for r in STRANGERS)]
)
def test_mandate_create_refused_per_role(bw, woman, role, error):
    with pytest.raises(error):
        services.mandate_create(
            by=bw.w.user(role),
            board=bw.board,
            seat=bw.seat(bw.commune),
            person=woman,
            start_date=START,
        )
    assert not Mandate.objects.exists()


def test_mandate_overlap_refused(bw, woman, man):
    seat = bw.seat(bw.commune)
    first = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=START
    )
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.admin, board=bw.board, seat=seat, person=man, start_date=date(2025, 3, 1)
        )
    assert _code(excinfo) == Code.MANDATE_OVERLAP
    assert "Femme" in excinfo.value.message
    services.mandate_end(by=bw.w.admin, board=bw.board, mandate=first, end_date=date(2025, 6, 30))
    # the last day is inclusive: starting on it overlaps, the day after does not
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.admin, board=bw.board, seat=seat, person=man, start_date=date(2025, 6, 30)
        )
    assert _code(excinfo) == Code.MANDATE_OVERLAP
    # a mandate back in the past, inside the first one, overlaps too
    with pytest.raises(DomainError):
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=seat,
            person=man,
            start_date=date(2025, 2, 1),
            end_date=date(2025, 2, 28),
        )
    second = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=man, start_date=date(2025, 7, 1)
    )
    assert second.pk != first.pk


def test_mandate_person_already_seated(bw, woman):
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.commune, 0), person=woman, start_date=START
    )
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=bw.seat(bw.commune, 1),
            person=woman,
            start_date=START,
        )
    assert _code(excinfo) == Code.PERSON_ALREADY_SEATED


def test_mandate_dates_refused(bw, woman):
    seat = bw.seat(bw.commune)
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=seat,
            person=woman,
            start_date=START,
            end_date=START - timedelta(days=1),
        )
    assert _code(excinfo) == Code.MANDATE_END_BEFORE_START
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=seat,
            person=woman,
            start_date=START - timedelta(days=1),
        )
    assert _code(excinfo) == Code.MANDATE_OUTSIDE_SEAT


def test_mandate_on_a_seat_of_another_partnership(bw, woman):
    other = services.board_create(
        by=bw.w.admin,
        partnership=bw.w.b,
        target={Group(bw.w.b.lead_authority_id, "local_public", True): 1},
        established_on=START,
    )
    foreign_seat = Seat.objects.get(board=other)
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.officer, board=bw.board, seat=foreign_seat, person=woman, start_date=START
        )
    assert _code(excinfo) == Code.WRONG_PARTNERSHIP
    # and acting on B's board itself is not the officer of A's business: B is invisible
    with pytest.raises(NotFound):
        services.mandate_create(
            by=bw.w.officer, board=other, seat=foreign_seat, person=woman, start_date=START
        )


def test_mandate_on_behalf_of_a_non_party(bw, woman):
    with pytest.raises(DomainError) as excinfo:
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=bw.seat(bw.commune),
            person=woman,
            start_date=START,
            on_behalf_of=AssociationFactory(),
        )
    assert _code(excinfo) == Code.ORGANIZATION_NOT_PARTY


def test_mandate_end_never_deletes_and_refuses_twice(bw, woman):
    mandate = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.commune), person=woman, start_date=START
    )
    ended = services.mandate_end(
        by=bw.w.coordinator,
        board=bw.board,
        mandate=mandate,
        end_date=date(2025, 12, 31),
        reason="Démission",
    )
    assert ended.end_date == date(2025, 12, 31) and ended.end_reason == "Démission"
    assert Mandate.objects.filter(pk=mandate.pk).exists()
    assert mandate.history.count() == 2
    assert mandate.history.first().history_change_reason == "Démission"
    with pytest.raises(DomainError) as excinfo:
        services.mandate_end(
            by=bw.w.admin, board=bw.board, mandate=ended, end_date=date(2026, 1, 31)
        )
    assert _code(excinfo) == Code.MANDATE_ALREADY_ENDED


def test_mandate_end_before_start_and_permissions(bw, woman):
    mandate = services.mandate_create(
        by=bw.w.admin,
        board=bw.board,
        seat=bw.seat(bw.commune),
        person=woman,
        start_date=date(2025, 3, 1),
    )
    with pytest.raises(DomainError) as excinfo:
        services.mandate_end(
            by=bw.w.admin, board=bw.board, mandate=mandate, end_date=date(2025, 2, 1)
        )
    assert _code(excinfo) == Code.MANDATE_END_BEFORE_START
    with pytest.raises(AccessDenied):
        services.mandate_end(
            by=bw.w.board_member, board=bw.board, mandate=mandate, end_date=date(2025, 4, 1)
        )
    with pytest.raises(NotFound):
        services.mandate_end(
            by=bw.w.outsider, board=bw.board, mandate=mandate, end_date=date(2025, 4, 1)
        )


def test_one_open_mandate_per_seat_is_a_database_constraint(bw, woman, man):
    seat = bw.seat(bw.commune)
    Mandate.objects.create(seat=seat, person=woman, start_date=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.create(seat=seat, person=man, start_date=START)


def test_expert_seat_vote_is_a_database_constraint(bw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.filter(pk=bw.seat(None).pk).update(voting=True)


# --- officers -------------------------------------------------------------------------------


def _seated(bw: BoardWorld, person, organization=None, index: int = 0) -> Mandate:
    return services.mandate_create(
        by=bw.w.admin,
        board=bw.board,
        seat=bw.seat(organization or bw.commune, index),
        person=person,
        start_date=START,
    )


def test_officer_appoint_and_end(bw, woman, man):
    chair = services.officer_appoint(
        by=bw.w.officer,
        board=bw.board,
        mandate=_seated(bw, woman),
        role="chair",
        start_date=date(2025, 1, 15),
        appointment_note="Élue le 15 janvier",
    )
    assert chair.appointing_decision_id is None  # linked once meetings exist
    with pytest.raises(DomainError) as excinfo:
        services.officer_appoint(
            by=bw.w.admin,
            board=bw.board,
            mandate=_seated(bw, man, index=1),
            role="chair",
            start_date=date(2025, 2, 1),
        )
    assert _code(excinfo) == Code.OFFICER_ROLE_TAKEN
    ended = services.officer_end(
        by=bw.w.admin, board=bw.board, officer=chair, end_date=date(2025, 6, 30)
    )
    assert ended.end_date == date(2025, 6, 30)
    with pytest.raises(DomainError) as excinfo:
        services.officer_end(
            by=bw.w.admin, board=bw.board, officer=ended, end_date=date(2025, 7, 30)
        )
    assert _code(excinfo) == Code.OFFICER_ALREADY_ENDED


def test_officer_must_hold_a_voting_seat_during_the_mandate(bw, woman, man):
    expert = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(None), person=man, start_date=START
    )
    with pytest.raises(DomainError) as excinfo:
        services.officer_appoint(
            by=bw.w.admin, board=bw.board, mandate=expert, role="secretary", start_date=START
        )
    assert _code(excinfo) == Code.OFFICER_NOT_VOTING
    with pytest.raises(DomainError) as excinfo:
        services.officer_appoint(
            by=bw.w.admin,
            board=bw.board,
            mandate=_seated(bw, woman),
            role="secretary",
            start_date=START - timedelta(days=3),
        )
    assert _code(excinfo) == Code.OFFICER_OUTSIDE_MANDATE


def test_ending_a_mandate_ends_its_offices(bw, woman):
    mandate = _seated(bw, woman)
    office = services.officer_appoint(
        by=bw.w.admin, board=bw.board, mandate=mandate, role="treasurer", start_date=START
    )
    services.mandate_end(by=bw.w.admin, board=bw.board, mandate=mandate, end_date=date(2025, 9, 30))
    office.refresh_from_db()
    assert office.end_date == date(2025, 9, 30)


def test_officer_refused_per_role(bw, woman):
    mandate = _seated(bw, woman)
    with pytest.raises(AccessDenied):
        services.officer_appoint(
            by=bw.w.treasurer, board=bw.board, mandate=mandate, role="chair", start_date=START
        )
    assert not Officer.objects.exists()


# --- settings ---------------------------------------------------------------------------------


def test_settings_update_normalises_fractions(bw):
    settings = services.governance_settings_update(
        by=bw.w.officer,
        partnership=bw.w.a,
        fields={"quorum": "0,5", "min_women_share": "2/5", "method": "qualified"},
    )
    assert settings.quorum == "1/2" and settings.min_women_share == "2/5"
    assert settings.history.count() == 2


def test_settings_update_bad_fraction(bw):
    with pytest.raises(ValidationFailed) as excinfo:
        services.governance_settings_update(
            by=bw.w.admin, partnership=bw.w.a, fields={"threshold": "deux tiers"}
        )
    assert "threshold" in excinfo.value.errors
    with pytest.raises(ValidationFailed) as excinfo:
        services.governance_settings_update(
            by=bw.w.admin, partnership=bw.w.a, fields={"quorum": "3/2"}
        )
    assert "quorum" in excinfo.value.errors


@pytest.mark.parametrize(
    ("role", "error"),
    [("coordinator", AccessDenied), ("board_member", AccessDenied), ("outsider", NotFound)],
)
def test_settings_update_refused_per_role(bw, role, error):
    with pytest.raises(error):
        services.governance_settings_update(
            by=bw.w.user(role), partnership=bw.w.a, fields={"quorum": "2/3"}
        )


def test_settings_owned_by_convention(bw, monkeypatch):
    from dataclasses import replace

    from sharaka.governance import selectors

    owned = replace(
        selectors.rules_in_force_get(partnership=bw.w.a),
        source="convention:1",
        source_label="Convention (en vigueur)",
    )
    monkeypatch.setattr(selectors, "_convention_rules", lambda partnership, at: owned)
    with pytest.raises(DomainError) as excinfo:
        services.governance_settings_update(
            by=bw.w.admin, partnership=bw.w.a, fields={"quorum": "2/3"}
        )
    assert _code(excinfo) == Code.RULES_OWNED_BY_CONVENTION


# --- composition apply -------------------------------------------------------------------------


def test_composition_apply_adds_and_abolishes(bw):
    target = default_target(bw.commune, bw.association, bw.company)
    target[Group(bw.association.pk, "associative", True)] = 3
    target[Group(bw.company.pk, "private", True)] = 0
    plan = services.board_composition_apply(by=bw.w.coordinator, board=bw.board, target=target)
    assert plan.created_count == 1 and len(plan.abolish) == 1
    assert len(bw.seats(bw.association)) == 3
    assert not bw.seats(bw.company)


def test_composition_apply_moves_a_seat_to_another_college(bw, woman):
    seat = bw.seat(bw.association)
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=START
    )
    target = default_target(bw.commune, bw.association, bw.company)
    del target[Group(bw.association.pk, "associative", True)]
    target[Group(bw.association.pk, "other_public", True)] = 2
    plan = services.board_composition_apply(by=bw.w.admin, board=bw.board, target=target)
    assert len(plan.move) == 2 and not plan.create and not plan.abolish
    seat.refresh_from_db()
    assert seat.college.code == "other_public"


def test_composition_apply_refuses_removing_occupied_seats(bw, woman):
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.company), person=woman, start_date=START
    )
    target = default_target(bw.commune, bw.association, bw.company)
    target[Group(bw.company.pk, "private", True)] = 0
    with pytest.raises(DomainError) as excinfo:
        services.board_composition_apply(by=bw.w.admin, board=bw.board, target=target)
    assert _code(excinfo) == Code.COMPOSITION_BLOCKED
    assert "Femme" in excinfo.value.message
    assert len(bw.seats(bw.company)) == 1


def test_composition_apply_unchanged_and_permissions(bw):
    target = default_target(bw.commune, bw.association, bw.company)
    with pytest.raises(DomainError) as excinfo:
        services.board_composition_apply(by=bw.w.admin, board=bw.board, target=target)
    assert _code(excinfo) == Code.COMPOSITION_UNCHANGED
    with pytest.raises(AccessDenied):
        services.board_composition_apply(by=bw.w.auditor, board=bw.board, target=target)


def test_college_services(bw):
    college = services.college_create(
        by=bw.w.admin, board=bw.board, code="usagers", label="Usagers", order=60
    )
    with pytest.raises(DomainError) as excinfo:
        services.college_create(by=bw.w.admin, board=bw.board, code="usagers", label="Bis")
    assert _code(excinfo) == Code.COLLEGE_DUPLICATE
    services.college_update(
        by=bw.w.admin, board=bw.board, college=college, label="Usagers du complexe", order=55
    )
    with pytest.raises(DomainError) as excinfo:
        services.college_delete(
            by=bw.w.admin, board=bw.board, college=bw.board.colleges.get(code="associative")
        )
    assert _code(excinfo) == Code.COLLEGE_IN_USE
    services.college_delete(by=bw.w.admin, board=bw.board, college=college)
    assert not BoardCollege.objects.filter(pk=college.pk).exists()

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharaka.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from sharaka.directory.models import OrganizationKind
from sharaka.partnerships import rules, services
from sharaka.partnerships.models import (
    GrantRole,
    Partnership,
    PartnershipRole,
    Party,
    PartyRole,
    StatusTransition,
)
from tests.conftest import World
from tests.factories import AssociationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(world: World, **overrides: Any) -> dict[str, Any]:
    fields = {
        "title": "Musée régional",
        "kind": "management",
        "category": "facility",
        "sector": "museum_culture",
        "complexity": "large",
        "lead_authority": world.a.lead_authority,
        "start_date": date(2026, 1, 1),
        "end_date": date(2028, 12, 31),
    }
    return fields | overrides


class TestCreate:
    def test_officer_creates_a_draft_with_its_lead_party_and_a_slug(self, world: World) -> None:
        partnership = services.partnership_create(by=world.officer, fields=_fields(world))
        assert partnership.status == "draft"
        assert partnership.slug == "musee-regional"
        assert list(partnership.parties.values_list("organization_id", "role")) == [
            (world.a.lead_authority_id, PartyRole.LEAD)
        ]

    def test_slugs_stay_unique(self, world: World) -> None:
        first = services.partnership_create(by=world.admin, fields=_fields(world))
        second = services.partnership_create(by=world.admin, fields=_fields(world))
        assert (first.slug, second.slug) == ("musee-regional", "musee-regional-2")

    @pytest.mark.parametrize(
        "role", ["coordinator", "board_member", "treasurer", "auditor", "outsider"]
    )
    def test_roles_without_the_right_are_refused(self, world: World, role: str) -> None:
        with pytest.raises(AccessDenied):
            services.partnership_create(by=world.user(role), fields=_fields(world))
        assert not Partnership.objects.filter(title="Musée régional").exists()

    def test_officer_cannot_create_for_another_authority(self, world: World) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.partnership_create(
                by=world.officer, fields=_fields(world, lead_authority=world.b.lead_authority)
            )
        assert "lead_authority" in error.value.errors

    def test_lead_must_be_a_local_authority(self, world: World) -> None:
        association = AssociationFactory()
        with pytest.raises(ValidationFailed) as error:
            services.partnership_create(
                by=world.admin, fields=_fields(world, lead_authority=association)
            )
        assert "lead_authority" in error.value.errors

    def test_end_before_start_is_refused_and_nothing_is_written(self, world: World) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.partnership_create(
                by=world.admin, fields=_fields(world, end_date=date(2025, 1, 1))
            )
        assert error.value.errors
        assert not Partnership.objects.filter(title="Musée régional").exists()

    def test_bad_choice_names_the_field(self, world: World) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.partnership_create(by=world.admin, fields=_fields(world, sector="casino"))
        assert "sector" in error.value.errors

    def test_unknown_field_is_refused(self, world: World) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.partnership_create(by=world.admin, fields=_fields(world, status="active"))
        assert "status" in error.value.errors


class TestUpdate:
    def test_coordinator_edits_the_description(self, world: World) -> None:
        services.partnership_update(
            by=world.coordinator, partnership=world.a, fields={"description": "Nouveau texte"}
        )
        before = world.a.history.count()
        world.a.refresh_from_db()
        assert world.a.description == "Nouveau texte"
        latest = world.a.history.latest()
        assert latest.description == "Nouveau texte"
        assert latest.history_type == "~"
        assert before >= 2

    @pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
    def test_readers_cannot_edit(self, world: World, role: str) -> None:
        with pytest.raises(AccessDenied):
            services.partnership_update(
                by=world.user(role), partnership=world.a, fields={"title": "X"}
            )

    def test_outsiders_do_not_even_see_it(self, world: World) -> None:
        with pytest.raises(NotFound):
            services.partnership_update(
                by=world.outsider, partnership=world.a, fields={"title": "X"}
            )
        with pytest.raises(NotFound):
            services.partnership_update(
                by=world.coordinator, partnership=world.b, fields={"title": "X"}
            )

    def test_coordinator_cannot_change_the_lead_authority(self, world: World) -> None:
        other = OrganizationFactory(kind=OrganizationKind.COMMUNE)
        with pytest.raises(AccessDenied):
            services.partnership_update(
                by=world.coordinator, partnership=world.a, fields={"lead_authority": other}
            )

    def test_changing_the_lead_moves_the_lead_party(self, world: World) -> None:
        other = OrganizationFactory(kind=OrganizationKind.COMMUNE)
        services.partnership_update(
            by=world.admin, partnership=world.a, fields={"lead_authority": other}
        )
        leads = Party.objects.filter(partnership=world.a, role=PartyRole.LEAD)
        assert [p.organization_id for p in leads] == [other.pk]


class TestTransition:
    def test_allowed_transition_is_recorded_with_who_and_why(self, world: World) -> None:
        Party.objects.create(
            partnership=world.a, organization=AssociationFactory(), role=PartyRole.PARTNER
        )
        record = services.partnership_transition(
            by=world.officer,
            partnership=world.a,
            to_status="negotiation",
            note="Accord de principe",
        )
        world.a.refresh_from_db()
        assert world.a.status == "negotiation"
        assert (record.from_status, record.to_status, record.by, record.note) == (
            "draft", "negotiation", world.officer, "Accord de principe",
        )  # fmt: skip

    def test_forbidden_transition_is_refused_and_changes_nothing(self, world: World) -> None:
        with pytest.raises(DomainError) as error:
            services.partnership_transition(
                by=world.officer, partnership=world.a, to_status="terminated"
            )
        assert error.value.code == "transition_not_allowed"
        world.a.refresh_from_db()
        assert world.a.status == "draft"
        assert not StatusTransition.objects.exists()

    def test_unknown_status_is_refused(self, world: World) -> None:
        with pytest.raises(DomainError):
            services.partnership_transition(by=world.admin, partnership=world.a, to_status="x")

    @pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "auditor"])
    def test_only_the_authority_moves_the_lifecycle(self, world: World, role: str) -> None:
        with pytest.raises(AccessDenied):
            services.partnership_transition(
                by=world.user(role), partnership=world.a, to_status="negotiation"
            )

    def test_other_authority_gets_not_found(self, world: World) -> None:
        with pytest.raises(NotFound):
            services.partnership_transition(
                by=world.other_officer, partnership=world.a, to_status="negotiation"
            )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(requests=st.lists(st.sampled_from([s.value for s in rules.Status]), max_size=12))
def test_no_sequence_of_calls_reaches_a_forbidden_state(world: World, requests: list[str]) -> None:
    """Whatever a user asks, the recorded path only uses edges of the lifecycle table."""
    partnership = world.a
    Partnership.objects.filter(pk=partnership.pk).update(status="draft")
    StatusTransition.objects.filter(partnership=partnership).delete()
    partnership.refresh_from_db()
    for target in requests:
        with contextlib.suppress(DomainError):
            services.partnership_transition(
                by=world.admin, partnership=partnership, to_status=target
            )
    path = list(
        StatusTransition.objects.filter(partnership=partnership)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )
    current = "draft"
    for before, after in path:
        assert before == current
        assert rules.is_allowed(rules.Status(before), rules.Status(after))
        current = after
    partnership.refresh_from_db()
    assert partnership.status == current


class TestParties:
    def test_add_and_remove_a_partner(self, world: World) -> None:
        association = AssociationFactory()
        party = services.party_add(
            by=world.coordinator, partnership=world.a, organization=association, role="partner"
        )
        assert party.pk
        services.party_remove(by=world.coordinator, party=party)
        assert not Party.objects.filter(pk=party.pk).exists()

    def test_duplicate_party_is_refused(self, world: World) -> None:
        association = AssociationFactory()
        services.party_add(
            by=world.admin, partnership=world.a, organization=association, role="funder"
        )
        with pytest.raises(DomainError) as error:
            services.party_add(
                by=world.admin, partnership=world.a, organization=association, role="funder"
            )
        assert error.value.code == "party_duplicate"

    def test_the_lead_party_cannot_be_added_or_removed(self, world: World) -> None:
        lead = Party.objects.get(partnership=world.a, role=PartyRole.LEAD)
        with pytest.raises(DomainError):
            services.party_remove(by=world.admin, party=lead)
        with pytest.raises(DomainError):
            services.party_add(
                by=world.admin, partnership=world.a, organization=AssociationFactory(), role="lead"
            )

    def test_board_member_cannot_add_parties(self, world: World) -> None:
        with pytest.raises(AccessDenied):
            services.party_add(
                by=world.board_member, partnership=world.a,
                organization=AssociationFactory(), role="partner",
            )  # fmt: skip


class TestGrants:
    def test_officer_grants_and_revokes_a_role(self, world: World) -> None:
        newcomer = UserFactory()
        grant = services.role_grant(
            by=world.officer, partnership=world.a, user=newcomer, role=GrantRole.TREASURER
        )
        assert PartnershipRole.objects.filter(user=newcomer, role="treasurer").exists()
        services.role_revoke(by=world.officer, grant=grant)
        assert not PartnershipRole.objects.filter(user=newcomer).exists()

    def test_coordinator_cannot_grant(self, world: World) -> None:
        with pytest.raises(AccessDenied):
            services.role_grant(
                by=world.coordinator, partnership=world.a, user=UserFactory(), role="auditor"
            )

    def test_duplicate_grant_and_unknown_role(self, world: World) -> None:
        with pytest.raises(DomainError):
            services.role_grant(
                by=world.admin, partnership=world.a, user=world.auditor, role="auditor"
            )
        with pytest.raises(ValidationFailed):
            services.role_grant(by=world.admin, partnership=world.a, user=world.auditor, role="x")

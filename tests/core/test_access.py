"""The access policy table and its functions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sharaka.core.access import POLICY, Perm, Role, can, partnership_scope, require, roles_for
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.partnerships.models import Partnership
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_admin_holds_every_permission_and_public_only_the_portal() -> None:
    assert POLICY[Role.PLATFORM_ADMIN] == frozenset(Perm)
    assert POLICY[Role.PUBLIC] == frozenset({Perm.PUBLIC_VIEW})


def test_roles_on_a_partnership(world: World) -> None:
    assert roles_for(world.officer, world.a) >= {Role.AUTHORITY_OFFICER}
    assert Role.AUTHORITY_OFFICER not in roles_for(world.officer, world.b)
    assert roles_for(world.treasurer, world.a) == {Role.USER, Role.TREASURER}
    assert roles_for(AnonymousUser(), world.a) == {Role.PUBLIC}


def test_inactive_users_are_treated_as_public(world: World) -> None:
    world.coordinator.is_active = False
    assert roles_for(world.coordinator, world.a) == {Role.PUBLIC}


def test_require_hides_what_cannot_be_seen(world: World) -> None:
    with pytest.raises(NotFound):
        require(world.coordinator, Perm.PARTNERSHIP_CHANGE, world.b)
    with pytest.raises(AccessDenied):
        require(world.auditor, Perm.PARTNERSHIP_CHANGE, world.a)
    require(world.coordinator, Perm.PARTNERSHIP_CHANGE, world.a)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"partenariat-a", "partenariat-b"}),
        ("officer", {"partenariat-a"}),
        ("other_officer", {"partenariat-b"}),
        ("coordinator", {"partenariat-a"}),
        ("auditor", {"partenariat-a"}),
        ("outsider", set()),
    ],
)
def test_scope(world: World, role: str, expected: set[str]) -> None:
    slugs = set(
        Partnership.objects.filter(partnership_scope(world.user(role))).values_list(
            "slug", flat=True
        )
    )
    assert slugs == expected


def test_anonymous_scope_is_empty(world: World) -> None:
    assert not Partnership.objects.filter(partnership_scope(AnonymousUser())).exists()
    assert not can(AnonymousUser(), Perm.DIRECTORY_VIEW)

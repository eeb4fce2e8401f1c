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


# --- Officer roles and capabilities (issue 12) ------------------------------------------------


def test_officer_roles_add_rights_only_to_who_sees_the_meetings(world: World) -> None:
    from sharaka.core.access import permissions_for

    member = permissions_for(world.board_member, world.a)
    assert Perm.MEETING_MANAGE not in member
    chair = permissions_for(world.board_member, world.a, officer_roles={Role.BOARD_CHAIR})
    assert chair - member == {Perm.MEETING_MANAGE}
    secretary = permissions_for(world.board_member, world.a, officer_roles={Role.BOARD_SECRETARY})
    assert secretary - member == {Perm.MEETING_MANAGE, Perm.BALLOT_RECORD}
    # On a partnership they cannot see, an officer role gives nothing.
    assert permissions_for(world.board_member, world.b, officer_roles={Role.BOARD_SECRETARY}) == (
        permissions_for(world.board_member, world.b)
    )
    # A role that is not an officer role cannot be smuggled in this way.
    assert (
        permissions_for(world.board_member, world.a, officer_roles={Role.PLATFORM_ADMIN}) == member
    )


def test_capabilities_answer_python_and_templates_alike(world: World) -> None:
    from django.template import Context, Template

    from sharaka.core.access import UnknownPermission, capabilities

    caps = capabilities(world.coordinator, world.a)
    assert Perm.PLAN_CHANGE in caps and Perm.EXPENSE_APPROVE not in caps
    assert caps["plan_change"] is True and caps["expense_approve"] is False
    rendered = Template(
        "{% if can.plan_change %}P{% endif %}{% if can.expense_approve %}A{% endif %}"
    )
    assert rendered.render(Context({"can": caps})) == "P"
    with pytest.raises(UnknownPermission):
        caps["plan_chnage"]
    with pytest.raises(UnknownPermission):
        Template("{{ can.plan_chnage }}").render(Context({"can": caps}))

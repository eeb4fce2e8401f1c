"""The access policy table and its functions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sharaka.core.access import (
    POLICY,
    Perm,
    Role,
    can,
    partnership_scope,
    partnerships_where,
    require,
    roles_for,
)
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


@pytest.mark.parametrize("role", ["admin", "officer", "coordinator", "board_member", "auditor",
                                  "other_officer", "outsider"])  # fmt: skip
@pytest.mark.parametrize("perm", [Perm.REQUEST_MANAGE, Perm.BOARD_VIEW, Perm.EXPENSE_APPROVE])
def test_partnerships_where_agrees_with_can(world: World, role: str, perm: Perm) -> None:
    """The to-do lists' filter selects exactly the partnerships where ``can`` says yes."""
    user = world.user(role)
    where = set(Partnership.objects.filter(partnerships_where(user, perm)))
    assert where == {p for p in (world.a, world.b) if can(user, perm, p)}


def test_partnerships_where_leaves_terminated_out_for_writes_only(world: World) -> None:
    Partnership.objects.filter(pk=world.a.pk).update(status="terminated")
    assert not Partnership.objects.filter(partnerships_where(world.officer, Perm.PLAN_CHANGE))
    # information requests are still answered once a partnership has ended (law 31-13)
    assert Partnership.objects.filter(partnerships_where(world.officer, Perm.REQUEST_MANAGE))
    assert Partnership.objects.filter(partnerships_where(world.officer, Perm.BOARD_VIEW)).exists()
    assert not Partnership.objects.filter(partnerships_where(AnonymousUser(), Perm.PUBLIC_VIEW))

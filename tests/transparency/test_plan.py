"""The communication plan: adding an action, recording it done with its evidence, cancelling
it (confirm page), each refusal changing nothing, access per role, fixed query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharaka.core.access import AccessDenied
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.templatetags.localized import money
from sharaka.transparency import services
from sharaka.transparency.models import CommunicationAction
from tests.conftest import ROLES, World

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
MANAGERS = {"admin", "officer", "coordinator"}


def add(w: World, by: Any = None, **extra: Any) -> CommunicationAction:
    fields = {"audience": "residents", "channel": "notice_board", "frequency": "once",
              "message": "Ouverture de la piscine le dimanche", "owner": w.officer,
              "planned_on": timezone.localdate() + timedelta(days=10), "public": True}  # fmt: skip
    fields |= extra
    return services.action_add(by=by or w.officer, partnership=w.a, fields=fields)


def test_an_action_is_added_done_with_evidence_or_cancelled(world: World) -> None:
    action = add(world)
    assert action.status == "planned"
    today = timezone.localdate()
    done = services.action_done(by=world.coordinator, action=action,
                                fields={"done_on": today, "evidence": "Affiche posée"})  # fmt: skip
    assert (done.status, done.done_on, done.evidence) == ("done", today, "Affiche posée")
    with pytest.raises(DomainError):
        services.action_cancel(by=world.officer, action=done)
    other = add(world)
    assert services.action_cancel(by=world.officer, action=other).status == "cancelled"


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"done_on": timezone.localdate() + timedelta(days=3), "evidence": "x"}, "done_on"),
     ({"done_on": timezone.localdate(), "evidence": "  "}, "evidence")],
)  # fmt: skip
def test_a_refused_step_names_its_field_and_changes_nothing(
    world: World, fields: dict[str, Any], field: str
) -> None:
    action = add(world)
    with pytest.raises(DomainError) as refused:
        services.action_done(by=world.officer, action=action, fields=fields)
    assert refused.value.field == field
    action.refresh_from_db()
    assert action.status == "planned" and action.done_on is None


def test_a_message_is_required_and_only_officers_plan(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        add(world, message=" ")
    assert refused.value.field == "message"
    for role in ("board_member", "treasurer", "auditor", "other_officer", "outsider"):
        with pytest.raises((AccessDenied, NotFound)):
            add(world, by=world.user(role))
    assert not CommunicationAction.objects.exists()


@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(world: World, client_for: Any, role: str | None) -> None:
    action = add(world)
    slug = world.a.slug
    read = [reverse("transparency:plan", args=[slug])]
    change = [reverse("transparency:action_add", args=[slug]),
              reverse("transparency:action_done", args=[slug, action.pk]),
              reverse("transparency:action_cancel", args=[slug, action.pk])]  # fmt: skip
    client = client_for(role)
    for url in read + change:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif url in change and role not in MANAGERS:
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


def test_the_pages_add_complete_and_cancel(world: World, client_for: Any) -> None:
    client = client_for("officer")
    slug = world.a.slug
    response = client.post(reverse("transparency:action_add", args=[slug]), {
        "audience": "press", "channel": "press", "message": "Communiqué sur les tarifs",
        "planned_on": timezone.localdate().isoformat(), "frequency": "yearly",
        "owner": world.officer.pk, "public": "on",
    })  # fmt: skip
    assert response.status_code == 302
    action = CommunicationAction.objects.get()
    assert action.public and action.owner == world.officer
    url = reverse("transparency:action_done", args=[slug, action.pk])
    assert client.post(url, {"done_on": timezone.localdate().isoformat(),
                             "evidence": "Publié"}).status_code == 302  # fmt: skip
    other = add(world)
    cancel = reverse("transparency:action_cancel", args=[slug, other.pk])
    assert client.post(cancel).status_code == 302
    other.refresh_from_db()
    assert other.status == "cancelled"
    html = client.get(reverse("transparency:plan", args=[slug])).content.decode()
    assert "Communiqué sur les tarifs" in html and "Publié" in html


def test_the_plan_page_runs_a_fixed_number_of_queries(world: World, client_for: Any) -> None:
    client = client_for("board_member")
    url = reverse("transparency:plan", args=[world.a.slug])
    add(world)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        add(world, owner=world.coordinator)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


# --- the budget line of an action (the planning action plan in force) -------------------------


def _adopted_line(pw: Any, label: str = "Affiches") -> Any:
    activity = pw.activity()
    line = pw.line(activity, label=label,
                   amounts={2025: Decimal("1500.00"), 2026: Decimal("500.00")})  # fmt: skip
    pw.adopt()
    return line


def test_an_action_points_to_a_budget_line_shown_with_its_amount(pw: Any, client_for: Any) -> None:
    line = _adopted_line(pw)
    client = client_for("officer")
    slug = pw.w.a.slug
    lookup = client.get(reverse("core:lookup", args=["communication_budget_lines"]),
                        {"partnership": slug, "q": "A1"})  # fmt: skip
    assert lookup.status_code == 200 and "Affiches" in lookup.content.decode()
    response = client.post(reverse("transparency:action_add", args=[slug]), {
        "audience": "residents", "channel": "notice_board", "message": "Affiches de l'été",
        "planned_on": timezone.localdate().isoformat(), "frequency": "once",
        "owner": pw.w.officer.pk, "budget_line": line.pk,
    })  # fmt: skip
    assert response.status_code == 302
    assert CommunicationAction.objects.get().budget_line == line
    html = client.get(reverse("transparency:plan", args=[slug])).content.decode()
    assert "Affiches" in html and money(Decimal("2000.00"), "MAD") in html


def test_a_line_of_another_plan_or_a_draft_is_refused_on_its_field(pw: Any) -> None:
    activity = pw.activity()
    draft = pw.line(activity, label="Brouillon")
    with pytest.raises(DomainError) as refused:
        add(pw.w, budget_line=draft)
    assert refused.value.field == "budget_line"
    assert not CommunicationAction.objects.exists()


def test_the_lookup_is_scoped_to_managers(pw: Any, client_for: Any) -> None:
    _adopted_line(pw)
    url = reverse("core:lookup", args=["communication_budget_lines"])
    assert client_for("board_member").get(url, {"partnership": pw.w.a.slug}).status_code == 403
    assert client_for("outsider").get(url, {"partnership": pw.w.a.slug}).status_code == 404


def test_the_plan_page_with_budget_lines_runs_fixed_queries(pw: Any, client_for: Any) -> None:
    line = _adopted_line(pw)
    client = client_for("board_member")
    url = reverse("transparency:plan", args=[pw.w.a.slug])
    add(pw.w, budget_line=line)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(5):
        add(pw.w, budget_line=line)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)

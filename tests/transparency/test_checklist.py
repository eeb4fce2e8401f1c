"""Proactive publication (law 31-13, art. 10): the checklist held as data with its articles,
the rule that gives each line its state, the page per role, the states computed from the
platform's records, and a fixed number of queries whatever the number of records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sharaka.meetings.models import Meeting
from sharaka.partnerships.models import Partnership
from sharaka.transparency import rules, selectors, services
from tests.conftest import ROLES, World
from tests.planning.conftest import make_decision

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}

counts = st.integers(min_value=-3, max_value=1000)


# --- rules ------------------------------------------------------------------------------------


def test_every_line_is_data_with_its_article_and_a_label() -> None:
    codes = [item.code for item in rules.PUBLICATION_CHECKLIST]
    assert len(codes) == len(set(codes))
    for item in rules.PUBLICATION_CHECKLIST:
        assert item.legal.startswith(("Loi 31-13", "Loi organique 113-14"))
        assert item.source in {rules.COMPUTED, rules.RECORDED}
        assert item.code in selectors.PUBLICATION_LABELS


@given(counts, counts)
def test_the_state_says_done_exactly_when_all_that_is_due_is_published(
    due: int, published: int
) -> None:
    state = rules.item_state(due=due, published=published)
    if due <= 0:
        assert state == rules.ItemState.NONE_YET
    elif published >= due:
        assert state == rules.ItemState.DONE
    elif published > 0:
        assert state == rules.ItemState.PARTIAL
    else:
        assert state == rules.ItemState.MISSING


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=0, max_value=500))
def test_publishing_one_more_never_makes_a_line_worse(due: int, published: int) -> None:
    order = [rules.ItemState.MISSING, rules.ItemState.PARTIAL, rules.ItemState.DONE]
    before = rules.item_state(due=due, published=published)
    after = rules.item_state(due=due, published=published + 1)
    assert order.index(after) >= order.index(before)


@given(counts)
def test_what_the_platform_cannot_count_is_to_check(published: int) -> None:
    assert rules.item_state(due=None, published=published) == rules.ItemState.TO_CHECK


# --- selectors ------------------------------------------------------------------------------


def _post(w: World, decision: Any) -> None:
    services.posting_record(by=w.officer, decision=decision, proof=None, fields={
        "posted_on": decision.decided_on + timedelta(days=1), "channel": "notice_board",
        "place": "Tableau d'affichage", "note": ""})  # fmt: skip


def _states(partnership: Any) -> dict[str, rules.ItemState]:
    return {r.code: r.state for r in selectors.publication_checklist(partnership=partnership)}


@pytest.mark.django_db
def test_the_states_follow_the_records(world: World) -> None:
    states = _states(world.a)
    assert states["decisions"] == rules.ItemState.NONE_YET
    assert states["minutes"] == rules.ItemState.NONE_YET
    assert states["audit_reports"] == rules.ItemState.TO_CHECK
    today = timezone.localdate()
    first = make_decision(world.a, "other", on=today - timedelta(days=20))
    make_decision(world.a, "other", on=today - timedelta(days=10))
    states = _states(world.a)
    assert states["decisions"] == rules.ItemState.MISSING
    assert states["minutes"] == rules.ItemState.MISSING  # signed, not published
    _post(world, first)
    Meeting.objects.filter(pk=first.meeting_id).update(status="published")
    states = _states(world.a)
    assert states["decisions"] == rules.ItemState.PARTIAL
    assert states["minutes"] == rules.ItemState.MISSING  # the partnership is not public
    Partnership.objects.filter(pk=world.a.pk).update(status="active")
    world.a.refresh_from_db()
    assert _states(world.a)["minutes"] == rules.ItemState.PARTIAL
    assert _states(world.b)["decisions"] == rules.ItemState.NONE_YET  # B's own records


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role(world: World, client_for: Any, role: str | None) -> None:
    response = client_for(role).get(reverse("transparency:checklist", args=[world.a.slug]))
    if role is None:
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    elif role not in READERS:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Loi 31-13, art. 10" in html and "Loi organique 113-14, art. 273" in html


@pytest.mark.django_db
def test_the_page_runs_a_fixed_number_of_queries(world: World, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("transparency:checklist", args=[world.a.slug])
    today = timezone.localdate()
    _post(world, make_decision(world.a, "other", on=today - timedelta(days=30)))
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(5):
        decision = make_decision(world.a, "other", on=today - timedelta(days=20 + n))
        if n % 2:
            _post(world, decision)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)

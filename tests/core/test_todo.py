"""The to-do registry: merged from every provider, overdue first, only for a signed-in user."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from sharaka.core import todo
from sharaka.core.bidi import FSI, PDI
from sharaka.core.todo import TodoItem, Urgency

TODAY = dt.date(2026, 12, 7)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(todo, "_providers", {})
    return todo


def test_items_are_merged_overdue_first_then_by_due_date(registry):
    registry.register("b", lambda user, today: [
        TodoItem("later", "/l", Urgency.SOON, today + dt.timedelta(days=20)),
        TodoItem("waiting", "/w", Urgency.INFO),
    ])  # fmt: skip
    registry.register("a", lambda user, today: [
        TodoItem("sooner", "/s", Urgency.SOON, today + dt.timedelta(days=2)),
        TodoItem("late", "/x", Urgency.OVERDUE, today - dt.timedelta(days=1)),
    ])  # fmt: skip
    user = type("U", (), {"is_authenticated": True})()
    items = registry.todo_for(user, today=TODAY)
    assert [i.label for i in items] == ["late", "sooner", "later", "waiting"]
    assert [i.source for i in items] == ["a", "a", "b", "b"]


def test_anonymous_gets_nothing(registry):
    registry.register("a", lambda user, today: [TodoItem("x", "/", Urgency.INFO)])
    assert registry.todo_for(AnonymousUser(), today=TODAY) == []


def test_a_failing_provider_is_skipped(registry):
    def broken(user, today):
        raise RuntimeError("bug")

    registry.register("broken", broken)
    registry.register("ok", lambda user, today: [TodoItem("x", "/", Urgency.INFO)])
    user = type("U", (), {"is_authenticated": True})()
    assert [i.label for i in registry.todo_for(user, today=TODAY)] == ["x"]


@pytest.mark.django_db
def test_home_page_shows_the_items(client, django_user_model, monkeypatch):
    monkeypatch.setattr(todo, "_providers", {})
    item = TodoItem("Transmettre la délibération", "/d/", Urgency.OVERDUE, TODAY)
    todo.register("t", lambda user, today: [item])
    user = django_user_model.objects.create_user("todo.user", password="x-long-password-1")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Transmettre la délibération" in body and 'href="/d/"' in body
    monkeypatch.setattr(todo, "_providers", {})
    assert "Rien à faire pour" in client.get("/").content.decode()


def test_a_label_isolates_names_in_arabic_and_leaves_counts_alone() -> None:
    text = "%(count)d — %(title)s (%(place)s)"
    values = {"count": 3, "title": "Complexe sportif (Oued Zitoune)", "place": "وادي زيتون"}
    with translation.override("ar"):
        arabic = todo.todo_label(text, values)
    with translation.override("fr"):
        french = todo.todo_label(text, values)
    assert arabic == f"3 — {FSI}Complexe sportif (Oued Zitoune){PDI} (وادي زيتون)"
    assert french == "3 — Complexe sportif (Oued Zitoune) (وادي زيتون)".replace(
        "(وادي زيتون)", f"({FSI}وادي زيتون{PDI})"
    )

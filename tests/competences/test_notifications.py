"""The training to-do provider and the daily to-do e-mail: who gets what, once a day, only
overdue or soon items, plain text and HTML; the periodic job queues the task."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharaka.competences import digest, services
from sharaka.competences.models import DigestSent, TrainingSession
from sharaka.competences.selectors import training_todo
from sharaka.core import scheduler, todo
from sharaka.core.access import forget_grants
from sharaka.core.todo import TodoItem, Urgency
from sharaka.partnerships.models import GrantRole
from tests.competences.conftest import CompetenceWorld
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

TODAY = date(2027, 5, 10)


def _session(cw: CompetenceWorld, start: date, topic: str = "Gestion") -> TrainingSession:
    return services.session_create(
        by=cw.w.coordinator, partnership=cw.w.a, competences=[cw.management],
        fields={"topic": topic, "trainer": "CRMEF", "level_reached": 3, "start_date": start,
                "end_date": start + timedelta(days=1)},
    )  # fmt: skip


def test_sessions_within_a_week_for_the_coordinator_and_the_participants(
    cw: CompetenceWorld,
) -> None:
    soon = _session(cw, TODAY + timedelta(days=7), "Bientôt")
    _session(cw, TODAY + timedelta(days=8), "Plus tard")
    _session(cw, TODAY - timedelta(days=1), "Passée")
    services.participant_add(by=cw.w.coordinator, session=soon, person=cw.facilitator)
    participant = UserFactory(username="youssef", person=cw.facilitator)
    assert training_todo(participant, TODAY) == []  # may not read the partnership: nothing
    grant(participant, cw.w.a, GrantRole.BOARD_MEMBER)
    forget_grants(participant)
    for user in (cw.w.coordinator, participant):
        items = training_todo(user, TODAY)
        assert [i.due_on for i in items] == [soon.start_date], user
        assert "Bientôt" in items[0].label and items[0].urgency == Urgency.SOON
    # an officer reads the partnership but neither coordinates nor takes part
    for user in (cw.w.officer, cw.w.board_member, cw.w.other_officer, cw.w.outsider):
        assert training_todo(user, TODAY) == []


def test_training_todo_query_count_is_fixed(cw: CompetenceWorld) -> None:
    _session(cw, TODAY + timedelta(days=1))
    with CaptureQueriesContext(connection) as small:
        training_todo(cw.w.coordinator, TODAY)
    for day in range(2, 7):
        _session(cw, TODAY + timedelta(days=day))
    with CaptureQueriesContext(connection) as large:
        assert len(training_todo(cw.w.coordinator, TODAY)) == 6
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_provider_is_registered() -> None:
    assert "competences.training" in todo.providers()
    assert "competences.digest" in [job.name for job in scheduler.jobs()]


@pytest.fixture
def items(monkeypatch: Any) -> list[TodoItem]:
    found = [
        TodoItem("Pièce expirée", "/a/", Urgency.OVERDUE, TODAY - timedelta(days=2)),
        TodoItem("Formation bientôt", "/b/", Urgency.SOON, TODAY + timedelta(days=3)),
        TodoItem("Une candidature", "/c/", Urgency.INFO),
    ]
    todo.register("test.digest", lambda user, today: found if user.username == "ana" else [])
    yield found
    todo._providers.pop("test.digest", None)


def test_digest_once_a_day_with_overdue_and_soon_only(
    db: None, items: list[TodoItem], settings: Any
) -> None:
    settings.SHARAKA_SITE_URL = "https://sharaka.example.ma"
    ana = UserFactory(username="ana", email="ana@example.ma")
    UserFactory(username="bob", email="bob@example.ma")  # nothing to do: no e-mail
    UserFactory(username="ana2", email="")
    assert digest.digest_run(TODAY) == 1
    assert digest.digest_run(TODAY) == 0  # at most once a day
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.ma"]
    assert "2 choses à faire" in message.subject
    assert "Pièce expirée" in message.body and "Formation bientôt" in message.body
    assert "Une candidature" not in message.body
    assert "https://sharaka.example.ma/a/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and 'href="https://sharaka.example.ma/b/"' in html
    assert DigestSent.objects.get().user == ana
    assert digest.digest_run(TODAY + timedelta(days=1)) == 1


def test_a_failed_send_is_not_recorded(db: None, items: list[TodoItem], monkeypatch: Any) -> None:
    UserFactory(username="ana", email="ana@example.ma")

    def broken(self: Any, fail_silently: bool = False) -> int:
        raise OSError("no server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert digest.digest_run(TODAY) == 0
    assert not DigestSent.objects.exists()


def test_the_daily_job_queues_the_task(
    db: None, items: list[TodoItem], django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(username="ana", email="ana@example.ma")
    with django_capture_on_commit_callbacks(execute=True):
        assert "competences.digest" in scheduler.run_due()
    assert len(mail.outbox) == 1
    assert DigestSent.objects.count() == 1

"""Evaluations (continuous, mid-term, annual, final): the pure rules (schedule, closing),
the services (success, each refusal and that nothing changed), the pages per role (404 for
strangers, 403 for refused actions), fixed query counts and the to-do items."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sharaka.core.errors import AccessDenied, DomainError
from sharaka.core.todo import Urgency, todo_for
from sharaka.evaluation import evaluation_selectors, rules, services
from sharaka.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    Judgement,
    Recommendation,
    RecommendationStatus,
)
from tests.conftest import ROLES, World
from tests.evaluation.conftest import EvalWorld
from tests.planning.conftest import make_decision

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
RECORDERS = {"admin", "officer", "auditor"}
FOLLOWERS = RECORDERS | {"coordinator"}
TODAY = date(2026, 12, 7)
PDF = b"%PDF-1.4\n%%EOF\n"

# --- Pure rules -------------------------------------------------------------------------------


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 240))
def test_add_months_keeps_the_day_within_the_month(day: date, months: int) -> None:
    moved = rules.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + dt.timedelta(1)).day == 1)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 1, 1)),
    st.integers(1, 60),
    st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 1, 1))),
)
def test_next_due_is_the_first_date_of_the_schedule_after_the_last_one(
    start: date, every: int, last: date | None
) -> None:
    due = rules.next_due(start, every, last)
    assert due is not None
    assert due in rules.schedule(start, every, due)
    assert last is None or due > last
    earlier = rules.schedule(start, every, due)[:-1]
    assert all(last is not None and d <= last for d in earlier)


def test_no_frequency_no_schedule() -> None:
    assert rules.next_due(date(2025, 1, 1), 0, None) is None
    assert rules.schedule(date(2025, 1, 31), 1, date(2025, 4, 30)) == [
        date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30),
    ]  # fmt: skip


ALL = frozenset(rules.Criterion)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"started_on": None}, "started_on"),
        ({"completed_on": date(2025, 12, 31)}, "completed_on"),
        ({"judged": ALL - {rules.Criterion.IMPACT}}, "judgements"),
        ({"findings": "  "}, "findings"),
        ({"gender": ""}, "gender_answer"),
    ],
)
def test_completion_refusals(kwargs: dict[str, Any], field: str) -> None:
    base: dict[str, Any] = {
        "started_on": date(2026, 1, 1), "completed_on": date(2026, 3, 1), "judged": ALL,
        "findings": "Constats", "gender": "Réponse",
    }  # fmt: skip
    assert rules.completion_problem(**base) is None
    refusal = rules.completion_problem(**(base | kwargs))
    assert refusal is not None and refusal.field == field


# --- Services ---------------------------------------------------------------------------------


def _plan(w: World, **extra: Any) -> Evaluation:
    fields: dict[str, Any] = {
        "kind": "midterm", "title": "Évaluation à mi-parcours", "evaluator_kind": "external",
        "evaluator": "Cabinet Atlas", "planned_on": date(2026, 6, 30),
    }  # fmt: skip
    return services.evaluation_create(by=w.auditor, partnership=w.a, fields=fields | extra)


def _judge_all(w: World, evaluation: Evaluation) -> None:
    for criterion in rules.Criterion:
        services.judgement_set(
            by=w.auditor, evaluation=evaluation, criterion=criterion.value, score=3,
            justification="Parce que.",
        )  # fmt: skip


@pytest.mark.django_db
def test_an_evaluation_is_planned_started_judged_and_completed(world: World) -> None:
    terms = SimpleUploadedFile("tdr.pdf", PDF)
    evaluation = _plan(world, terms=terms)
    assert evaluation.status == EvaluationStatus.PLANNED
    assert evaluation.terms.get().original_name == "tdr.pdf"
    services.evaluation_update(
        by=world.auditor, evaluation=evaluation,
        fields={"started_on": date(2026, 7, 1), "findings": "Bon avancement",
                "gender_answer": "Les femmes représentent 40 % des adhérents."},
    )  # fmt: skip
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.ONGOING
    _judge_all(world, evaluation)
    services.judgement_set(
        by=world.auditor, evaluation=evaluation, criterion="impact", score=2, justification="x"
    )
    assert Judgement.objects.filter(evaluation=evaluation).count() == 6
    assert Judgement.objects.get(evaluation=evaluation, criterion="impact").score == 2
    services.evaluation_complete(
        by=world.auditor, evaluation=evaluation, completed_on=date(2026, 9, 1)
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.COMPLETED
    with pytest.raises(DomainError) as refused:
        services.evaluation_update(by=world.auditor, evaluation=evaluation, fields={"title": "x"})
    assert refused.value.code == "evaluation_completed"
    with pytest.raises(DomainError):
        _judge_all(world, evaluation)
    # recommendations are still added and followed up after completion
    rec = services.recommendation_add(
        by=world.auditor, evaluation=evaluation,
        fields={"text": "Ouvrir un créneau féminin", "owner": "Coordinateur",
                "due_on": date(2026, 12, 31)},
    )  # fmt: skip
    services.recommendation_update(
        by=world.coordinator, recommendation=rec,
        fields={"status": RecommendationStatus.IN_PROGRESS, "follow_up": "Créneau ouvert."},
    )  # fmt: skip
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.IN_PROGRESS and rec.follow_up == "Créneau ouvert."


@pytest.mark.django_db
def test_completion_refused_until_every_criterion_is_judged(world: World) -> None:
    evaluation = _plan(world, started_on=date(2026, 7, 1), findings="F", gender_answer="G")
    services.judgement_set(
        by=world.auditor, evaluation=evaluation, criterion="relevance", score=4, justification="j"
    )
    with pytest.raises(DomainError) as refused:
        services.evaluation_complete(
            by=world.auditor, evaluation=evaluation, completed_on=date(2026, 9, 1)
        )
    assert refused.value.field == "judgements"
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.ONGOING and evaluation.completed_on is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"criterion": "beauty", "score": 3, "justification": "j"}, "criterion"),
        ({"criterion": "impact", "score": 5, "justification": "j"}, "score"),
        ({"criterion": "impact", "score": 0, "justification": "j"}, "score"),
        ({"criterion": "impact", "score": 3, "justification": "  "}, "justification"),
    ],
)
def test_judgement_refusals_change_nothing(
    world: World, kwargs: dict[str, Any], field: str
) -> None:
    evaluation = _plan(world)
    with pytest.raises(DomainError) as refused:
        services.judgement_set(by=world.auditor, evaluation=evaluation, **kwargs)
    assert refused.value.field == field
    assert not Judgement.objects.exists()


@pytest.mark.django_db
def test_refusals_of_an_evaluation_change_nothing(world: World) -> None:
    other = make_decision(world.b, "other")
    with pytest.raises(DomainError) as refused:
        _plan(world, board_decision=other)
    assert refused.value.field == "board_decision"
    with pytest.raises(DomainError) as refused:
        _plan(world, period_start=date(2026, 1, 1), period_end=date(2025, 1, 1))
    assert refused.value.field == "period_end"
    with pytest.raises(DomainError) as refused:
        _plan(world, terms=SimpleUploadedFile("tdr.pdf", b"not a pdf"))
    assert refused.value.field == "terms"
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_the_board_decision_of_the_partnership_is_recorded(world: World) -> None:
    decision = make_decision(world.a, "other", title="Prise d'acte de l'évaluation")
    evaluation = _plan(world, board_decision=decision)
    assert Evaluation.objects.get(pk=evaluation.pk).board_decision == decision


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer"])
def test_only_the_evaluator_or_the_officer_records(world: World, role: str) -> None:
    with pytest.raises(AccessDenied):
        services.evaluation_create(
            by=world.user(role), partnership=world.a,
            fields={"kind": "annual", "title": "x", "planned_on": date(2026, 1, 1)},
        )  # fmt: skip
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_terminated_partnership_is_read_only(world: World) -> None:
    evaluation = _plan(world)
    world.a.status = "terminated"
    world.a.save()
    with pytest.raises(AccessDenied):
        services.evaluation_update(by=world.auditor, evaluation=evaluation, fields={"title": "x"})


# --- Pages ------------------------------------------------------------------------------------


@pytest.fixture
def evaluated(world: World) -> tuple[World, Evaluation, Recommendation]:
    evaluation = _plan(world, terms=SimpleUploadedFile("tdr.pdf", PDF))
    rec = services.recommendation_add(
        by=world.auditor, evaluation=evaluation,
        fields={"text": "Ouvrir un créneau féminin", "owner": "Coordinateur",
                "due_on": date(2026, 1, 31)},
    )  # fmt: skip
    return world, evaluation, rec


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(evaluated: Any, client_for: Any, role: str | None) -> None:
    w, evaluation, rec = evaluated
    slug = w.a.slug
    read = [
        reverse("evaluation:evaluations", args=[slug]),
        reverse("evaluation:evaluation", args=[slug, evaluation.pk]),
        reverse("evaluation:terms", args=[slug, evaluation.pk, evaluation.terms.get().pk]),
    ]
    record = [
        reverse("evaluation:evaluation_create", args=[slug]),
        reverse("evaluation:evaluation_edit", args=[slug, evaluation.pk]),
        reverse("evaluation:evaluation_complete", args=[slug, evaluation.pk]),
        reverse("evaluation:judgement_set", args=[slug, evaluation.pk, "impact"]),
        reverse("evaluation:recommendation_add", args=[slug, evaluation.pk]),
    ]
    follow = [reverse("evaluation:recommendation_edit", args=[slug, rec.pk])]
    client = client_for(role)
    for url in read + record + follow:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302, url
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif (url in record and role not in RECORDERS) or (url in follow and role not in FOLLOWERS):
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.django_db
def test_stranger_partnership_answers_404(evaluated: Any, client_for: Any) -> None:
    w, evaluation, _rec = evaluated
    url = reverse("evaluation:evaluation", args=[w.b.slug, evaluation.pk])
    assert client_for("admin").get(url).status_code == 404
    url = reverse("evaluation:judgement_set", args=[w.a.slug, evaluation.pk, "beauty"])
    assert client_for("auditor").get(url).status_code == 404


@pytest.mark.django_db
def test_the_evaluator_judges_through_the_form(evaluated: Any, client_for: Any) -> None:
    w, evaluation, _rec = evaluated
    url = reverse("evaluation:judgement_set", args=[w.a.slug, evaluation.pk, "efficiency"])
    response = client_for("auditor").post(url, {"score": "4", "justification": "Coûts tenus"})
    assert response.status_code == 302
    page = client_for("board_member").get(
        reverse("evaluation:evaluation", args=[w.a.slug, evaluation.pk])
    )
    text = page.content.decode()
    assert "Coûts tenus" in text and "4/4" in text and "Efficience" in text
    assert "en retard" in text  # the recommendation due 31/01/2026


@pytest.mark.django_db
def test_the_complete_form_names_what_is_missing(evaluated: Any, client_for: Any) -> None:
    w, evaluation, _rec = evaluated
    services.evaluation_update(
        by=w.auditor, evaluation=evaluation, fields={"started_on": date(2026, 7, 1)}
    )
    url = reverse("evaluation:evaluation_complete", args=[w.a.slug, evaluation.pk])
    response = client_for("auditor").post(url, {"completed_on": "2026-09-01"})
    assert response.status_code == 200
    assert "Jugez chacun des six critères" in response.content.decode()


def _many(w: World, n: int) -> None:
    for i in range(n):
        evaluation = _plan(w, title=f"E{i}", planned_on=date(2025, 1, 1) + dt.timedelta(i))
        for k in range(3):
            services.recommendation_add(
                by=w.auditor, evaluation=evaluation,
                fields={"text": f"R{k}", "owner": "X", "due_on": date(2026, 1, 1)},
            )  # fmt: skip
        _judge_all(w, evaluation)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_pages_keep_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any, n: int
) -> None:
    _many(world, n)
    evaluation = Evaluation.objects.order_by("pk").first()
    assert evaluation is not None
    with django_assert_max_num_queries(6):
        view = evaluation_selectors.evaluations_view_get(partnership=world.a, today=TODAY)
        assert len(view.rows) == n
    with django_assert_max_num_queries(4):
        detail = evaluation_selectors.evaluation_view_get(
            partnership=world.a, pk=evaluation.pk, today=TODAY
        )
        assert len(detail.recommendations) == 3


# --- To-do ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_todo_lists_due_evaluations_and_overdue_recommendations(evaluated: Any) -> None:
    w, evaluation, rec = evaluated
    items = [i for i in todo_for(w.coordinator, today=TODAY) if i.source == "evaluation"]
    labels = [i.label for i in items]
    assert any("Évaluation à commencer" in label for label in labels)
    assert any("Recommandation en retard" in label for label in labels)
    assert all(i.urgency == Urgency.OVERDUE for i in items)
    assert not [i for i in todo_for(w.board_member, today=TODAY) if i.source == "evaluation"]
    assert not [i for i in todo_for(w.other_officer, today=TODAY) if i.source == "evaluation"]
    # started and done: nothing left
    services.evaluation_update(
        by=w.auditor, evaluation=evaluation, fields={"started_on": date(2026, 7, 1)}
    )
    services.recommendation_update(by=w.coordinator, recommendation=rec, fields={"status": "done"})
    assert not [i for i in todo_for(w.coordinator, today=TODAY) if i.source == "evaluation"]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_todo_provider_keeps_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any, n: int
) -> None:
    _many(world, n)
    user = world.coordinator
    with django_assert_num_queries(3):
        items = evaluation_selectors.todo_items(user, TODAY)
    assert len(items) == n + min(3 * n, evaluation_selectors.TODO_LIMIT)


# --- Annual report ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_annual_report_pdf_per_language(evaluated: Any, client_for: Any, lang: str) -> None:
    w, _evaluation, _rec = evaluated
    url = reverse("evaluation:annual_report", args=[w.a.slug, 2026, lang])
    response = client_for("board_member").get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert client_for("outsider").get(url).status_code == 404
    assert (
        client_for("admin")
        .get(reverse("evaluation:annual_report", args=[w.a.slug, 2026, "de"]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_annual_report_content(evaluated: Any) -> None:
    from sharaka.evaluation import report

    w, _evaluation, _rec = evaluated
    html = report.render_html(report.report_get(partnership=w.a, year=2026, lang="fr"))
    assert "Rapport annuel d'évaluation 2026" in html
    assert "Évaluation à mi-parcours" in html and "Ouvrir un créneau féminin" in html
    assert "(en retard)" in html
    html_ar = report.render_html(report.report_get(partnership=w.a, year=2026, lang="ar"))
    assert 'dir="rtl"' in html_ar


@pytest.mark.django_db
def test_annual_report_keeps_a_fixed_number_of_queries(ew: EvalWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sharaka.evaluation import report

    def queries() -> int:
        with CaptureQueriesContext(connection) as counted:
            report.render_html(report.report_get(partnership=ew.w.a, year=2025, lang="fr"))
        return len(counted.captured_queries)

    _many(ew.w, 1)
    ew.measure(ew.count, "110")
    small = queries()
    _many(ew.w, 5)
    for quarter in ((date(2025, 4, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 9, 30))):
        for indicator in (ew.count, ew.energy, ew.share):
            ew.measure(indicator, "50", period=quarter)
    assert queries() == small

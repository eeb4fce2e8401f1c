"""The public summary on the portal's partnership page (issue 16): board with the women's
share, published decisions, convention in force (PDF), plan and execution (SVG chart and
table), indicators, grants, the communication plan's public actions; a fixed number of
queries at two data sizes; nothing of a partnership that is not public."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharaka.evaluation.models import Evaluation, Judgement
from sharaka.meetings.models import Meeting
from sharaka.opendata.portal import public_summary_get
from sharaka.partnerships.models import Partnership
from sharaka.transparency.models import CommunicationAction, PublicationRecord
from tests.opendata.conftest import PRIVATE, PUBLIC
from tests.planning.conftest import make_decision

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_public_summary_in_three_languages(demo: None) -> None:
    partnership = Partnership.objects.get(slug=PUBLIC)
    summary = public_summary_get(partnership=partnership)
    assert summary.members and summary.women_pct is not None
    assert summary.decisions and summary.convention is not None and summary.execution
    public = CommunicationAction.objects.filter(partnership=partnership, public=True)
    hidden = CommunicationAction.objects.filter(partnership=partnership, public=False)
    client = Client()
    for language in ("fr", "ar", "en"):
        response = client.get(f"/portail/{PUBLIC}/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('id="board-title"') == 1 and "budget-chart" in html
        assert summary.decisions[0].number in html
        assert f"/portail/{PUBLIC}/convention.pdf" in html
        for action in public.exclude(status="cancelled"):
            assert f'id="communication-{action.pk}"' in html
        for action in hidden:
            assert f'id="communication-{action.pk}"' not in html
    assert "membres en fonction, dont" in client.get(f"/portail/{PUBLIC}/").content.decode()


def test_a_cancelled_or_non_public_action_stays_off_the_portal(demo: None) -> None:
    action = CommunicationAction.objects.filter(partnership__slug=PUBLIC, public=True).first()
    assert action is not None
    CommunicationAction.objects.filter(pk=action.pk).update(status="cancelled")
    html = Client().get(f"/portail/{PUBLIC}/").content.decode()
    assert f'id="communication-{action.pk}"' not in html


def test_the_summary_runs_in_fixed_queries_at_two_sizes(demo: None) -> None:
    partnership = Partnership.objects.get(slug=PUBLIC)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            public_summary_get(partnership=partnership)
        return len(queries)

    small = count()
    today = timezone.localdate()
    for n in range(6):
        decision = make_decision(partnership, "other", on=date(2026, 1, 1) + timedelta(days=n))
        Meeting.objects.filter(pk=decision.meeting_id).update(status="published")
        CommunicationAction.objects.create(
            partnership=partnership, audience="residents", channel="website", public=True,
            message=f"Annonce {n}", planned_on=today + timedelta(days=n),
        )  # fmt: skip
        evaluation = Evaluation.objects.create(
            partnership=partnership, kind="annual", title=f"Évaluation annuelle {n}",
            planned_on=date(2026, 1, 1), completed_on=date(2026, 2, 1), status="completed",
            board_decision=decision,
        )  # fmt: skip
        Judgement.objects.create(evaluation=evaluation, criterion="relevance", score=3)
        PublicationRecord.objects.create(
            partnership=partnership, item="evaluations", published_on=date(2026, 1, 1 + n),
            channel="website", place="Site de la commune", url=f"https://example.org/{n}",
        )  # fmt: skip
    assert count() == small == 18
    html = Client().get(f"/portail/{PUBLIC}/").content.decode()
    assert "Évaluation annuelle 5" in html and "3/4" in html


def test_the_convention_in_force_as_a_pdf_and_nothing_private(demo: None) -> None:
    client = Client()
    response = client.get(f"/portail/{PUBLIC}/convention.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for path in (f"/portail/{PRIVATE}/", f"/portail/{PRIVATE}/convention.pdf",
                 "/portail/nulle-part/convention.pdf"):  # fmt: skip
        assert client.get(path).status_code == 404


def test_a_public_partnership_without_convention_has_no_pdf(world: object) -> None:
    Partnership.objects.filter(slug="partenariat-a").update(status="active")
    client = Client()
    assert client.get("/portail/partenariat-a/convention.pdf").status_code == 404
    html = client.get("/portail/partenariat-a/").content.decode()
    assert "Aucune convention en vigueur" in html and "Aucune décision publiée" in html

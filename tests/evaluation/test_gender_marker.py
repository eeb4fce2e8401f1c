"""The OECD DAC gender equality marker of a partnership (0, 1, 2): set by whoever changes
the results framework, shown on the monitoring page, refused out of range, history kept.
(Access per role on its page: ``test_views.test_access_per_role_on_every_route``.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sharaka.core.errors import AccessDenied, DomainError
from sharaka.evaluation import services
from sharaka.evaluation.models import GenderMarker
from tests.evaluation.conftest import EvalWorld

pytestmark = pytest.mark.django_db


def test_the_coordinator_scores_and_the_board_reads(ew: EvalWorld, client_for: Any) -> None:
    slug = ew.w.a.slug
    overview = reverse("evaluation:overview", args=[slug])
    assert "non évalué" in client_for("board_member").get(overview).content.decode()
    response = client_for("coordinator").post(
        reverse("evaluation:gender_marker", args=[slug]),
        {"significance": "2", "justification": "Insertion des jeunes femmes."},
    )
    assert response.status_code == 302
    page = client_for("board_member").get(overview).content.decode()
    assert "2 — objectif principal" in page and "Insertion des jeunes femmes." in page
    assert reverse("evaluation:gender_marker", args=[slug]) not in page  # no change link
    services.gender_marker_set(by=ew.w.coordinator, partnership=ew.w.a, fields={"significance": 1})
    marker = GenderMarker.objects.get(partnership=ew.w.a)
    assert marker.significance == 1 and marker.history.count() == 2


def test_a_score_out_of_range_is_refused_on_its_field(ew: EvalWorld, client_for: Any) -> None:
    response = client_for("coordinator").post(
        reverse("evaluation:gender_marker", args=[ew.w.a.slug]), {"significance": "3"}
    )
    assert response.status_code == 200
    assert "significance" in response.context["form"].errors
    with pytest.raises(DomainError) as refused:
        services.gender_marker_set(
            by=ew.w.coordinator, partnership=ew.w.a, fields={"significance": 7}
        )
    assert "significance" in getattr(refused.value, "errors", {})
    assert not GenderMarker.objects.exists()


def test_a_board_member_may_not_score(ew: EvalWorld) -> None:
    with pytest.raises(AccessDenied):
        services.gender_marker_set(
            by=ew.w.user("board_member"), partnership=ew.w.a, fields={"significance": 0}
        )
    assert not GenderMarker.objects.exists()

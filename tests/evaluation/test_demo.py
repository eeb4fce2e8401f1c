"""The demo results frameworks: loaded with the whole demo, idempotent, showing every
status in ``complexe-sportif`` and jobs behind target in ``programme-emploi-jeunes``."""

from __future__ import annotations

import pytest

from sharaka import demo
from sharaka.evaluation import demo as evaluation_demo
from sharaka.evaluation import selectors
from sharaka.evaluation.models import Constraint, Indicator, Measurement, MeasurementStatus
from sharaka.evaluation.rules import Status
from sharaka.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def _statuses(slug: str) -> dict[str, str]:
    partnership = Partnership.objects.get(slug=slug)
    view = selectors.monitoring_view_get(partnership=partnership, filters={}, rtl=False)
    return {row.indicator.title: row.status for block in view.blocks for row in block.rows}


def test_demo_frameworks() -> None:
    demo.load_demo()
    sport = _statuses("complexe-sportif")
    assert len(sport) == 8 and set(sport.values()) == {s.value for s in Status}
    assert (
        Indicator.objects.filter(result__partnership__slug="complexe-sportif", by_sex=True).count()
        == 1
    )
    energy = Indicator.objects.get(title__startswith="Consommation d'énergie")
    assert energy.direction == "descending" and energy.activities.exists()
    assert Measurement.objects.filter(status=MeasurementStatus.SUPERSEDED).count() == 1
    jobs = _statuses("programme-emploi-jeunes")
    assert jobs["Jeunes placés en emploi"] == Status.OFF_TRACK
    placed = Measurement.objects.get(indicator__title="Jeunes placés en emploi")
    assert placed.women is not None and placed.men is not None

    assert Constraint.objects.filter(partnership__slug="complexe-sportif", year=2026).count() == 2
    before = Measurement.objects.count()
    evaluation_demo.load(
        demo.DemoContext(
            organizations={}, people={},
            partnerships={p.slug: p for p in Partnership.objects.all()},
            users={},
        )
    )  # fmt: skip
    assert Measurement.objects.count() == before
    assert Constraint.objects.count() == 2

"""Fixtures of the evaluation tests: partnership A with a result and indicators of every
kind, each with two yearly targets (2025, 2026) from a baseline on 2025-01-01."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sharaka.evaluation import services
from sharaka.evaluation.models import Indicator, Measurement, Result
from tests.conftest import World
from tests.planning.conftest import pw  # noqa: F401 (the plan fixture, shared)

Y1 = (date(2025, 1, 1), date(2025, 12, 31))
Y2 = (date(2026, 1, 1), date(2026, 12, 31))


@dataclass
class EvalWorld:
    w: World
    result: Result
    count: Indicator  # unit, ascending, 100 -> 200 by end 2026
    share: Indicator  # percentage
    quality: Indicator  # qualitative
    jobs: Indicator  # unit, by sex
    energy: Indicator  # unit, descending

    def measure(
        self,
        indicator: Indicator,
        value: str | None,
        period: tuple[date, date] = (date(2025, 1, 1), date(2025, 3, 31)),
        **extra: Any,
    ) -> Measurement:
        fields: dict[str, Any] = {
            "period_start": period[0],
            "period_end": period[1],
            "measured_on": period[1],
            "value": None if value is None else Decimal(value),
            "source": "Registre",
        }
        fields.update(extra)
        return services.measurement_enter(by=self.w.coordinator, indicator=indicator, fields=fields)


def make_indicator(
    w: World,
    result: Result,
    title: str,
    measure: str,
    baseline: str | None,
    targets: tuple[str, str],
    **extra: Any,
) -> Indicator:
    fields: dict[str, Any] = {
        "title": title,
        "measure": measure,
        "baseline_value": None if baseline is None else Decimal(baseline),
        "baseline_date": date(2025, 1, 1),
    }
    fields.update(extra)
    indicator = services.indicator_create(by=w.coordinator, result=result, fields=fields)
    for period, value in zip((Y1, Y2), targets, strict=True):
        target: dict[str, Any] = {"period_start": period[0], "period_end": period[1]}
        if measure == "qualitative":
            target["text"] = value
        else:
            target["value"] = Decimal(value)
        services.target_set(by=w.coordinator, indicator=indicator, fields=target)
    return indicator


@pytest.fixture
def ew(world: World) -> EvalWorld:
    result = services.result_create(
        by=world.coordinator, partnership=world.a,
        fields={"kind": "outcome", "title": "Plus de jeunes pratiquent un sport",
                "title_ar": "المزيد من الشباب يمارسون الرياضة"},
    )  # fmt: skip
    return EvalWorld(
        w=world,
        result=result,
        count=make_indicator(world, result, "Inscrits", "unit", "100", ("150", "200"),
                             unit_label="inscrits"),
        share=make_indicator(world, result, "Taux d'occupation", "percentage", "40", ("60", "80")),
        quality=make_indicator(world, result, "Satisfaction", "qualitative", None,
                               ("Bonne", "Très bonne")),
        jobs=make_indicator(world, result, "Emplois", "unit", "0", ("50", "100"), by_sex=True),
        energy=make_indicator(world, result, "Énergie", "unit", "1000", ("900", "800"),
                              direction="descending", unit_label="MWh"),
    )  # fmt: skip

"""Two people acting on one measurement at the same moment: the measurement's row lock makes
one of them win and the other get the refusal a later click would get."""

from __future__ import annotations

import pytest

from sharaka.evaluation import services
from sharaka.evaluation.models import Measurement, MeasurementStatus
from tests.evaluation.conftest import EvalWorld
from tests.race import postgresql_only, race


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_validators_at_once_validate_once(ew: EvalWorld) -> None:
    row = ew.measure(ew.count, "110")
    outcomes = race(
        lambda: services.measurement_validate(by=ew.w.auditor, measurement=row),
        lambda: services.measurement_validate(by=ew.w.officer, measurement=row),
    )
    assert sorted(outcomes) == ["measurement_not_entered", "ok"]
    row.refresh_from_db()
    assert row.status == MeasurementStatus.VALIDATED
    winner = ew.w.auditor if outcomes[0] == "ok" else ew.w.officer
    assert row.validated_by == winner


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_corrections_at_once_make_one_new_measurement(ew: EvalWorld) -> None:
    row = ew.measure(ew.count, "110")
    services.measurement_validate(by=ew.w.auditor, measurement=row)
    fields = {
        "period_start": row.period_start, "period_end": row.period_end,
        "measured_on": row.measured_on, "value": 112, "source": "Registre corrigé",
    }  # fmt: skip
    outcomes = race(
        lambda: services.measurement_correct(by=ew.w.coordinator, measurement=row, fields=fields),
        lambda: services.measurement_correct(by=ew.w.officer, measurement=row, fields=fields),
    )
    assert sorted(outcomes) == ["measurement_already_corrected", "ok"]
    assert Measurement.objects.filter(indicator=ew.count).count() == 2
    assert Measurement.objects.get(pk=row.pk).status == MeasurementStatus.SUPERSEDED

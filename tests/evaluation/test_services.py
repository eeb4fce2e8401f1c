"""Results framework writes: refusals naming their field with nothing written, the
measurement lifecycle (entered, validated, corrected), append-only validated rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.core.errors import AccessDenied, DomainError, NotFound
from sharaka.core.immutable import ImmutableError
from sharaka.evaluation import services
from sharaka.evaluation.models import Measurement, MeasurementEvidence, MeasurementStatus, Target
from tests.evaluation.conftest import EvalWorld
from tests.planning.conftest import PlanWorld

pytestmark = pytest.mark.django_db
Q1 = (date(2025, 1, 1), date(2025, 3, 31))


def _refused(ew: EvalWorld, field: str, indicator: Any, value: str | None, **extra: Any) -> None:
    before = Measurement.objects.count()
    with pytest.raises(DomainError) as caught:
        ew.measure(indicator, value, **extra)
    assert caught.value.field == field, caught.value.message
    assert Measurement.objects.count() == before


def test_measurement_outside_the_periods_is_refused(ew: EvalWorld) -> None:
    _refused(ew, "period_start", ew.count, "120", period=(date(2024, 10, 1), date(2024, 12, 31)))
    _refused(ew, "period_start", ew.count, "120", period=(date(2027, 1, 1), date(2027, 3, 31)))
    # across two target periods: not within one
    _refused(ew, "period_start", ew.count, "120", period=(date(2025, 12, 1), date(2026, 1, 31)))
    _refused(ew, "period_end", ew.count, "120", period=(date(2025, 3, 1), date(2025, 2, 1)))


def test_percentage_above_100_is_refused(ew: EvalWorld) -> None:
    _refused(ew, "value", ew.share, "100.5")
    assert ew.measure(ew.share, "100").value == Decimal(100)


def test_parts_must_sum_to_the_total(ew: EvalWorld) -> None:
    _refused(ew, "men", ew.jobs, "30", women=Decimal(10), men=Decimal(15))
    _refused(ew, "men", ew.jobs, "30", women=Decimal(10))
    _refused(ew, "women", ew.count, "30", women=Decimal(10), men=Decimal(20))
    row = ew.measure(ew.jobs, "30", women=Decimal(12), men=Decimal(18))
    assert (row.women, row.men) == (Decimal(12), Decimal(18))


def test_qualitative_and_numeric_indicators_take_their_own_kind(ew: EvalWorld) -> None:
    _refused(ew, "value", ew.quality, "3", text="Bonne")
    _refused(ew, "text", ew.quality, None)
    _refused(ew, "text", ew.count, "120", text="beaucoup")
    _refused(ew, "value", ew.count, None)
    _refused(ew, "value", ew.count, "-1")
    assert ew.measure(ew.quality, None, text="Bonne ambiance").text == "Bonne ambiance"


def test_targets_are_checked(ew: EvalWorld) -> None:
    def target(indicator: Any, field: str, **fields: Any) -> None:
        before = Target.objects.count()
        data = {"period_start": date(2027, 1, 1), "period_end": date(2027, 12, 31)} | fields
        with pytest.raises(DomainError) as caught:
            services.target_set(by=ew.w.coordinator, indicator=indicator, fields=data)
        assert caught.value.field == field
        assert Target.objects.count() == before

    target(ew.count, "value", value=Decimal(90))  # below an ascending baseline
    target(ew.energy, "value", value=Decimal(1100))  # above a descending baseline
    target(ew.share, "value", value=Decimal(101))
    target(ew.count, "period_start", value=Decimal(250), period_start=date(2026, 6, 1))
    target(ew.count, "period_end", value=Decimal(250), period_end=date(2024, 12, 31),
           period_start=date(2024, 1, 1))  # fmt: skip


def test_baseline_change_that_breaks_a_target_is_refused(ew: EvalWorld) -> None:
    with pytest.raises(DomainError) as caught:
        services.indicator_update(
            by=ew.w.coordinator, indicator=ew.count, fields={"baseline_value": Decimal(500)}
        )
    assert caught.value.field == "baseline_value"
    ew.count.refresh_from_db()
    assert ew.count.baseline_value == Decimal(100)


def test_activities_are_scoped_to_the_partnership(ew: EvalWorld, pw: PlanWorld) -> None:
    activity = pw.activity()
    services.indicator_update(
        by=ew.w.coordinator, indicator=ew.count, fields={"activities": [activity]}
    )
    assert list(ew.count.activities.all()) == [activity]
    result_b = services.result_create(
        by=ew.w.admin, partnership=ew.w.b, fields={"kind": "output", "title": "B"}
    )
    with pytest.raises(DomainError) as caught:
        services.indicator_create(
            by=ew.w.admin, result=result_b,
            fields={"title": "x", "measure": "unit", "baseline_value": Decimal(0),
                    "baseline_date": date(2025, 1, 1), "activities": [activity]},
        )  # fmt: skip
    assert caught.value.field == "activities"
    assert not result_b.indicators.exists()


def test_lifecycle_validate_then_correct(ew: EvalWorld) -> None:
    row = ew.measure(ew.count, "110", period=Q1)
    with pytest.raises(DomainError):  # who entered does not validate
        services.measurement_validate(by=ew.w.coordinator, measurement=row)
    with pytest.raises(AccessDenied):
        services.measurement_validate(by=ew.w.board_member, measurement=row)
    services.measurement_validate(by=ew.w.auditor, measurement=row)
    row.refresh_from_db()
    assert row.status == MeasurementStatus.VALIDATED and row.validated_by == ew.w.auditor
    # a validated measurement never changes
    row.value = Decimal(111)
    with pytest.raises(ImmutableError):
        row.save()
    with pytest.raises(ImmutableError):
        Measurement.objects.filter(pk=row.pk).delete()
    # a correction is a new record pointing to the old one, which is superseded
    new = services.measurement_correct(
        by=ew.w.coordinator, measurement=row,
        fields={"period_start": Q1[0], "period_end": Q1[1], "measured_on": Q1[1],
                "value": Decimal(112), "source": "Registre corrigé"},
    )  # fmt: skip
    row.refresh_from_db()
    assert row.status == MeasurementStatus.SUPERSEDED and row.value == Decimal(110)
    assert new.corrects == row and new.status == MeasurementStatus.ENTERED
    with pytest.raises(DomainError):
        services.measurement_correct(
            by=ew.w.coordinator, measurement=row,
            fields={"period_start": Q1[0], "period_end": Q1[1], "measured_on": Q1[1],
                    "value": Decimal(113), "source": "x"},
        )  # fmt: skip
    with pytest.raises(DomainError):
        services.measurement_validate(by=ew.w.auditor, measurement=row)


def test_a_refused_correction_leaves_the_old_one_current(ew: EvalWorld) -> None:
    row = ew.measure(ew.share, "50", period=Q1)
    services.measurement_validate(by=ew.w.auditor, measurement=row)
    with pytest.raises(DomainError):
        services.measurement_correct(
            by=ew.w.coordinator, measurement=row,
            fields={"period_start": Q1[0], "period_end": Q1[1], "measured_on": Q1[1],
                    "value": Decimal(150), "source": "x"},
        )  # fmt: skip
    row.refresh_from_db()
    assert row.status == MeasurementStatus.VALIDATED
    assert Measurement.objects.count() == 1


def test_evidence_is_checked(ew: EvalWorld) -> None:
    bad = SimpleUploadedFile("preuve.pdf", b"not a pdf")
    _refused(ew, "evidence", ew.count, "120", evidence=bad)
    assert not MeasurementEvidence.objects.exists()
    good = SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n%%EOF\n")
    row = ew.measure(ew.count, "120", evidence=good)
    assert row.evidence.get().original_name == "preuve.pdf"


def test_strangers_and_readers_cannot_write(ew: EvalWorld) -> None:
    with pytest.raises(NotFound):
        services.result_create(by=ew.w.outsider, partnership=ew.w.a, fields={"title": "x"})
    with pytest.raises(AccessDenied):
        services.result_create(by=ew.w.auditor, partnership=ew.w.a, fields={"title": "x"})
    with pytest.raises(AccessDenied):
        services.measurement_enter(by=ew.w.treasurer, indicator=ew.count, fields={})

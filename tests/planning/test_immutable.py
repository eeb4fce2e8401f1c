"""An adopted plan never changes (``core.immutable``): the version, its objectives,
activities, budget lines and amounts refuse every change, through ``save()``, ``delete()``
and querysets, with the code ``plan_version_frozen`` — but the version in force moves on to
"superseded", and its activities' execution is tracked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sharaka.planning import services
from sharaka.planning.models import Activity, BudgetAmount, BudgetLine, Objective, PlanVersion
from tests.frozen import assert_frozen, refused
from tests.planning.conftest import PlanWorld

pytestmark = pytest.mark.django_db

CODE = "plan_version_frozen"


@pytest.fixture
def adopted(pw: PlanWorld) -> tuple[PlanWorld, Activity]:
    activity = pw.activity()
    pw.line(activity)
    pw.adopt()
    return pw, Activity.objects.get(pk=activity.pk)


def test_an_adopted_plan_and_its_parts_refuse_every_change(
    adopted: tuple[PlanWorld, Activity],
) -> None:
    pw, activity = adopted
    assert_frozen(PlanVersion.objects.get(pk=pw.version.pk), CODE, note="Réécrite")
    assert_frozen(Objective.objects.get(pk=pw.objective.pk), CODE, title="Réécrit")
    assert_frozen(activity, CODE, title="Réécrite")
    line = BudgetLine.objects.get(activity=activity)
    assert_frozen(line, CODE, label="Réécrite")
    assert_frozen(BudgetAmount.objects.get(line=line), CODE, amount=Decimal(1))
    refused(lambda: BudgetAmount.objects.create(line=line, year=2026, amount=1), CODE)
    refused(lambda: Objective.objects.create(version=pw.version, title="Nouveau"), CODE)


def test_execution_is_tracked_on_the_version_in_force_only(
    adopted: tuple[PlanWorld, Activity],
) -> None:
    pw, activity = adopted
    activity.status, activity.progress = "in_progress", 40
    activity.save()  # tracking: status and progress only
    assert Activity.objects.filter(pk=activity.pk).update(progress=50) == 1
    activity.refresh_from_db()
    activity.progress, activity.title = 60, "Réécrite"
    refused(activity.save, CODE)  # tracking does not carry another change
    draft = services.plan_version_revise(by=pw.w.coordinator, version=pw.version)
    pw.adopt(draft, on=date(2025, 9, 1))
    old = PlanVersion.objects.get(pk=pw.version.pk)
    assert old.status == "superseded" and old.superseded_on == date(2025, 9, 1)
    assert_frozen(old, CODE, status="adopted")
    superseded = Activity.objects.get(pk=activity.pk)
    assert superseded.progress == 50
    assert_frozen(superseded, CODE, progress=100)


def test_a_version_in_force_only_moves_to_superseded(adopted: tuple[PlanWorld, Activity]) -> None:
    pw, _activity = adopted
    version = PlanVersion.objects.get(pk=pw.version.pk)
    version.status = "draft"
    refused(version.save, CODE)
    version.status, version.superseded_on, version.note = "superseded", date(2025, 9, 1), "x"
    refused(version.save, CODE)  # the move carries nothing else


def test_a_draft_changes_and_is_deleted_freely(pw: PlanWorld) -> None:
    activity = pw.activity()
    line = pw.line(activity)
    activity.title = "Renommée"
    activity.save()
    assert BudgetAmount.objects.filter(line=line).update(amount=Decimal(7)) == 1
    BudgetAmount.objects.filter(line=line).delete()
    line.delete()
    activity.delete()
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_a_part_neither_leaves_nor_joins_an_adopted_version(
    adopted: tuple[PlanWorld, Activity],
) -> None:
    pw, activity = adopted
    draft = services.plan_version_revise(by=pw.w.coordinator, version=pw.version)
    copy = Activity.objects.get(version=draft, code=activity.code)
    copy.title = "Brouillon"
    copy.save()  # the revision is a draft
    copy.version = pw.version
    refused(copy.save, CODE)  # joining the version in force
    activity.version = draft
    refused(activity.save, CODE)  # leaving it
    assert Activity.objects.filter(version=pw.version).count() == 1

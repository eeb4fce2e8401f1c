"""Fixtures of the audit tests: finance's partnership A with its adopted plan (``fw``), and
the same with a convention in force and the audit plan generated (``aw``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from sharaka.audit import plans
from sharaka.audit.models import Audit, AuditKind
from sharaka.conventions import services as convention_services
from tests.conftest import World
from tests.conventions.conftest import put_in_force, sign
from tests.finance.conftest import FinWorld, fw, receipt  # noqa: F401
from tests.planning.conftest import pw  # noqa: F401


@dataclass
class AuditWorld:
    fw: FinWorld

    @property
    def w(self) -> World:
        return self.fw.w

    def audit(self, kind: str = AuditKind.FINANCIAL, year: int = 2025) -> Audit:
        return Audit.objects.get(partnership=self.w.a, kind=kind, period_start=date(year, 1, 1))


@pytest.fixture
def aw(fw: FinWorld) -> AuditWorld:  # noqa: F811
    w = fw.w
    w.a.start_date, w.a.end_date = date(2025, 1, 1), date(2027, 12, 31)
    w.a.save(update_fields=["start_date", "end_date"])
    convention = convention_services.convention_create(by=w.officer, partnership=w.a)
    version = convention.versions.get(number=0)
    sign(w, version)
    put_in_force(w.officer, version)
    plans.plan_generate(by=w.coordinator, partnership=w.a, today=date(2026, 1, 15))
    return AuditWorld(fw)

"""Fixtures of the closure tests: partnership A active, with an association partner, a
convention in force (catalogue defaults: 3 years from 1 January 2025, notice of 180 days),
an asset, a staff assignment, contributions partly received, approved expenses and a board
decision to cite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.closure import services
from sharaka.closure.models import Termination, WindDownItem
from sharaka.conventions import services as convention_services
from sharaka.finance.models import Contribution
from sharaka.meetings.models import Decision
from sharaka.structure import services as structure_services
from tests.conventions.conftest import put_in_force, sign
from tests.factories import PersonFactory
from tests.finance.conftest import FinWorld, fw  # noqa: F401
from tests.planning.conftest import make_decision, pw  # noqa: F401

PDF = b"%PDF-1.4\n%closure\n"


def pdf(name: str = "piece.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class ClosureWorld:
    fw: FinWorld
    decision: Decision
    association: Any

    @property
    def w(self) -> Any:
        return self.fw.w

    @property
    def a(self) -> Any:
        return self.fw.w.a

    def start(self, **extra: Any) -> Termination:
        fields: dict[str, Any] = {
            "ground": "notice", "notice_on": date(2026, 1, 15), "reason": "Retrait du partenaire",
            "decision": self.decision, "party": self.association,
        } | extra  # fmt: skip
        return services.termination_start(by=self.w.officer, partnership=self.a, **fields)

    def items(self) -> list[WindDownItem]:
        return list(WindDownItem.objects.filter(partnership=self.a).order_by("position"))

    def close_all(self) -> None:
        for item in self.items():
            if item.kind == "final_accounts":
                continue
            disposition = item.spec.dispositions[0][0] if item.spec.dispositions else ""
            services.item_update(
                by=self.w.coordinator, item=item,
                fields={"status": "done", "disposition": disposition},
            )  # fmt: skip


@pytest.fixture
def cw(fw: FinWorld) -> ClosureWorld:  # noqa: F811
    world = fw.w
    association = fw.pw.association
    convention = convention_services.convention_create(by=world.officer, partnership=world.a)
    version = convention.versions.get(number=0)
    sign(world, version)
    put_in_force(world.officer, version)
    structure = structure_services.structure_set(
        by=world.coordinator, partnership=world.a, fields={"kind": "project_team"}
    )
    structure_services.staff_add(
        by=world.coordinator, structure=structure,
        fields={"person": PersonFactory(), "role": "team_member",
                "origin_organization": world.a.lead_authority, "time_share": Decimal(100),
                "start_date": date(2025, 1, 1)},
    )  # fmt: skip
    structure_services.asset_create(
        by=world.coordinator, partnership=world.a,
        fields={"kind": "premises", "name": "Base nautique", "owner": world.a.lead_authority,
                "provided_by": world.a.lead_authority, "value": Decimal("250000")},
    )  # fmt: skip
    Contribution.objects.create(
        partnership=world.a, organization=world.a.lead_authority, year=2025, kind="cash",
        pledged=Decimal("3000.00"), received=Decimal("3000.00"),
    )  # fmt: skip
    Contribution.objects.create(
        partnership=world.a, organization=association, year=2025, kind="cash",
        pledged=Decimal("1000.00"), received=Decimal("600.00"),
    )  # fmt: skip
    fw.approved("1000.00")
    fw.approved("333.33", line=fw.staff2)
    type(world.a).objects.filter(pk=world.a.pk).update(status="active")
    world.a.status = "active"
    decision = make_decision(world.a, "other", on=date(2026, 1, 10), title="Résiliation")
    return ClosureWorld(fw=fw, decision=decision, association=association)

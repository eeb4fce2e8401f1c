"""Fixtures of the admissibility tests: authority A (led by ``world.officer``) with the
default criteria set (loaded by the data migration) and an association."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.partners import selectors, services
from sharaka.partners.models import AdmissibilityFile, CheckStatus, Criterion, CriterionKind
from tests.conftest import World
from tests.factories import AssociationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "piece.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class PartnersWorld:
    w: World
    authority: Any
    other_authority: Any
    association: Any
    member: Any  # a signed-in user of the association
    file: AdmissibilityFile

    def criterion(self, code: str) -> Criterion:
        return next(
            c for c in selectors.criteria_list(authority_id=self.authority.pk) if c.code == code
        )

    def complete(self, *, expires: date | None = None) -> None:
        """Every criterion that applies, accepted (the bureau list expires on ``expires``)."""
        today = timezone.localdate()
        for criterion in selectors.criteria_list(authority_id=self.authority.pk):
            if criterion.condition != "always":
                continue
            fields: dict[str, Any] = {}
            if criterion.kind == CriterionKind.DOCUMENT:
                fields = {"document": pdf(f"{criterion.code}.pdf"),
                          "issued_on": today - timedelta(days=100)}  # fmt: skip
                if criterion.code == "bureau_list":
                    fields["expires_on"] = expires
            elif criterion.kind == CriterionKind.FACT:
                fields = {"value": True}
            else:
                fields = {"score": criterion.max_score}
            piece = services.evidence_add(
                by=self.w.officer, file=self.file, criterion=criterion, **fields
            )
            services.evidence_check(by=self.w.officer, evidence=piece,
                                    status=CheckStatus.ACCEPTED)  # fmt: skip


@pytest.fixture
def pw(world: World) -> PartnersWorld:
    authority = world.a.lead_authority
    association = AssociationFactory(name="Association Amal")
    member = UserFactory(username="member", organization=association)
    file = services.file_open(by=world.officer, association=association, authority=authority)
    return PartnersWorld(
        w=world, authority=authority, other_authority=world.b.lead_authority,
        association=association, member=member, file=file,
    )  # fmt: skip

"""Evidence about to expire, and expired, on the authority officer's to-do list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sharaka.core.todo import Urgency
from sharaka.partners import services
from sharaka.partners.evidence_todo import expiring_evidence
from sharaka.partners.models import CheckStatus
from tests.partners.conftest import PartnersWorld, pdf

pytestmark = pytest.mark.django_db


def test_a_bureau_list_expiring_soon_then_expired(pw: PartnersWorld) -> None:
    today = timezone.localdate()
    pw.complete(expires=today + timedelta(days=10))
    [item] = expiring_evidence(pw.w.officer, today)
    assert item.urgency == Urgency.SOON and item.due_on == today + timedelta(days=10)
    assert "Association Amal" in item.label and f"/dossiers/{pw.file.pk}/" in item.url
    [late] = expiring_evidence(pw.w.officer, today + timedelta(days=10))
    assert late.urgency == Urgency.OVERDUE  # the day it expires, it no longer counts
    assert expiring_evidence(pw.w.officer, today + timedelta(days=45)) == []
    assert expiring_evidence(pw.w.officer, today - timedelta(days=25)) == []


def test_a_newer_accepted_piece_replaces_the_expiring_one(pw: PartnersWorld) -> None:
    today = timezone.localdate()
    pw.complete(expires=today + timedelta(days=10))
    newer = services.evidence_add(
        by=pw.w.officer, file=pw.file, criterion=pw.criterion("bureau_list"),
        document=pdf("bureau-2027.pdf"), issued_on=today, expires_on=today + timedelta(days=700),
    )  # fmt: skip
    assert expiring_evidence(pw.w.officer, today) != []  # not yet checked: does not count
    services.evidence_check(by=pw.w.officer, evidence=newer, status=CheckStatus.ACCEPTED)
    assert expiring_evidence(pw.w.officer, today) == []


@pytest.mark.parametrize("role", ["other_officer", "coordinator", "board_member", "outsider"])
def test_only_the_authoritys_officers_are_told(pw: PartnersWorld, role: str) -> None:
    today = timezone.localdate()
    pw.complete(expires=today + timedelta(days=10))
    assert expiring_evidence(pw.w.user(role), today) == []
    assert expiring_evidence(pw.member, today) == []


def test_fixed_number_of_queries(pw: PartnersWorld, django_assert_max_num_queries) -> None:
    today = timezone.localdate()
    pw.complete(expires=today + timedelta(days=10))
    with django_assert_max_num_queries(1):
        items = expiring_evidence(pw.w.officer, today)
    assert len(items) == 1

"""Admissibility services: success and refusals (each refusal changes nothing)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sharaka.core.errors import AccessDenied, DomainError, NotFound
from sharaka.partners import defaults, rules, selectors, services
from sharaka.partners.models import (
    AdmissibilityFile,
    CheckStatus,
    CriteriaSet,
    Criterion,
    Decision,
    Evidence,
    FundingThreshold,
)
from tests.factories import AssociationFactory, CompanyFactory
from tests.partners.conftest import PDF, PNG, PartnersWorld, pdf

pytestmark = pytest.mark.django_db


def _refused(code: str, field: str | None, call: Any) -> DomainError:
    evidence = Evidence.objects.count()
    files = AdmissibilityFile.objects.count()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.field == field
    assert Evidence.objects.count() == evidence
    assert AdmissibilityFile.objects.count() == files
    return caught.value


def test_the_default_criteria_set_is_data(pw: PartnersWorld) -> None:
    criteria = selectors.criteria_list(authority_id=pw.authority.pk)
    codes = [c.code for c in criteria]
    assert codes[:3] == ["receipt", "statutes", "bureau_list"]
    assert {"local_roots", "disadvantaged_groups", "sector_experience"} <= set(codes)
    receipt = criteria[0]
    assert "1958" in receipt.reference and "art. 5" in receipt.reference
    assert receipt.label_ar and receipt.label_en and receipt.provisional_wait_days == 60
    thresholds = selectors.threshold_list(authority_id=pw.authority.pk)
    assert [(t.amount, t.verified) for t in thresholds] == [(10000, True), (50000, False)]
    assert "32 ter" in thresholds[0].reference and "7/2003" in thresholds[1].reference


def test_a_new_file_is_not_admissible_and_completing_it_makes_it_admissible(
    pw: PartnersWorld,
) -> None:
    assert selectors.file_assessment_get(file=pw.file).outcome is rules.Outcome.NOT_ADMISSIBLE
    pw.complete(expires=timezone.localdate() + timedelta(days=30))
    result = selectors.file_assessment_get(file=pw.file)
    assert result.outcome is rules.Outcome.ADMISSIBLE
    assert result.percent == 100


def test_an_expired_bureau_list_makes_the_file_incomplete_on_the_day(pw: PartnersWorld) -> None:
    today = timezone.localdate()
    pw.complete(expires=today)
    before = selectors.file_assessment_get(file=pw.file, on=today - timedelta(days=1))
    assert before.outcome is rules.Outcome.ADMISSIBLE
    result = selectors.file_assessment_get(file=pw.file, on=today)
    assert result.outcome is rules.Outcome.INCOMPLETE
    assert [(i.code, i.gap) for i in result.items] == [("bureau_list", rules.Gap.EXPIRED)]


def test_file_open_refusals(pw: PartnersWorld) -> None:
    w = pw.w
    _refused(
        "file_exists",
        "association",
        lambda: services.file_open(
            by=w.officer, association=pw.association, authority=pw.authority
        ),
    )
    _refused(
        "not_association",
        "association",
        lambda: services.file_open(
            by=w.officer, association=CompanyFactory(), authority=pw.authority
        ),
    )
    with pytest.raises(NotFound):
        services.file_open(
            by=w.other_officer, association=AssociationFactory(), authority=pw.authority
        )
    with pytest.raises(NotFound):
        services.file_open(by=pw.member, association=pw.association, authority=pw.other_authority)
    _refused("not_authority", "authority", lambda: services.file_open(
        by=w.admin, association=AssociationFactory(), authority=pw.association))  # fmt: skip


def test_evidence_add_document_is_checked_by_content(pw: PartnersWorld) -> None:
    statutes = pw.criterion("statutes")
    w = pw.w
    _refused(
        "document_required",
        "document",
        lambda: services.evidence_add(by=w.officer, file=pw.file, criterion=statutes),
    )
    _refused(
        "document_type",
        "document",
        lambda: services.evidence_add(
            by=w.officer,
            file=pw.file,
            criterion=statutes,
            document=SimpleUploadedFile("statuts.pdf", b"MZ\x90\x00 not a pdf"),
        ),
    )
    _refused(
        "document_type",
        "document",
        lambda: services.evidence_add(
            by=w.officer,
            file=pw.file,
            criterion=statutes,
            document=SimpleUploadedFile("statuts.exe", PDF),
        ),
    )
    _refused(
        "document_type",
        "document",
        lambda: services.evidence_add(
            by=w.officer,
            file=pw.file,
            criterion=statutes,
            document=SimpleUploadedFile("statuts.png", PDF),
        ),
    )
    _refused(
        "document_empty",
        "document",
        lambda: services.evidence_add(
            by=w.officer,
            file=pw.file,
            criterion=statutes,
            document=SimpleUploadedFile("statuts.pdf", b""),
        ),
    )
    _refused("dates_order", "expires_on", lambda: services.evidence_add(
        by=w.officer, file=pw.file, criterion=statutes, document=pdf(),
        issued_on=timezone.localdate(), expires_on=timezone.localdate()))  # fmt: skip
    piece = services.evidence_add(
        by=w.officer,
        file=pw.file,
        criterion=statutes,
        document=SimpleUploadedFile("statuts.png", PNG),
    )
    assert (piece.content_type, piece.original_name, piece.status) == (
        "image/png",
        "statuts.png",
        CheckStatus.PENDING,
    )
    assert piece.document.read() == PNG


def test_evidence_too_big_is_refused(pw: PartnersWorld, settings: Any) -> None:
    settings.SHARAKA_MAX_UPLOAD_MB = 0.001  # about 1 KB
    big = pdf(content=PDF + b"0" * 2000)
    error = _refused(
        "document_size",
        "document",
        lambda: services.evidence_add(
            by=pw.w.officer, file=pw.file, criterion=pw.criterion("statutes"), document=big
        ),
    )
    assert "Document" in error.message  # fmt: skip


def test_evidence_add_facts_and_scores(pw: PartnersWorld) -> None:
    w = pw.w
    _refused(
        "value_required",
        "value",
        lambda: services.evidence_add(
            by=w.officer, file=pw.file, criterion=pw.criterion("foreign_funding")
        ),
    )
    _refused(
        "score_range",
        "score",
        lambda: services.evidence_add(
            by=w.officer, file=pw.file, criterion=pw.criterion("local_roots"), score=6
        ),
    )
    _refused("score_range", "score", lambda: services.evidence_add(
        by=w.officer, file=pw.file, criterion=pw.criterion("local_roots")))  # fmt: skip
    fact = services.evidence_add(
        by=w.officer, file=pw.file, criterion=pw.criterion("foreign_funding"), value=False
    )
    score = services.evidence_add(by=w.officer, file=pw.file,
                                  criterion=pw.criterion("local_roots"), score=5)  # fmt: skip
    assert (fact.value, score.score) == (False, 5)


def test_evidence_for_a_criterion_of_another_set_is_refused(pw: PartnersWorld) -> None:
    own = CriteriaSet.objects.create(authority=pw.other_authority, name="Commune B")
    foreign = Criterion.objects.create(criteria_set=own, code="x", label_fr="X", kind="fact")
    _refused("criterion_other_set", "criterion", lambda: services.evidence_add(
        by=pw.w.officer, file=pw.file, criterion=foreign, value=True))  # fmt: skip


def test_an_authority_with_its_own_set_uses_it(pw: PartnersWorld) -> None:
    own = CriteriaSet.objects.create(authority=pw.authority, name="Commune A")
    Criterion.objects.create(criteria_set=own, code="only", label_fr="Seul", kind="fact",
                             eliminatory=True)  # fmt: skip
    assert [c.code for c in selectors.criteria_list(authority_id=pw.authority.pk)] == ["only"]
    assert len(selectors.criteria_list(authority_id=pw.other_authority.pk)) > 10


def test_evidence_check(pw: PartnersWorld) -> None:
    piece = services.evidence_add(
        by=pw.w.officer, file=pw.file, criterion=pw.criterion("statutes"), document=pdf()
    )
    _refused(
        "comment_required",
        "comment",
        lambda: services.evidence_check(
            by=pw.w.officer, evidence=piece, status=CheckStatus.REJECTED
        ),
    )
    _refused("check_status", "status", lambda: services.evidence_check(
        by=pw.w.officer, evidence=piece, status="maybe"))  # fmt: skip
    with pytest.raises(NotFound):
        services.evidence_check(by=pw.w.other_officer, evidence=piece, status="accepted")
    piece.refresh_from_db()
    assert piece.status == CheckStatus.PENDING
    services.evidence_check(by=pw.w.officer, evidence=piece, status="rejected",
                            comment="Copie illisible.")  # fmt: skip
    piece.refresh_from_db()
    assert (piece.status, piece.comment, piece.checked_by) == (
        "rejected",
        "Copie illisible.",
        pw.w.officer,
    )
    assert piece.checked_at is not None


def test_file_decide_records_who_when_why_with_history(pw: PartnersWorld) -> None:
    w = pw.w
    _refused(
        "reason_required",
        "reason",
        lambda: services.file_decide(
            by=w.officer, file=pw.file, decision="not_admissible", reason=" "
        ),
    )
    _refused(
        "decision_value",
        "decision",
        lambda: services.file_decide(by=w.officer, file=pw.file, decision="pending", reason="x"),
    )
    error = _refused("decision_value", "decision", lambda: services.file_decide(
        by=w.officer, file=pw.file, decision="admissible", reason="Bien."))  # fmt: skip
    assert "Récépissé" in error.message
    with pytest.raises(NotFound):
        services.file_decide(by=w.other_officer, file=pw.file, decision="not_admissible",
                             reason="x")  # fmt: skip
    pw.complete()
    services.file_decide(by=w.officer, file=pw.file, decision="admissible", reason="Complet.")
    pw.file.refresh_from_db()
    assert (pw.file.decision, pw.file.decision_reason, pw.file.decided_by) == (
        Decision.ADMISSIBLE,
        "Complet.",
        w.officer,
    )
    assert pw.file.decided_at is not None
    services.file_decide(by=w.admin, file=pw.file, decision="not_admissible", reason="Fraude.")
    decisions = list(pw.file.history.order_by("history_date").values_list("decision", flat=True))
    assert decisions[-2:] == ["admissible", "not_admissible"]


def test_only_the_authoritys_officers_and_the_admin_act(pw: PartnersWorld) -> None:
    for role in ("coordinator", "board_member", "treasurer", "auditor", "outsider",
                 "other_officer"):  # fmt: skip
        with pytest.raises((NotFound, AccessDenied)):
            services.evidence_add(by=pw.w.user(role), file=pw.file,
                                  criterion=pw.criterion("local_roots"), score=1)  # fmt: skip
    with pytest.raises(NotFound):
        services.evidence_add(by=pw.member, file=pw.file, criterion=pw.criterion("local_roots"),
                              score=1)  # fmt: skip
    assert not Evidence.objects.exists()
    services.evidence_add(by=pw.w.admin, file=pw.file, criterion=pw.criterion("local_roots"),
                          score=1)  # fmt: skip


def test_defaults_are_restored_once_after_a_flush(pw: PartnersWorld) -> None:
    CriteriaSet.objects.all().delete()
    FundingThreshold.objects.filter(amount=50000).delete()
    assert selectors.criteria_list(authority_id=pw.authority.pk) == []
    for _ in range(2):
        defaults.load(CriteriaSet, Criterion, FundingThreshold)
    assert len(selectors.criteria_list(authority_id=pw.authority.pk)) == len(defaults.CRITERIA)
    assert FundingThreshold.objects.count() == 1  # some were left: not loaded again

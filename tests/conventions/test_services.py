"""Convention services: success and every refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.conventions import selectors, services
from sharaka.conventions.catalogue import mandatory_codes
from sharaka.conventions.models import Clause, ConventionVersion, Signatory
from sharaka.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from sharaka.core.immutable import ImmutableError
from tests.conftest import World
from tests.conventions.conftest import (
    add_signatory,
    put_in_force,
    record_cleared_deliberations,
    sign,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _codes(version: ConventionVersion) -> list[str]:
    return [p.code for p in services.version_problems(version) if p.severity == "error"]


# --- Drafting ------------------------------------------------------------------------------


def test_create_drafts_every_mandatory_clause(world: World, draft: ConventionVersion) -> None:
    assert draft.status == "draft" and draft.number == 0 and draft.based_on is None
    assert set(draft.clauses.values_list("code", flat=True)) == set(mandatory_codes("management"))
    board = draft.clauses.get(code="board")
    organizations = [row["organization"] for row in board.params["composition"]]
    assert organizations == ["Commune A", "Association Alpha"]
    assert _codes(draft) == []


def test_create_refusals(world: World, draft: ConventionVersion) -> None:
    with pytest.raises(DomainError) as caught:
        services.convention_create(by=world.admin, partnership=world.a)
    assert caught.value.code == "convention_exists"
    with pytest.raises(AccessDenied):
        services.convention_create(by=world.board_member, partnership=world.a)
    with pytest.raises(NotFound):
        services.convention_create(by=world.outsider, partnership=world.b)
    with pytest.raises(NotFound):
        services.convention_create(by=world.coordinator, partnership=world.b)


def test_coordinator_edits_clauses(world: World, draft: ConventionVersion) -> None:
    clause = draft.clauses.get(code="deliberations")
    services.clause_update(by=world.coordinator, clause=clause, merge=True,
                           params={"notice_days": 15, "quorum": "60 %"})  # fmt: skip
    clause.refresh_from_db()
    assert clause.params["notice_days"] == 15 and clause.params["quorum"] == "3/5"
    assert clause.history.count() >= 2  # type: ignore[attr-defined]


def test_bad_parameters_are_refused_naming_the_field(world: World,
                                                     draft: ConventionVersion) -> None:  # fmt: skip
    clause = draft.clauses.get(code="deliberations")
    with pytest.raises(ValidationFailed) as caught:
        services.clause_update(by=world.officer, clause=clause, merge=True,
                               params={"quorum": "la moitié"})  # fmt: skip
    assert "quorum" in caught.value.errors
    assert "Quorum" in caught.value.message
    board = draft.clauses.get(code="board")
    rows = board.params["composition"] + [{"organization": "X", "college": "private",
                                           "seats": -1, "voting": True}]  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        services.clause_update(by=world.officer, clause=board, merge=True,
                               params={"composition": rows})  # fmt: skip
    assert "composition.2.seats" in caught.value.errors


def test_readers_cannot_edit(world: World, draft: ConventionVersion) -> None:
    clause = draft.clauses.get(code="audit")
    for role in ("board_member", "treasurer", "auditor"):
        with pytest.raises(AccessDenied):
            services.clause_update(by=world.user(role), clause=clause, params={})
    with pytest.raises(NotFound):
        services.clause_update(by=world.other_officer, clause=clause, params={})


def test_clauses_add_and_remove(world: World, draft: ConventionVersion) -> None:
    with pytest.raises(DomainError) as caught:
        services.clause_add(by=world.officer, version=draft, code="audit")
    assert caught.value.code == "clause_duplicate"
    with pytest.raises(ValidationFailed):
        services.clause_add(by=world.officer, version=draft, code="nothing")
    with pytest.raises(ValidationFailed) as invalid:
        services.clause_add(by=world.officer, version=draft, code="custom")
    assert "title_fr" in invalid.value.errors
    first = services.clause_add(by=world.officer, version=draft, code="custom",
                                texts={"title_fr": "Mécénat", "text_fr": "Autorisé."})  # fmt: skip
    second = services.clause_add(by=world.officer, version=draft, code="custom",
                                 texts={"title_fr": "Assurances"})  # fmt: skip
    assert (first.key, second.key) == ("custom-1", "custom-2")
    annexes = services.clause_add(by=world.officer, version=draft, code="annexes")
    assert annexes.params == {}
    services.clause_remove(by=world.officer, clause=draft.clauses.get(code="termination"))
    assert _codes(draft) == ["clause_missing"]


# --- Signature -----------------------------------------------------------------------------


def test_signing_an_incomplete_convention_is_refused(world: World,
                                                     draft: ConventionVersion) -> None:  # fmt: skip
    audit = draft.clauses.get(code="audit")
    services.clause_update(by=world.officer, clause=audit, merge=True,
                           params={"audit_frequency_months": None})  # fmt: skip
    add_signatory(world, draft)
    services.version_transition(by=world.officer, version=draft, to_status="under_negotiation")
    with pytest.raises(DomainError) as caught:
        services.version_transition(by=world.officer, version=draft, to_status="signed")
    assert caught.value.code == "convention_incomplete"
    assert "audit" in caught.value.message.lower()
    draft.refresh_from_db()
    assert draft.status == "under_negotiation" and draft.content_hash == ""


def test_signing_refusals(world: World, draft: ConventionVersion) -> None:
    with pytest.raises(DomainError) as caught:
        services.version_transition(by=world.officer, version=draft, to_status="signed")
    assert caught.value.code == "transition_not_allowed"  # a draft is negotiated first
    services.version_transition(by=world.coordinator, version=draft,
                                to_status="under_negotiation")  # fmt: skip
    with pytest.raises(AccessDenied):
        services.version_transition(by=world.coordinator, version=draft, to_status="signed")
    with pytest.raises(DomainError) as caught:
        services.version_transition(by=world.officer, version=draft, to_status="signed")
    assert caught.value.code == "no_signatory"
    with pytest.raises(DomainError) as caught:
        services.version_transition(by=world.officer, version=draft, to_status="bogus")
    assert caught.value.code == "transition_not_allowed"


def test_signature_freezes_the_version(world: World, draft: ConventionVersion) -> None:
    sign(world, draft, on=date(2024, 12, 16))
    draft.refresh_from_db()
    assert draft.status == "signed" and len(draft.content_hash) == 64
    assert draft.signed_by == world.officer
    assert list(draft.signatories.values_list("signed_on", flat=True)) == [date(2024, 12, 16)]
    assert services.version_hash(draft) == draft.content_hash
    clause = draft.clauses.get(code="audit")
    with pytest.raises(DomainError) as caught:
        services.clause_update(by=world.admin, clause=clause, params={})
    assert caught.value.code == "version_locked"
    for call in (
        lambda: services.clause_add(by=world.admin, version=draft, code="annexes"),
        lambda: services.clause_remove(by=world.admin, clause=clause),
        lambda: add_signatory(world, draft),
    ):
        with pytest.raises(DomainError):
            call()
    # and the models refuse it too, whatever the code path
    clause.params = {"auditor_name": "Quelqu'un"}
    with pytest.raises(ImmutableError) as refused:
        clause.save()
    assert refused.value.code == "version_locked"
    with pytest.raises(ImmutableError):
        clause.delete()
    signatory = Signatory.objects.get(version=draft)
    signatory.capacity = "Autre qualité"
    with pytest.raises(ImmutableError):
        signatory.save()
    draft.purpose = "réécrit"
    with pytest.raises(ImmutableError):
        draft.save()
    draft.refresh_from_db()
    draft.status = "draft"
    with pytest.raises(ImmutableError):
        draft.save()
    draft.refresh_from_db()
    with pytest.raises(ImmutableError):
        draft.delete()


def test_entry_into_force_and_end(world: World, draft: ConventionVersion) -> None:
    sign(world, draft, effective=None)
    record_cleared_deliberations(world.officer, draft)
    with pytest.raises(DomainError) as caught:
        services.version_transition(by=world.officer, version=draft, to_status="in_force")
    assert caught.value.code == "effective_date_required"
    put_in_force(world.officer, draft, effective_date=date(2025, 2, 1))
    assert draft.effective_date == date(2025, 2, 1) and draft.status == "in_force"
    with pytest.raises(AccessDenied):
        services.version_transition(by=world.coordinator, version=draft, to_status="ended")
    services.version_transition(by=world.officer, version=draft, to_status="ended",
                                on=date(2026, 6, 30))  # fmt: skip
    assert draft.ended_on == date(2026, 6, 30)
    with pytest.raises(DomainError):
        services.version_transition(by=world.officer, version=draft, to_status="in_force")


# --- Amendments ----------------------------------------------------------------------------


def test_amendment_of_a_version_not_in_force_is_refused(
    world: World, draft: ConventionVersion
) -> None:
    with pytest.raises(DomainError) as caught:
        services.amendment_create(by=world.officer, convention=draft.convention)
    assert caught.value.code == "open_draft_exists"
    sign(world, draft)
    with pytest.raises(DomainError) as caught:
        services.amendment_create(by=world.officer, convention=draft.convention)
    assert caught.value.code == "amendment_needs_version_in_force"


def test_amendment_copies_the_version_in_force(world: World,
                                               in_force: ConventionVersion) -> None:  # fmt: skip
    amendment = services.amendment_create(by=world.coordinator, convention=in_force.convention,
                                          purpose="Tolérance à 15 %")  # fmt: skip
    assert (amendment.number, amendment.based_on, amendment.status) == (1, in_force, "draft")
    assert amendment.clauses.count() == in_force.clauses.count()
    assert amendment.signatories.get().signed_on is None
    with pytest.raises(DomainError) as caught:
        services.amendment_create(by=world.officer, convention=in_force.convention)
    assert caught.value.code == "open_draft_exists"
    audit = amendment.clauses.get(code="audit")
    services.clause_update(by=world.officer, clause=audit, merge=True,
                           params={"expense_tolerance": "15 %"})  # fmt: skip
    assert in_force.clauses.get(code="audit").params["expense_tolerance"] == "1/10"
    diff = selectors.diff_get(old=in_force, new=amendment, lang="fr")
    assert [(row.key, [f.new for f in row.fields]) for row in diff] == [("audit", ["15\u00a0%"])]
    with pytest.raises(DomainError) as caught:
        sign(world, amendment, effective=date(2024, 6, 1), with_signatory=False)
    assert caught.value.code == "effective_date_order"
    sign(world, amendment, effective=date(2026, 1, 1), with_signatory=False)
    put_in_force(world.officer, amendment)
    in_force.refresh_from_db()
    assert in_force.status == "ended" and in_force.ended_on == date(2026, 1, 1)


# --- Rules in force ------------------------------------------------------------------------


def test_rules_in_force_follow_the_dates(world: World, in_force: ConventionVersion) -> None:
    assert selectors.convention_rules_get(partnership=world.a, at=date(2024, 12, 31)) is None
    assert selectors.convention_rules_get(partnership=world.b, at=date(2025, 6, 1)) is None
    rules_2025 = selectors.convention_rules_get(partnership=world.a, at=date(2025, 6, 1))
    assert rules_2025 is not None
    assert rules_2025.source == f"convention:{in_force.pk}"
    assert rules_2025.notice_period_days == 10
    assert str(rules_2025.expense_tolerance) == "1/10"
    amendment = services.amendment_create(by=world.officer, convention=in_force.convention)
    services.clause_update(by=world.officer, clause=amendment.clauses.get(code="deliberations"),
                           merge=True, params={"notice_days": 21})  # fmt: skip
    sign(world, amendment, effective=date(2026, 1, 1), with_signatory=False)
    rules_signed = selectors.convention_rules_get(partnership=world.a, at=date(2026, 2, 1))
    assert rules_signed is not None and rules_signed.notice_period_days == 21
    put_in_force(world.officer, amendment)
    assert (
        selectors.convention_rules_get(
            partnership=world.a, at=date(2025, 12, 31)
        ).notice_period_days
        == 10
    )  # type: ignore[union-attr]
    later = selectors.convention_rules_get(partnership=world.a, at=date(2026, 1, 1))
    assert later is not None and later.source == f"convention:{amendment.pk}"
    assert "avenant n° 1" in later.source_label


def test_governance_reads_the_convention_rules(world: World, in_force: ConventionVersion) -> None:
    governance = pytest.importorskip("sharaka.governance.selectors")
    rules = governance.rules_in_force_get(partnership=world.a, at=date(2025, 3, 1))
    assert rules.source == f"convention:{in_force.pk}"
    assert governance.rules_in_force_get(partnership=world.a, at=date(2024, 1, 1)).source == (
        "settings"
    )


# --- Scanned signed copy -------------------------------------------------------------------


def test_signed_copy_upload(world: World, in_force: ConventionVersion) -> None:
    services.signed_copy_upload(by=world.officer, version=in_force,
                                upload=SimpleUploadedFile("scan.pdf", PDF))  # fmt: skip
    in_force.refresh_from_db()
    assert in_force.signed_copy.name.endswith("version-0-signee.pdf")
    services.signed_copy_upload(by=world.admin, version=in_force,
                                upload=SimpleUploadedFile("scan.PNG", PNG))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.docx", PDF, "signed_copy_type"),
        ("scan", PDF, "signed_copy_type"),
        ("scan.pdf", PNG, "signed_copy_type"),
        ("scan.jpg", b"GIF89a....", "signed_copy_type"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024) + b"0", "signed_copy_size"),
    ],
)
def test_signed_copy_refusals(world: World, in_force: ConventionVersion, name: str,
                              content: bytes, code: str) -> None:  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.signed_copy_upload(by=world.officer, version=in_force,
                                    upload=SimpleUploadedFile(name, content))  # fmt: skip
    assert caught.value.code == code and caught.value.field == "signed_copy"
    assert caught.value.message


def test_signed_copy_needs_a_signed_version_and_the_sign_permission(
    world: World, draft: ConventionVersion
) -> None:
    with pytest.raises(DomainError) as caught:
        services.signed_copy_upload(by=world.officer, version=draft,
                                    upload=SimpleUploadedFile("s.pdf", PDF))  # fmt: skip
    assert caught.value.code == "signed_copy_not_signed"
    with pytest.raises(AccessDenied):
        services.signed_copy_upload(by=world.coordinator, version=draft,
                                    upload=SimpleUploadedFile("s.pdf", PDF))  # fmt: skip


def test_signatories(world: World, draft: ConventionVersion) -> None:
    signatory = add_signatory(world, draft)
    with pytest.raises(DomainError) as caught:
        services.signatory_add(by=world.officer, version=draft,
                               organization=signatory.organization, person=signatory.person,
                               capacity="Maire")  # fmt: skip
    assert caught.value.code == "signatory_duplicate"
    with pytest.raises(ValidationFailed):
        services.signatory_add(by=world.officer, version=draft,
                               organization=signatory.organization, person=PersonFactory(),
                               capacity="  ")  # fmt: skip
    services.signatory_remove(by=world.coordinator, signatory=signatory)
    assert not draft.signatories.exists()


def test_clause_model_checks_key_and_code(world: World, draft: ConventionVersion) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(version=draft, key="other", code="annexes", order=1)


def test_signed_copy_size_limit_is_configurable(
    world: World, in_force: ConventionVersion, settings: Any
) -> None:
    settings.SHARAKA_MAX_UPLOAD_MB = 12
    services.signed_copy_upload(
        by=world.officer,
        version=in_force,
        upload=SimpleUploadedFile("s.pdf", PDF + b"0" * (11 << 20)),
    )
    settings.SHARAKA_MAX_UPLOAD_MB = 0.01
    with pytest.raises(DomainError) as caught:
        services.signed_copy_upload(
            by=world.officer,
            version=in_force,
            upload=SimpleUploadedFile("s.pdf", PDF + b"0" * 20_000),
        )
    assert caught.value.code == "signed_copy_size" and caught.value.field == "signed_copy"
    assert "Copie signée numérisée : fichier trop lourd" in caught.value.message

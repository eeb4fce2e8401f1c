"""Management structure services: staff register (time share across overlapping periods,
origin organisation, reporting lines), women's share, delegations by board decision,
assets and their documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from sharaka.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from sharaka.partnerships.models import Party, PartyRole
from sharaka.structure import selectors, services
from sharaka.structure.models import Asset, AssetDocument, Delegation, StaffAssignment
from tests.factories import OrganizationFactory, PersonFactory
from tests.planning.conftest import make_decision
from tests.race import postgresql_only, race
from tests.structure.conftest import StructureWorld

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


# --- Structure -------------------------------------------------------------------------------


def test_structure_set_creates_then_updates(sw: StructureWorld) -> None:
    assert sw.structure.kind == "project_team"
    again = services.structure_set(by=sw.w.officer, partnership=sw.w.a, fields={"kind": "light"})
    assert again.pk == sw.structure.pk and again.kind == "light"
    with pytest.raises(ValidationFailed):
        services.structure_set(by=sw.w.officer, partnership=sw.w.a, fields={"kind": "bogus"})


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_readers_cannot_change_the_structure(sw: StructureWorld, role: str) -> None:
    with pytest.raises(AccessDenied):
        services.structure_set(by=sw.w.user(role), partnership=sw.w.a, fields={"kind": "light"})
    with pytest.raises(AccessDenied):
        services.staff_add(by=sw.w.user(role), structure=sw.structure, fields={})


def test_outsiders_get_not_found(sw: StructureWorld) -> None:
    with pytest.raises(NotFound):
        services.structure_set(by=sw.w.other_officer, partnership=sw.w.a, fields={})


# --- Time share ------------------------------------------------------------------------------


def test_time_share_across_overlapping_assignments(sw: StructureWorld) -> None:
    person = PersonFactory()
    sw.staff(person, "60", date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValidationFailed) as caught:
        sw.staff(person, "50", date(2025, 6, 1))
    assert "time_share" in caught.value.errors
    assert "110" in caught.value.message
    sw.staff(person, "40", date(2025, 6, 1))  # exactly 100 %
    sw.staff(person, "60", date(2026, 1, 1), role="coordinator")  # after the first ended
    with pytest.raises(ValidationFailed):
        sw.staff(person, "1", date(2026, 3, 1))


def test_time_share_counts_every_partnership(sw: StructureWorld) -> None:
    person = PersonFactory()
    sw.staff(person, "70")
    party = Party.objects.create(
        partnership=sw.w.b, organization=sw.association, role=PartyRole.PARTNER
    )
    other = services.structure_set(by=sw.w.admin, partnership=sw.w.b, fields={"kind": "light"})
    with pytest.raises(ValidationFailed):
        services.staff_add(
            by=sw.w.admin,
            structure=other,
            fields={
                "person": person,
                "role": "volunteer",
                "origin_organization": party.organization,
                "time_share": Decimal(40),
                "start_date": date(2025, 3, 1),
            },
        )


def test_time_share_on_update(sw: StructureWorld) -> None:
    person = PersonFactory()
    first = sw.staff(person, "50")
    second = sw.staff(person, "50", date(2025, 2, 1))
    with pytest.raises(ValidationFailed):
        services.staff_update(
            by=sw.w.coordinator, assignment=second, fields={"time_share": Decimal("50.01")}
        )
    # Ending the first assignment frees the share for the second.
    services.staff_update(
        by=sw.w.coordinator, assignment=first, fields={"end_date": date(2025, 1, 31)}
    )
    services.staff_update(
        by=sw.w.coordinator, assignment=second, fields={"time_share": Decimal(100)}
    )


@pytest.mark.parametrize("share", ["0", "-5", "100.01", "250"])
def test_time_share_range(sw: StructureWorld, share: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sw.staff(share=share)
    assert "time_share" in caught.value.errors


def test_staff_dates_and_origin(sw: StructureWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sw.staff(start=date(2025, 5, 1), end=date(2025, 4, 1))
    assert "end_date" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        sw.staff(origin_organization=OrganizationFactory())
    assert "origin_organization" in caught.value.errors


def test_reporting_lines(sw: StructureWorld) -> None:
    director = sw.staff(role="director")
    member = sw.staff(reports_to=director)
    assert member.reports_to == director
    with pytest.raises(ValidationFailed):
        services.staff_update(
            by=sw.w.coordinator, assignment=director, fields={"reports_to": director}
        )
    other = services.structure_set(by=sw.w.admin, partnership=sw.w.b, fields={"kind": "light"})
    Party.objects.create(partnership=sw.w.b, organization=sw.commune, role=PartyRole.PARTNER)
    stranger = services.staff_add(
        by=sw.w.admin,
        structure=other,
        fields={
            "person": PersonFactory(),
            "role": "coordinator",
            "origin_organization": sw.commune,
            "time_share": Decimal(10),
            "start_date": date(2025, 1, 1),
        },
    )
    with pytest.raises(ValidationFailed):
        sw.staff(reports_to=stranger)
    services.staff_remove(by=sw.w.coordinator, assignment=director)
    member.refresh_from_db()
    assert member.reports_to is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_cannot_both_pass(sw: StructureWorld) -> None:
    """Two assignments of 60 % saved at once: the person's row lock lets only one in."""
    person = PersonFactory()
    outcomes = race(lambda: sw.staff(person, "60"), lambda: sw.staff(person, "60"))
    assert sorted(outcomes) == ["invalid", "ok"]
    assert StaffAssignment.objects.filter(person=person).count() == 1


# --- Women's share and org chart -------------------------------------------------------------


def test_women_share_against_the_board_target(sw: StructureWorld) -> None:
    sw.staff(PersonFactory(gender="f"), role="director")
    sw.staff(PersonFactory(gender="m"))
    sw.staff(PersonFactory(gender="m"))
    sw.staff(PersonFactory(gender="m"))
    sw.staff(PersonFactory(gender="f"), end=date(2025, 3, 1))  # ended: not counted
    view = selectors.structure_view_get(partnership=sw.w.a, today=date(2026, 1, 1))
    assert view.women.women == 1 and view.women.counted == 4
    assert view.women.target == Fraction(1, 3) and view.women.below_target
    sw.staff(PersonFactory(gender="f"))
    view = selectors.structure_view_get(partnership=sw.w.a, today=date(2026, 1, 1))
    assert not view.women.below_target


def test_org_chart(sw: StructureWorld) -> None:
    director = sw.staff(PersonFactory(first_name="Nadia", last_name="Filali"), role="director")
    coordinator = sw.staff(role="coordinator", reports_to=director)
    for _ in range(3):
        sw.staff(role="volunteer", share="10", reports_to=coordinator)
    sw.staff(role="team_member")
    view = selectors.structure_view_get(partnership=sw.w.a, today=date(2026, 1, 1))
    board = view.chart
    assert board is not None and board.kind == "board"
    (head,) = board.children
    assert head.title == "Nadia Filali"
    titles = [c.title for c in head.children]
    assert len(titles) == 2  # the coordinator and the team member
    coordinator_node = next(c for c in head.children if c.children)
    (group,) = coordinator_node.children
    assert group.kind == "group" and len(group.children) == 3


# --- Delegations -----------------------------------------------------------------------------


def _delegation_fields(sw: StructureWorld, decision: object) -> dict[str, object]:
    return {
        "delegate": sw.association,
        "decision": decision,
        "scope": "Accueil des jeunes",
        "start_date": date(2025, 3, 1),
        "reporting_duty": "Rapport trimestriel",
    }


def test_delegation_by_a_board_decision(sw: StructureWorld) -> None:
    from sharaka.planning import services as planning_services

    plan = planning_services.plan_create(
        by=sw.w.coordinator,
        partnership=sw.w.a,
        fields={
            "title": "Plan",
            "period_start": date(2025, 1, 1),
            "period_end": date(2026, 12, 31),
        },
    )
    version = plan.versions.get()
    objective = planning_services.objective_create(
        by=sw.w.coordinator, version=version, fields={"title": "O"}
    )
    activity = planning_services.activity_create(
        by=sw.w.coordinator,
        version=version,
        fields={
            "objective": objective,
            "code": "A1.1",
            "title": "Accueil",
            "start_date": date(2025, 1, 1),
            "end_date": date(2025, 12, 31),
        },
    )
    decision = make_decision(sw.w.a, "delegation")
    delegation = services.delegation_create(
        by=sw.w.coordinator,
        partnership=sw.w.a,
        fields=_delegation_fields(sw, decision),
        activities=[activity],
    )
    assert list(delegation.activities.all()) == [activity]
    from sharaka.planning.selectors import delegations_by_code

    assert delegations_by_code(partnership=sw.w.a, plan=plan)["A1.1"] == [delegation]


def test_delegation_refusals(sw: StructureWorld) -> None:
    good = make_decision(sw.w.a, "delegation")
    wrong_kind = make_decision(sw.w.a, "action_plan_adoption")
    other = make_decision(sw.w.b, "delegation")
    for decision, code in (
        (wrong_kind, "decision_wrong_kind"),
        (other, "decision_other_partnership"),
    ):
        with pytest.raises(DomainError) as caught:
            services.delegation_create(
                by=sw.w.coordinator, partnership=sw.w.a, fields=_delegation_fields(sw, decision)
            )
        assert caught.value.code == code and caught.value.field == "decision"
    fields = _delegation_fields(sw, good) | {"delegate": OrganizationFactory()}
    with pytest.raises(ValidationFailed) as caught_v:
        services.delegation_create(by=sw.w.coordinator, partnership=sw.w.a, fields=fields)
    assert "delegate" in caught_v.value.errors
    fields = _delegation_fields(sw, good) | {"end_date": date(2025, 1, 1)}
    with pytest.raises(ValidationFailed):
        services.delegation_create(by=sw.w.coordinator, partnership=sw.w.a, fields=fields)
    with pytest.raises(ValidationFailed):  # a decision is required
        services.delegation_create(
            by=sw.w.coordinator, partnership=sw.w.a, fields=_delegation_fields(sw, None)
        )
    with pytest.raises(AccessDenied):
        services.delegation_create(
            by=sw.w.auditor, partnership=sw.w.a, fields=_delegation_fields(sw, good)
        )
    assert not Delegation.objects.exists()


def test_delegation_update_and_delete(sw: StructureWorld) -> None:
    decision = make_decision(sw.w.a, "delegation")
    delegation = services.delegation_create(
        by=sw.w.coordinator, partnership=sw.w.a, fields=_delegation_fields(sw, decision)
    )
    services.delegation_update(
        by=sw.w.coordinator, delegation=delegation, fields={"end_date": date(2025, 12, 31)}
    )
    delegation.refresh_from_db()
    assert delegation.end_date == date(2025, 12, 31)
    services.delegation_delete(by=sw.w.coordinator, delegation=delegation)
    assert not Delegation.objects.exists()


# --- Assets ----------------------------------------------------------------------------------


def _asset(sw: StructureWorld, **extra: object) -> Asset:
    fields = {
        "kind": "equipment",
        "name": "Minibus",
        "owner": sw.commune,
        "provided_by": sw.commune,
        "value": Decimal("420000.00"),
    } | extra
    return services.asset_create(by=sw.w.coordinator, partnership=sw.w.a, fields=fields)


def test_asset_register(sw: StructureWorld) -> None:
    asset = _asset(sw)
    assert asset.currency == "MAD"
    with pytest.raises(ValidationFailed):
        _asset(sw, value=Decimal(-1))
    with pytest.raises(ValidationFailed) as caught:
        _asset(sw, provided_by=OrganizationFactory())
    assert "provided_by" in caught.value.errors
    _asset(sw, owner=OrganizationFactory(), name="Loué")  # any owner, e.g. a lessor
    with pytest.raises(AccessDenied):
        services.asset_create(by=sw.w.treasurer, partnership=sw.w.a, fields={})


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("facture.pdf", PDF, None),
        ("photo.png", b"\x89PNG\r\n\x1a\n....", None),
        ("photo.jpeg", b"\xff\xd8\xff\xe0....", None),
        ("virus.exe", b"MZ....", "document_type"),
        ("faux.pdf", b"MZ....", "document_type"),
        ("lettre.docx", b"PK\x03\x04", "document_type"),
        ("vide.pdf", b"", "document_empty"),
    ],
)
def test_asset_documents(sw: StructureWorld, name: str, content: bytes, code: str | None) -> None:
    asset = _asset(sw)
    upload = SimpleUploadedFile(name, content)
    if code is None:
        document = services.asset_document_add(
            by=sw.w.coordinator,
            asset=asset,
            title="",
            upload=upload,
        )
        assert document.title == name and document.size == len(content)
        services.asset_document_remove(by=sw.w.coordinator, document=document, asset=asset)
        assert not AssetDocument.objects.exists()
    else:
        with pytest.raises(DomainError) as caught:
            services.asset_document_add(
                by=sw.w.coordinator,
                asset=asset,
                title="",
                upload=upload,
            )
        assert caught.value.code == code and caught.value.field == "file"


def test_asset_document_size_limit(sw: StructureWorld) -> None:
    asset = _asset(sw)
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError) as caught:
        services.asset_document_add(by=sw.w.coordinator, asset=asset, title="", upload=big)
    assert caught.value.code == "document_size"


class _Abort(Exception):
    pass


def test_a_rolled_back_deletion_keeps_the_files(
    sw: StructureWorld, django_capture_on_commit_callbacks: Any
) -> None:
    asset = _asset(sw)
    upload = SimpleUploadedFile("facture.pdf", PDF)
    document = services.asset_document_add(
        by=sw.w.coordinator, asset=asset, title="", upload=upload
    )
    storage, name = document.file.storage, document.file.name
    coordinator = sw.w.coordinator
    for delete in (
        lambda a, d: services.asset_document_remove(by=coordinator, document=d, asset=a),
        lambda a, d: services.asset_delete(by=coordinator, asset=a),
    ):
        with pytest.raises(_Abort), transaction.atomic():
            delete(Asset.objects.get(pk=asset.pk), AssetDocument.objects.get(pk=document.pk))
            raise _Abort  # something later in the same transaction fails
        assert storage.exists(name) and AssetDocument.objects.filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.asset_delete(by=sw.w.coordinator, asset=asset)
    assert not storage.exists(name) and not Asset.objects.filter(pk=asset.pk).exists()


def test_asset_document_size_limit_is_configurable(sw: StructureWorld, settings: Any) -> None:
    asset = _asset(sw)
    settings.SHARAKA_MAX_UPLOAD_MB = 12
    eleven = SimpleUploadedFile("gros.pdf", PDF + b"0" * (11 * 1024 * 1024))
    services.asset_document_add(by=sw.w.coordinator, asset=asset, title="", upload=eleven)
    settings.SHARAKA_MAX_UPLOAD_MB = 0.01
    with pytest.raises(DomainError) as caught:
        services.asset_document_add(
            by=sw.w.coordinator, asset=asset, title="", upload=SimpleUploadedFile(
                "petit.pdf", PDF + b"0" * 20_000)
        )  # fmt: skip
    assert caught.value.code == "document_size" and caught.value.field == "file"
    assert "Fichier : fichier trop lourd" in caught.value.message

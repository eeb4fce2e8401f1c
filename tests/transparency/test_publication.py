"""Proactive publication recorded by an officer (law 31-13, art. 10): the service and each
refusal (on its field, nothing written), append-only records whose latest makes the line
published, the pages per role, the list per authority paged by key, the to-do item, and
fixed query counts at two data sizes."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sharaka.core.access import AccessDenied
from sharaka.core.errors import DomainError
from sharaka.core.immutable import ImmutableError
from sharaka.core.todo import Urgency, todo_for
from sharaka.partnerships.models import Partnership
from sharaka.transparency import publication, rules, services
from sharaka.transparency.models import PublicationRecord
from sharaka.transparency.todo import publication_to_do
from tests.conftest import ROLES, World

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
MANAGERS = {"admin", "officer", "coordinator"}
PDF = b"%PDF-1.4\n%report\n"


def pdf(name: str = "rapport.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fields(**overrides: Any) -> dict[str, Any]:
    return {
        "published_on": timezone.localdate() - timedelta(days=3), "channel": "website",
        "place": "Site de la commune", "url": "https://commune.example.ma/rapport",
        "note": "Rapport à mi-parcours", **overrides,
    }  # fmt: skip


def record(w: World, item: str = "evaluations", partnership: Any = None, proof: Any = None,
           **overrides: Any) -> PublicationRecord:  # fmt: skip
    return services.publication_record(
        by=w.officer, partnership=partnership or w.a, item=item, proof=proof,
        fields=fields(**overrides),
    )  # fmt: skip


def states(partnership: Any) -> dict[str, rules.ItemState]:
    return {r.code: r.state for r in publication.publication_checklist(partnership=partnership)}


# --- the rule -------------------------------------------------------------------------------


@given(st.integers(min_value=-3, max_value=100), st.booleans())
def test_a_recorded_line_is_published_only_when_it_cannot_be_counted(
    published: int, recorded: bool
) -> None:
    state = rules.item_state(due=None, published=published, recorded=recorded)
    assert state == (rules.ItemState.DONE if recorded else rules.ItemState.TO_CHECK)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_a_record_never_changes_a_counted_line(due: int, published: int) -> None:
    assert rules.item_state(due=due, published=published, recorded=True) == rules.item_state(
        due=due, published=published
    )


# --- the service ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_record_makes_the_line_published_and_the_latest_wins(world: World) -> None:
    assert states(world.a)["evaluations"] == rules.ItemState.TO_CHECK
    first = record(world, published_on=timezone.localdate() - timedelta(days=30))
    second = record(world, url="", proof=pdf(), channel="notice_board")
    assert second.proof_content_type == "application/pdf" and second.recorded_by == world.officer
    rows = {r.code: r for r in publication.publication_checklist(partnership=world.a)}
    assert rows["evaluations"].state == rules.ItemState.DONE
    assert rows["evaluations"].record is not None and rows["evaluations"].record.pk == second.pk
    assert rows["audit_reports"].state == rules.ItemState.TO_CHECK
    assert states(world.b)["evaluations"] == rules.ItemState.TO_CHECK
    history = publication.records_list(partnership=world.a)
    assert [r.pk for r in history] == [second.pk, first.pk]


@pytest.mark.django_db
def test_a_record_is_append_only(world: World) -> None:
    item = record(world)
    item.note = "changed"
    with pytest.raises(ImmutableError):
        item.save()
    with pytest.raises(ImmutableError):
        item.delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"published_on": dt.date.today() + timedelta(days=2)}, "published_on"),
        ({"place": "  "}, "place"),
        ({"url": ""}, "url"),
    ],
)
def test_each_refusal_names_its_field_and_writes_nothing(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        record(world, **overrides)
    assert refused.value.field == field
    assert not PublicationRecord.objects.exists()


@pytest.mark.django_db
def test_a_proof_is_checked_by_content(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        record(world, url="", proof=pdf("rapport.pdf", b"MZ\x90\x00 not a pdf"))
    assert refused.value.field == "proof"
    assert not PublicationRecord.objects.exists()


@pytest.mark.django_db
def test_a_computed_line_or_a_reader_is_refused(world: World) -> None:
    with pytest.raises(DomainError):
        record(world, item="decisions")
    with pytest.raises(AccessDenied):
        services.publication_record(by=world.board_member, partnership=world.a,
                                    item="evaluations", fields=fields())  # fmt: skip
    assert not PublicationRecord.objects.exists()


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(world: World, client_for: Any, role: str | None) -> None:
    with_proof = record(world, proof=pdf())
    slug = world.a.slug
    read = [reverse("transparency:checklist", args=[slug]),
            reverse("transparency:publication_proof", args=[slug, with_proof.pk])]  # fmt: skip
    change = [reverse("transparency:publication_record", args=[slug, "audit_reports"])]
    client = client_for(role)
    for url in read + change:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif url in change and role not in MANAGERS:
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.django_db
def test_a_computed_line_and_another_partnerships_proof_are_not_found(
    world: World, client_for: Any
) -> None:
    client = client_for("admin")
    url = reverse("transparency:publication_record", args=[world.a.slug, "decisions"])
    assert client.get(url).status_code == 404
    other = services.publication_record(
        by=world.other_officer,
        partnership=world.b,
        item="evaluations",
        proof=pdf(),
        fields=fields(),
    )
    url = reverse("transparency:publication_proof", args=[world.a.slug, other.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_officer_records_a_publication_and_the_page_shows_it(
    world: World, client_for: Any
) -> None:
    client = client_for("officer")
    url = reverse("transparency:publication_record", args=[world.a.slug, "audit_reports"])
    data = {"published_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "channel": "notice_board", "place": "Siège de la commune", "url": "",
            "note": "", "proof": pdf()}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    saved = PublicationRecord.objects.get()
    assert saved.item == "audit_reports" and saved.proof_name == "rapport.pdf"
    page = client.get(reverse("transparency:checklist", args=[world.a.slug]))
    rows = {r.code: r for r in page.context["rows"]}
    assert rows["audit_reports"].state == rules.ItemState.DONE
    assert "Siège de la commune" in page.content.decode()


@pytest.mark.django_db
def test_a_refused_post_shows_the_field_and_writes_nothing(world: World, client_for: Any) -> None:
    url = reverse("transparency:publication_record", args=[world.a.slug, "evaluations"])
    response = client_for("officer").post(url, {
        "published_on": timezone.localdate().isoformat(), "channel": "website",
        "place": "Site", "url": "", "note": ""})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not PublicationRecord.objects.exists()


@pytest.mark.django_db
def test_the_checklist_runs_in_fixed_queries_with_records(world: World, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("transparency:checklist", args=[world.a.slug])
    record(world, proof=pdf())
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(6):
        record(world, item="audit_reports" if n % 2 else "evaluations", proof=pdf())
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


# --- the list per authority ------------------------------------------------------------------


def _partnership(world: World, n: int) -> Partnership:
    return Partnership.objects.create(
        title=f"Partenariat {n:03d}", slug=f"partenariat-{n:03d}", kind="management",
        category="facility", sector="other", complexity="small",
        lead_authority=world.a.lead_authority,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_list_shows_the_authoritys_partnerships_only(world: World, client_for: Any) -> None:
    record(world)
    url = reverse("transparency:publication_overview")
    assert client_for(None).get(url).status_code == 302
    page = client_for("officer").get(url)
    assert page.status_code == 200
    rows = {r.partnership.pk: r.counts for r in page.context["view"].rows}
    assert set(rows) == {world.a.pk}
    assert rows[world.a.pk].published == 1 and rows[world.a.pk].to_check == 1
    assert world.b.pk in {
        r.partnership.pk for r in client_for("other_officer").get(url).context["view"].rows
    }
    assert world.a.pk not in {
        r.partnership.pk for r in client_for("other_officer").get(url).context["view"].rows
    }
    assert client_for("outsider").get(url).context["view"].rows == []


@pytest.mark.django_db
def test_the_list_is_paged_by_key_in_fixed_queries(world: World, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("transparency:publication_overview")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    created = [_partnership(world, n) for n in range(publication.PAGE_SIZE + 3)]
    for p in created[:5]:
        record(world, partnership=p)
    with CaptureQueriesContext(connection) as large:
        first = client.get(url).context["view"]
    assert len(large) == len(small)
    assert len(first.rows) == publication.PAGE_SIZE and first.next_after is not None
    second = client.get(url, {"apres": first.next_after}).context["view"]
    seen = [r.partnership.pk for r in first.rows] + [r.partnership.pk for r in second.rows]
    assert len(seen) == len(set(seen)) == len(created) + 1 and second.next_after is None


# --- the to-do list -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_to_do_names_the_partnership_with_lines_to_check(world: World) -> None:
    items = publication_to_do(world.officer, timezone.localdate())
    assert [i.url for i in items] == [reverse("transparency:checklist", args=[world.a.slug])]
    assert items[0].urgency is Urgency.INFO and world.a.title in items[0].label
    assert publication_to_do(world.board_member, timezone.localdate()) == []
    record(world)
    record(world, item="audit_reports")
    assert publication_to_do(world.officer, timezone.localdate()) == []
    assert "transparency.publication" not in {i.source for i in todo_for(world.officer)}


@pytest.mark.django_db
def test_the_to_do_runs_in_fixed_queries(world: World) -> None:
    today = timezone.localdate()
    publication_to_do(world.officer, today)
    with CaptureQueriesContext(connection) as small:
        publication_to_do(world.officer, today)
    for n in range(8):
        p = _partnership(world, n)
        if n % 2:
            record(world, partnership=p)
    with CaptureQueriesContext(connection) as large:
        items = publication_to_do(world.officer, today)
    assert len(large) == len(small) and len(items) == 9

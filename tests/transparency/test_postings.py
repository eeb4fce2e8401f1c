"""Posting of the board's decisions (law 113-14, art. 273): the 8-day rule as data, the
recording service and each refusal (nothing changes), the tracker page and the proof per
role, the officer's to-do items, and fixed query counts whatever the number of decisions."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sharaka.accounts.models import ApiToken
from sharaka.core.access import AccessDenied
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.todo import Urgency, todo_for
from sharaka.meetings.models import Decision
from sharaka.transparency import rules, selectors, services
from sharaka.transparency.models import DecisionPosting
from sharaka.transparency.todo import decisions_to_post
from tests.conftest import ROLES, World
from tests.planning.conftest import make_decision

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
MANAGERS = {"admin", "officer", "coordinator"}
PDF = b"%PDF-1.4\n%posting\n"

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


def pdf(name: str = "affiche.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def today() -> dt.date:
    return timezone.localdate()


def decision(w: World, on: dt.date | None = None, partnership: Any = None) -> Decision:
    return make_decision(partnership or w.a, "other", on=on or today() - timedelta(days=20),
                         title="Tarifs du complexe")  # fmt: skip


def post(w: World, d: Decision, by: Any = None, proof: Any = None, **extra: Any) -> Any:
    fields = {
        "posted_on": d.decided_on + timedelta(days=2),
        "channel": "notice_board",
        "place": "Tableau d'affichage du siège de la commune",
        "note": "",
    } | extra
    by = by or w.officer
    return services.posting_record(by=by, decision=d, fields=fields, proof=proof)


# --- rules ------------------------------------------------------------------------------------


@given(days)
def test_the_due_date_is_eight_days_after_the_decision(decided: dt.date) -> None:
    assert rules.posting_due(decided) - decided == timedelta(days=8)
    assert rules.POSTING.legal == "Loi organique 113-14, art. 273"


@given(days, days, st.one_of(st.none(), days))
def test_the_state_says_late_exactly_when_past_the_due_date(
    due: dt.date, on: dt.date, posted: dt.date | None
) -> None:
    state = rules.posting_state(due=due, posted=posted, today=on)
    if posted is None:
        assert state is (rules.PostingState.OVERDUE if on > due else rules.PostingState.DUE)
    else:
        assert state is (rules.PostingState.LATE if posted > due else rules.PostingState.ON_TIME)


# --- services -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_posting_is_recorded_with_its_due_date_and_proof(world: World) -> None:
    d = decision(world)
    posting = post(world, d, proof=pdf())
    assert posting.due_on == d.decided_on + timedelta(days=8)
    assert not posting.late and posting.recorded_by == world.officer
    assert posting.proof_content_type == "application/pdf" and posting.proof.read() == PDF
    late = post(world, decision(world), posted_on=today() - timedelta(days=1))
    assert late.late


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"posted_on": date.today() + timedelta(days=30)}, "posted_on"),
        ({"posted_on": date(2000, 1, 1)}, "posted_on"),
        ({"place": "   "}, "place"),
        ({"proof": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}, "proof"),
        ({"proof": SimpleUploadedFile("x.exe", b"%PDF-")}, "proof"),
    ],
)
def test_each_refusal_names_its_field_and_changes_nothing(
    world: World, extra: dict[str, Any], field: str
) -> None:
    d = decision(world)
    proof = extra.pop("proof", None)
    with pytest.raises(DomainError) as refused:
        post(world, d, proof=proof, **extra)
    assert refused.value.field == field
    assert not DecisionPosting.objects.exists()


@pytest.mark.django_db
def test_a_decision_is_posted_once_and_the_posting_never_changes(world: World) -> None:
    d = decision(world)
    posting = post(world, d)
    with pytest.raises(DomainError):
        post(world, d, place="Site internet")
    assert DecisionPosting.objects.get().place == posting.place
    posting.place = "ailleurs"
    with pytest.raises(DomainError):
        posting.save()
    with pytest.raises(DomainError):
        posting.delete()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor", "other_officer",
                                  "outsider"])  # fmt: skip
def test_only_the_information_officers_record_a_posting(world: World, role: str) -> None:
    with pytest.raises((AccessDenied, NotFound)):  # NotFound: the partnership is not theirs
        post(world, decision(world), by=world.user(role))
    assert not DecisionPosting.objects.exists()


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(world: World, client_for: Any, role: str | None) -> None:
    posted, waiting = decision(world), decision(world)
    post(world, posted, proof=pdf())
    slug = world.a.slug
    read = [reverse("transparency:postings", args=[slug]),
            reverse("transparency:posting_proof", args=[slug, posted.pk])]  # fmt: skip
    change = [reverse("transparency:posting_record", args=[slug, waiting.pk])]
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
def test_a_decision_of_b_is_not_found_under_a(world: World, client_for: Any) -> None:
    other = decision(world, partnership=world.b)
    url = reverse("transparency:posting_record", args=[world.a.slug, other.pk])
    assert client_for("admin").get(url).status_code == 404
    assert (
        client_for("admin")
        .get(reverse("transparency:posting_proof", args=[world.a.slug, other.pk]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_the_tracker_flags_late_and_overdue_decisions(world: World, client_for: Any) -> None:
    post(
        world, decision(world, today() - timedelta(days=30)), posted_on=today() - timedelta(days=2)
    )
    decision(world, today() - timedelta(days=12))  # overdue
    decision(world, today() - timedelta(days=1))  # due
    page = client_for("board_member").get(reverse("transparency:postings", args=[world.a.slug]))
    html = page.content.decode()
    assert "Affichée en retard" in html and "Délai dépassé" in html and "À afficher" in html
    assert "Loi organique 113-14, art. 273" in html
    assert "Enregistrer l&#x27;affichage" not in html  # a board member does not record
    summary = page.context["summary"]
    assert (summary.decisions, summary.on_time, summary.late, summary.overdue) == (3, 0, 1, 1)


@pytest.mark.django_db
def test_the_form_records_a_posting_with_its_proof(world: World, client_for: Any) -> None:
    d = decision(world)
    url = reverse("transparency:posting_record", args=[world.a.slug, d.pk])
    client = client_for("officer")
    assert "113-14" in client.get(url).content.decode()
    later = (today() + timedelta(days=5)).isoformat()
    refused = client.post(url, {"posted_on": later, "channel": "website", "place": "https://x.ma"})
    assert refused.status_code == 200 and "futur" in refused.content.decode()
    done = client.post(url, {"posted_on": today().isoformat(), "channel": "website",
                             "place": "https://commune.ma/avis", "proof": pdf()})  # fmt: skip
    assert done.status_code == 302
    posting = DecisionPosting.objects.get(decision=d)
    assert posting.channel == "website" and posting.late
    proof = client.get(reverse("transparency:posting_proof", args=[world.a.slug, d.pk]))
    assert b"".join(proof.streaming_content) == PDF


@pytest.mark.django_db
def test_the_tracker_runs_a_fixed_number_of_queries(world: World, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("transparency:postings", args=[world.a.slug])
    post(world, decision(world))
    decision(world)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):
        post(world, decision(world), proof=pdf())
        decision(world)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


# --- to-do ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_officer_is_told_what_to_post(world: World) -> None:
    overdue = decision(world, today() - timedelta(days=10))
    soon = decision(world, today() - timedelta(days=6))
    decision(world, today() - timedelta(days=1))  # not yet: 7 days left
    post(world, decision(world, today() - timedelta(days=12)))  # posted: nothing to do
    decision(world, today() - timedelta(days=10), partnership=world.b)  # not theirs
    items = {i.url: i for i in todo_for(world.officer, today=today())
             if i.source == "transparency.decisions_to_post"}  # fmt: skip
    url = lambda d: reverse("transparency:posting_record", args=[world.a.slug, d.pk])  # noqa: E731
    assert set(items) == {url(overdue), url(soon)}
    assert items[url(overdue)].urgency is Urgency.OVERDUE
    assert items[url(soon)].urgency is Urgency.SOON
    assert items[url(soon)].due_on == soon.decided_on + timedelta(days=8)
    assert overdue.number in items[url(overdue)].label
    for role in ("board_member", "treasurer", "auditor", "outsider"):
        assert decisions_to_post(world.user(role), today()) == []


@pytest.mark.django_db
def test_the_to_do_provider_runs_a_fixed_number_of_queries(world: World) -> None:
    decision(world, today() - timedelta(days=10))
    with CaptureQueriesContext(connection) as small:
        assert len(decisions_to_post(world.coordinator, today())) == 1
    for _ in range(5):
        decision(world, today() - timedelta(days=10))
        decision(world, today() - timedelta(days=10), partnership=world.b)
    world.coordinator = type(world.coordinator).objects.get(pk=world.coordinator.pk)
    with CaptureQueriesContext(connection) as large:
        assert len(decisions_to_post(world.coordinator, today())) == 6
    assert len(large) == len(small) <= 2


@pytest.mark.django_db
def test_the_selector_summary_counts_in_one_query(world: World) -> None:
    decision(world)
    with CaptureQueriesContext(connection) as queries:
        selectors.posting_summary(partnership=world.a, today=today())
    assert len(queries) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_lists_the_decisions_and_their_posting(world: World, role: str) -> None:
    posted = decision(world, today() - timedelta(days=30))
    post(world, posted, posted_on=today() - timedelta(days=1), proof=pdf())
    decision(world, today() - timedelta(days=12))
    _token, raw = ApiToken.issue(user=world.user(role), name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.get(f"/api/transparency/partnerships/{world.a.slug}/postings")
    if role not in READERS:
        assert response.status_code == 404
        return
    rows = {row["number"]: row for row in response.json()}
    assert rows[posted.number]["state"] == "late" and rows[posted.number]["has_proof"]
    assert sorted(row["state"] for row in rows.values()) == ["late", "overdue"]

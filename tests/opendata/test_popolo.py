"""Popolo JSON per public partnership: valid against the Popolo schemas of
../shared/standards, every reference resolving; only public partnerships and only the
meetings whose minutes are published; individual votes for roll-call votes only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharaka.meetings.models import Meeting, MeetingStatusChoice
from sharaka.opendata.popolo import dangling
from sharaka.partnerships.models import Partnership
from tests.meetings.conftest import MeetingWorld
from tests.meetings.test_api import _decide
from tests.opendata.conftest import PRIVATE, PUBLIC
from tests.opendata.standards import popolo_errors

pytestmark = pytest.mark.django_db


def test_demo_partnership_validates_and_resolves(demo: None, anonymous: Client) -> None:
    response = anonymous.get(f"/open-data/popolo/{PUBLIC}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    assert popolo_errors(document) == []
    assert all(document[k] for k in ("organizations", "persons", "posts", "memberships",
                                     "events", "motions", "vote_events"))  # fmt: skip
    assert any(m.get("on_behalf_of_id") for m in document["memberships"])
    counts = {c["option"] for e in document["vote_events"] for c in e["counts"]}
    assert counts == {"yes", "no", "abstain", "not voting", "absent"}
    # names for roll-call votes only; a secret ballot or a show of hands gives counts
    for event in document["vote_events"]:
        assert ("votes" in event) == (event["classification"] == "nominal"), event
    assert "nominal" in {e["classification"] for e in document["vote_events"]}
    assert anonymous.get(f"/open-data/popolo/{PRIVATE}.json").status_code == 404
    assert anonymous.get("/open-data/popolo/nope.json").status_code == 404
    index = json.loads(b"".join(anonymous.get("/open-data/popolo/").streaming_content))
    assert [i["slug"] for i in index] == ["base-de-plein-air", PUBLIC]


def _publish(mw: MeetingWorld) -> None:
    Partnership.objects.filter(pk=mw.w.a.pk).update(status="active")


def test_roll_call_votes_named_others_counted(mw: MeetingWorld, anonymous: Client) -> None:
    _publish(mw)
    _decide(mw, "Budget", mode="show_of_hands")
    _decide(mw, "Élection", mode="secret")
    _decide(mw, "Tarifs", mode="nominal")
    url = f"/open-data/popolo/{mw.w.a.slug}.json"
    # nothing is public before the minutes are published
    assert anonymous.get(url).json().get("vote_events", []) == []
    Meeting.objects.filter(partnership=mw.w.a).update(status=MeetingStatusChoice.PUBLISHED)
    document = anonymous.get(url).json()
    assert popolo_errors(document) == []
    hands, secret, nominal = document["vote_events"]
    assert "votes" not in hands and "votes" not in secret
    assert {"option": "absent", "value": 2} in nominal["counts"]
    voters = {v["voter_id"] for v in nominal["votes"]}
    persons = {p["id"] for p in document["persons"]}
    assert voters <= persons and len(voters) == 3
    assert all(v["group_id"].startswith("organization-") for v in nominal["votes"])
    # no contact detail of any member (they have e-mail addresses)
    assert "@example.org" not in json.dumps(document)


def test_dangling_names_what_does_not_resolve() -> None:
    document: dict[str, Any] = {
        "organizations": [{"id": "board-1"}],
        "memberships": [{"id": "m", "organization_id": "board-1", "person_id": "person-9"}],
        "vote_events": [{"id": "v", "votes": [{"voter_id": "person-9", "group_id": "x"}]}],
    }
    assert dangling(document) == ["group_id=x", "person_id=person-9", "voter_id=person-9"]


def test_query_count_does_not_grow(mw: MeetingWorld, anonymous: Client,
                                   django_assert_max_num_queries: Any) -> None:  # fmt: skip
    _publish(mw)
    _decide(mw, "Budget", mode="nominal")
    Meeting.objects.filter(partnership=mw.w.a).update(status=MeetingStatusChoice.PUBLISHED)
    with django_assert_max_num_queries(20) as first:
        anonymous.get(f"/open-data/popolo/{mw.w.a.slug}.json")
    for title in ("Tarifs", "Statuts", "Plan"):
        _decide(mw, title, mode="nominal")
    Meeting.objects.filter(partnership=mw.w.a).update(status=MeetingStatusChoice.PUBLISHED)
    with django_assert_max_num_queries(len(first.captured_queries)):
        anonymous.get(f"/open-data/popolo/{mw.w.a.slug}.json")

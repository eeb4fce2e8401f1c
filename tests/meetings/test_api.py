"""API /api/meetings: meetings, attendance, ballots with the member's own token, decisions,
Popolo export; problem JSON."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharaka.accounts.models import ApiToken
from sharaka.meetings import services
from sharaka.meetings.models import Ballot
from tests.meetings.conftest import MeetingWorld
from tests.opendata.standards import popolo_errors

pytestmark = pytest.mark.django_db

BASE = "/api/meetings"


def api(user: Any = None) -> Client:
    if user is None:
        return Client()
    _token, raw = ApiToken.issue(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if code:
        assert body["code"] == code
    return body


def test_meetings_list_create_read(mw: MeetingWorld) -> None:
    client = api(mw.w.coordinator)
    starts = (timezone.now() + timedelta(days=30)).isoformat()
    response = client.post(
        BASE,
        {
            "partnership": mw.w.a.slug,
            "starts_at": starts,
            "place": "Mairie",
            "kind": "extraordinary",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["partnership"] == mw.w.a.slug and body["status"] == "planned"
    assert body["kind"] == "extraordinary" and body["items"] == []
    listing = api(mw.w.auditor).get(BASE, {"partnership": mw.w.a.slug}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    assert api(mw.w.outsider).get(BASE).json()["count"] == 0
    assert api(mw.w.auditor).get(f"{BASE}/{body['id']}").json()["place"] == "Mairie"
    _problem(api(mw.w.other_officer).get(f"{BASE}/{body['id']}"), 404, "not_found")
    _problem(
        api(mw.w.board_member).post(
            BASE, {"partnership": mw.w.a.slug, "starts_at": starts}, content_type="application/json"
        ),
        403,
        "access_denied",
    )
    _problem(
        api(mw.w.admin).post(
            BASE, {"partnership": mw.w.b.slug, "starts_at": starts}, content_type="application/json"
        ),
        409,
        "board_missing",
    )
    _problem(api().get(BASE), 401)
    _problem(
        api(mw.w.admin).post(BASE, {"partnership": mw.w.a.slug}, content_type="application/json"),
        422,
        "invalid",
    )


def test_attendance_read_and_update(mw: MeetingWorld) -> None:
    meeting = mw.open(mw.convene(mw.meeting()))
    url = f"{BASE}/{meeting.pk}/attendance"
    body = api(mw.w.auditor).get(url).json()
    assert body["quorum"] is None and len(body["members"]) == 6
    assert [m["voting"] for m in body["members"]].count(False) == 1
    entries = [{"mandate_id": mw.m[n].pk, "status": "present"} for n in ("chair", "a", "b")]
    entries.append(
        {
            "mandate_id": mw.m["c"].pk,
            "status": "proxy",
            "proxy_holder_mandate_id": mw.m["a"].pk,
            "proxy_reference": "P-1",
        }
    )
    response = api(mw.w.coordinator).put(url, {"entries": entries}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["quorum"] == {
        "met": True,
        "present": 4,
        "electorate": 5,
        "required": "1/2",
    }
    bad = [
        {
            "mandate_id": mw.m["secretary"].pk,
            "status": "proxy",
            "proxy_holder_mandate_id": mw.m["a"].pk,
            "proxy_reference": "P-2",
        }
    ]
    body = _problem(
        api(mw.w.coordinator).put(url, {"entries": bad}, content_type="application/json"), 422
    )
    assert body["errors"] and "pouvoirs" in body["detail"]
    _problem(
        api(mw.w.board_member).put(url, {"entries": entries}, content_type="application/json"), 403
    )


def test_ballots_cast_with_the_members_own_token(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting, mode="nominal")
    url = f"{BASE}/motions/{motion.pk}/ballots"
    response = api(mw.users["b"]).post(url, {"choice": "yes"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["entered_by_secretary"] is False
    _problem(
        api(mw.users["b"]).post(url, {"choice": "no"}, content_type="application/json"),
        409,
        "already_voted",
    )
    _problem(
        api(mw.users["expert"]).post(url, {"choice": "no"}, content_type="application/json"),
        409,
        "not_a_voting_member",
    )
    _problem(
        api(mw.w.other_officer).post(url, {"choice": "no"}, content_type="application/json"), 404
    )
    _problem(
        api(mw.users["a"]).post(url, {"choice": "maybe"}, content_type="application/json"), 422
    )
    record = f"{BASE}/motions/{motion.pk}/ballots/record"
    response = api(mw.users["secretary"]).post(
        record, {"mandate_id": mw.m["c"].pk, "choice": "no"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["entered_by_secretary"] is True
    _problem(
        api(mw.users["a"]).post(
            record,
            {"mandate_id": mw.m["chair"].pk, "choice": "no"},
            content_type="application/json",
        ),
        403,
    )
    open_state = api(mw.w.auditor).get(f"{BASE}/motions/{motion.pk}").json()
    assert open_state["status"] == "open" and open_state["ballot_count"] == 2
    assert open_state["counts"] is None and open_state["votes"] is None
    services.motion_close(by=mw.admin, motion=motion)
    _problem(
        api(mw.users["a"]).post(url, {"choice": "yes"}, content_type="application/json"),
        409,
        "motion_closed",
    )
    closed = api(mw.w.auditor).get(f"{BASE}/motions/{motion.pk}").json()
    assert closed["adopted"] is False and closed["counts"]["no"] == 1
    assert {"name": "B Membre", "choice": "yes", "by_proxy": False} in closed["votes"]
    assert closed["explanation"][-1] == "La délibération n'est pas adoptée."
    assert Ballot.objects.filter(motion=motion).count() == 2


def _decide(mw: MeetingWorld, title: str, mode: str = "show_of_hands") -> Any:
    meeting = mw.open(mw.convene(mw.meeting(items=(("deliberation", title),))))
    mw.attend(meeting, chair="present", secretary="present", a="present")
    motion = mw.motion(meeting, mode=mode)
    if mode in ("secret", "nominal"):
        for name in ("chair", "secretary", "a"):
            services.ballot_cast(by=mw.users[name], motion=motion, choice="yes")
    else:
        mw.record(motion, chair="yes", secretary="yes", a="abstain")
    return services.motion_close(by=mw.admin, motion=motion).decision


def test_decisions_list_search_read(mw: MeetingWorld) -> None:
    first = _decide(mw, "Budget 2027")
    second = _decide(mw, "Tarifs", mode="secret")
    client = api(mw.w.treasurer)
    listing = client.get(f"{BASE}/decisions", {"partnership": mw.w.a.slug}).json()
    assert [d["number"] for d in listing["items"]] == [second.number, first.number]
    found = client.get(f"{BASE}/decisions", {"q": "budget"}).json()
    assert [d["id"] for d in found["items"]] == [first.pk]
    detail = client.get(f"{BASE}/decisions/{first.pk}").json()
    assert detail["snapshot"]["result"]["counts"]["abstain"] == 1
    assert detail["chain_position"] == 2 and len(detail["chain_hash"]) == 64
    assert client.get(f"{BASE}/decisions/{second.pk}").json()["snapshot"]["votes"] is None
    _problem(api(mw.w.other_officer).get(f"{BASE}/decisions/{first.pk}"), 404)
    assert api(mw.w.other_officer).get(f"{BASE}/decisions").json()["count"] == 0
    _problem(api(mw.w.other_officer).get(f"{BASE}/decisions", {"partnership": mw.w.a.slug}), 404)


def test_popolo_export(mw: MeetingWorld) -> None:
    """Valid Popolo (schemas of ../shared/standards): date-times, the meeting as the
    event every motion and vote event names, absent members counted, group as an id;
    individual votes for a roll-call vote only."""
    hands = _decide(mw, "Budget 2027")
    _decide(mw, "Élection", mode="secret")
    roll_call = _decide(mw, "Tarifs", mode="nominal")
    body = api(mw.w.auditor).get(f"{BASE}/partnerships/{mw.w.a.slug}/popolo").json()
    assert popolo_errors(body, resolve=False) == []
    assert len(body["motions"]) == 3 and len(body["vote_events"]) == 3
    events = {e["id"] for e in body["events"]}
    assert len(events) == 3
    motion, event = body["motions"][0], body["vote_events"][0]
    assert motion["result"] == "pass" and motion["organization_id"] == f"board-{mw.board.pk}"
    assert motion["identifier"] == hands.number and motion["date"].endswith("+00:00")
    assert {m["legislative_session_id"] for m in body["motions"]} == events
    assert event["motion_id"] == motion["id"]
    # 5 voting members: 3 present (2 yes, 1 abstain), 2 absent
    assert {"option": "abstain", "value": 1} in event["counts"]
    assert {"option": "absent", "value": 2} in event["counts"]
    assert "votes" not in event  # a show of hands: counts only
    secret = body["vote_events"][1]
    assert "votes" not in secret and {"option": "yes", "value": 3} in secret["counts"]
    nominal = body["vote_events"][2]
    assert nominal["identifier"] == roll_call.number
    voters = {v["voter_id"]: v for v in nominal["votes"]}
    vote = voters[f"person-{mw.m['a'].person_id}"]
    assert vote["option"] == "yes" and vote["group_id"].startswith("organization-")
    _problem(api(mw.w.other_officer).get(f"{BASE}/partnerships/{mw.w.a.slug}/popolo"), 404)

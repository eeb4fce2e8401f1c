"""The deliberations page, its forms, the document and the oversight dashboard: access per
route and role, fixed query counts, overdue badges, a terminated partnership read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharaka.conventions import deliberation_selectors, selectors, services
from sharaka.conventions.models import ConventionVersion, Deliberation
from sharaka.partnerships.models import Party
from tests.conftest import World
from tests.factories import OrganizationFactory

LIST = "/partenariats/partenariat-a/convention/deliberations/"
DASHBOARD = "/tutelle/deliberations/"
SESSION = dt.date(2025, 7, 7)


def _lead(world: World) -> Party:
    return Party.objects.get(partnership=world.a, organization=world.a.lead_authority)


def _record(world: World, version: ConventionVersion, party: Party | None = None,
            **fields: Any) -> Deliberation:  # fmt: skip
    values = {"version": version, "number": f"D-{Deliberation.objects.count()}",
              "session_date": SESSION} | fields  # fmt: skip
    return services.deliberation_record(by=world.admin, party=party or _lead(world), fields=values)


# the roles of tests/conftest.py: officer and coordinator change; the readers of A read;
# other_officer and outsider do not see A (404); anonymous goes to sign in (302).
READ = {
    "admin": 200, "officer": 200, "coordinator": 200, "board_member": 200, "treasurer": 200,
    "auditor": 200, "other_officer": 404, "outsider": 404, None: 302,
}  # fmt: skip
CHANGE = READ | {"board_member": 403, "treasurer": 403, "auditor": 403}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(READ))
def test_access_per_route_and_role(
    client_for: Any, world: World, signed: ConventionVersion, role: str | None
) -> None:
    deliberation = _record(world, signed)
    client = client_for(role)
    party = _lead(world).pk
    assert client.get(LIST).status_code == READ[role]
    assert client.get(f"{LIST}parties/{party}/ajouter/").status_code == CHANGE[role]
    assert client.get(f"{LIST}{deliberation.pk}/").status_code == CHANGE[role]
    assert client.get(f"{LIST}{deliberation.pk}/document/").status_code == (
        404 if READ[role] == 200 else READ[role]  # no document deposited
    )


@pytest.mark.django_db
def test_record_through_the_page_and_refusal_on_the_field(
    client_for: Any, world: World, signed: ConventionVersion
) -> None:
    client = client_for("officer")
    url = f"{LIST}parties/{_lead(world).pk}/ajouter/"
    data = {"version": signed.pk, "number": "D-7", "session_date": "2025-07-07",
            "transmitted_on": "2025-07-01", "oversight": "pending", "visa": "pending"}  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200 and not Deliberation.objects.exists()
    assert refused.context["form"].errors["transmitted_on"]
    done = client.post(url, data | {"transmitted_on": "2025-07-09"})
    assert done.status_code == 302 and done["Location"] == LIST
    deliberation = Deliberation.objects.get()
    assert deliberation.transmitted_on == dt.date(2025, 7, 9)
    assert deliberation.history.get().history_user == world.officer
    edit = client.post(f"{LIST}{deliberation.pk}/", data | {
        "transmitted_on": "2025-07-09", "oversight": "no_objection"})  # fmt: skip
    assert edit.status_code == 302
    deliberation.refresh_from_db()
    assert deliberation.oversight == "no_objection"
    page = client.get(LIST)
    assert 'data-cleared="yes"' in page.content.decode()
    assert DASHBOARD in page.content.decode()  # an officer has the dashboard
    assert DASHBOARD not in client_for("coordinator").get(LIST).content.decode()


@pytest.mark.django_db
def test_overdue_badge_and_fixed_queries(
    client_for: Any, world: World, signed: ConventionVersion
) -> None:
    _record(world, signed)  # never transmitted: overdue since 2025-07-28
    client = client_for("officer")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LIST)
        assert page.status_code == 200
        return len(queries)

    small = count()
    assert "data-overdue" in client.get(LIST).content.decode()
    for _n in range(4):
        party = Party.objects.create(partnership=world.a, role="partner",
                                     organization=OrganizationFactory())  # fmt: skip
        _record(world, signed, party, transmitted_on=SESSION)
    assert count() == small
    print(f"deliberations page: {small} queries")


@pytest.mark.django_db
def test_a_terminated_partnership_is_read_only(
    client_for: Any, world: World, signed: ConventionVersion
) -> None:
    deliberation = _record(world, signed)
    world.a.status = "terminated"
    world.a.save()
    client = client_for("officer")
    assert client.get(LIST).status_code == 200
    assert "Enregistrer une délibération" not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{deliberation.pk}/").status_code == 403


@pytest.mark.django_db
def test_dashboard_lists_waiting_deliberations_by_due_date_paged_by_key(
    client_for: Any, world: World, signed: ConventionVersion, monkeypatch: Any
) -> None:
    lead = world.a.lead_authority
    first = _record(world, signed, session_date=dt.date(2025, 7, 14))  # due later
    others = []
    for role in ("partner", "funder", "operator"):
        party = Party.objects.create(partnership=world.a, role=role,
                                     organization=OrganizationFactory())  # fmt: skip
        others.append(_record(world, signed, party))
    # the three other rows belong to the lead authority too (a party in three roles)
    Party.objects.filter(pk__in=[o.party_id for o in others]).update(organization=lead)
    waiting = [*(o.pk for o in others), first.pk]  # same due date: the pk breaks the tie
    page = client_for("admin").get(DASHBOARD, {"authority": lead.pk})
    assert page.status_code == 200
    assert [r.deliberation.pk for r in page.context["page"].rows] == waiting
    assert "data-overdue" in page.content.decode()
    officer = client_for("officer").get(DASHBOARD)
    assert officer.context["page"].authority == lead and len(officer.context["page"].rows) == 4
    assert client_for("other_officer").get(DASHBOARD).context["page"].rows == ()
    assert client_for("auditor").get(DASHBOARD).status_code == 403
    assert client_for(None).get(DASHBOARD).status_code == 302
    # a cleared deliberation leaves the dashboard
    services.deliberation_update(by=world.admin, deliberation=first, fields={
        "transmitted_on": dt.date(2025, 7, 15), "oversight": "no_objection"})  # fmt: skip
    monkeypatch.setattr(deliberation_selectors, "DASHBOARD_PAGE", 1)
    seen, after, pages = [], "", 0
    while True:
        view = selectors.oversight_dashboard_get(user=world.admin, authority_id=lead.pk,
                                                 after=after)  # fmt: skip
        seen += [r.deliberation.pk for r in view.rows]
        pages += 1
        if not view.next_key:
            break
        after = view.next_key
    assert seen == waiting[:3] and pages == 3


@pytest.mark.django_db
def test_dashboard_costs_a_fixed_number_of_queries(
    client_for: Any, world: World, signed: ConventionVersion
) -> None:
    _record(world, signed)
    client = client_for("officer")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD).status_code == 200
        return len(queries)

    small = count()
    for role in ("partner", "funder"):
        party = Party.objects.create(partnership=world.a, role=role,
                                     organization=OrganizationFactory())  # fmt: skip
        _record(world, signed, party)
        Party.objects.filter(pk=party.pk).update(organization=world.a.lead_authority)
    assert count() == small
    print(f"oversight dashboard: {small} queries")


@pytest.mark.django_db
def test_the_document_is_read_by_readers_and_writes_refused_to_them(
    client_for: Any, world: World, signed: ConventionVersion, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    pdf = SimpleUploadedFile("délibération.pdf", b"%PDF-1.4 session du conseil")
    deliberation = _record(world, signed, document=pdf)
    url = f"{LIST}{deliberation.pk}/document/"
    download = client_for("auditor").get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for("outsider").get(url).status_code == 404
    post = {"version": signed.pk, "number": "X", "session_date": "2025-07-07",
            "oversight": "pending", "visa": "pending"}  # fmt: skip
    assert client_for("auditor").post(f"{LIST}{deliberation.pk}/", post).status_code == 403
    assert client_for("treasurer").post(
        f"{LIST}parties/{_lead(world).pk}/ajouter/", post).status_code == 403  # fmt: skip
    deliberation.refresh_from_db()
    assert deliberation.number != "X" and Deliberation.objects.count() == 1

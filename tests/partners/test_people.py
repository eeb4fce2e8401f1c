"""Councillor and bureau pages (art. 65, ADR 0030): services with their refusals (a refusal
changes nothing, a term is never deleted), access per role and route, paging by key, fixed
query counts at two sizes."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharaka.core.errors import DomainError, NotFound
from sharaka.partners import people
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import BureauMember, Councillor
from tests.conftest import ROLES, sign_in
from tests.factories import PersonFactory
from tests.partners.conftest import PartnersWorld

pytestmark = pytest.mark.django_db

ALLOWED = {"admin", "officer"}
START = date(2021, 9, 20)


def _client(pw: PartnersWorld, role: str | None) -> Client:
    client = Client()
    if role == "member":
        sign_in(client, pw.member)
    elif role is not None:
        sign_in(client, pw.w.user(role))
    return client


def _councillor(pw: PartnersWorld, **kwargs: object) -> Councillor:
    return people.councillor_add(by=pw.w.officer, authority=pw.authority,
                                 person=PersonFactory(), start_date=START, **kwargs)  # type: ignore[arg-type]  # fmt: skip


def _member(pw: PartnersWorld) -> BureauMember:
    return people.bureau_member_add(by=pw.w.officer, file=pw.file, person=PersonFactory(),
                                    role="Trésorier", start_date=START)  # fmt: skip


# --- Services ------------------------------------------------------------------------------


def test_councillor_add_and_end_keeps_the_term(pw: PartnersWorld) -> None:
    seat = _councillor(pw)
    ended = people.councillor_end(by=pw.w.officer, councillor=seat, end_date=date(2026, 9, 1))
    assert ended.end_date == date(2026, 9, 1)
    assert Councillor.objects.filter(pk=seat.pk).exists()
    assert seat.history.count() == 2  # type: ignore[attr-defined]


def test_end_before_start_is_refused_naming_the_field(pw: PartnersWorld) -> None:
    with pytest.raises(DomainError) as refusal:
        _councillor(pw, end_date=date(2020, 1, 1))
    assert refusal.value.code == Code.DATES_ORDER and refusal.value.field == "end_date"
    assert not Councillor.objects.exists()
    seat = _councillor(pw)
    with pytest.raises(DomainError) as refusal:
        people.councillor_end(by=pw.w.officer, councillor=seat, end_date=date(2020, 1, 1))
    assert refusal.value.field == "end_date"
    seat.refresh_from_db()
    assert seat.end_date is None


def test_duplicate_open_term_is_refused(pw: PartnersWorld) -> None:
    seat = _councillor(pw)
    with pytest.raises(DomainError) as refusal:
        people.councillor_add(by=pw.w.officer, authority=pw.authority, person=seat.person,
                              start_date=date(2024, 1, 1))  # fmt: skip
    assert refusal.value.code == Code.TERM_OPEN and refusal.value.field == "person"
    assert Councillor.objects.count() == 1
    # Once the term has ended, a new one may start after it.
    people.councillor_end(by=pw.w.officer, councillor=seat, end_date=date(2023, 12, 31))
    people.councillor_add(by=pw.w.officer, authority=pw.authority, person=seat.person,
                          start_date=date(2024, 1, 1))  # fmt: skip
    assert Councillor.objects.count() == 2


def test_ending_twice_is_refused(pw: PartnersWorld) -> None:
    member = _member(pw)
    people.bureau_member_end(by=pw.w.officer, file=pw.file, member=member, end_date=START)
    with pytest.raises(DomainError) as refusal:
        people.bureau_member_end(by=pw.w.officer, file=pw.file, member=member,
                                 end_date=date(2026, 1, 1))  # fmt: skip
    assert refusal.value.code == Code.TERM_ENDED
    member.refresh_from_db()
    assert member.end_date == START


def test_bureau_duplicate_and_other_authority(pw: PartnersWorld) -> None:
    member = _member(pw)
    with pytest.raises(DomainError) as refusal:
        people.bureau_member_add(by=pw.w.officer, file=pw.file, person=member.person, role="",
                                 start_date=date(2025, 1, 1))  # fmt: skip
    assert refusal.value.field == "person"
    other = pw.w.user("other_officer")
    with pytest.raises(NotFound):
        people.bureau_member_add(by=other, file=pw.file, person=PersonFactory(), role="",
                                 start_date=START)  # fmt: skip
    with pytest.raises(NotFound):
        people.councillor_add(by=other, authority=pw.authority, person=PersonFactory(),
                              start_date=START)  # fmt: skip
    assert BureauMember.objects.count() == 1 and not Councillor.objects.exists()


# --- Pages ---------------------------------------------------------------------------------


def _urls(pw: PartnersWorld) -> tuple[list[str], list[str]]:
    seat, member = _councillor(pw), _member(pw)
    reads = [
        reverse("partners:councillors", kwargs={"authority": pw.authority.pk}),
        reverse("partners:bureau", kwargs={"pk": pw.file.pk}),
    ]
    writes = [
        reverse("partners:councillor_add", kwargs={"authority": pw.authority.pk}),
        reverse("partners:councillor_end", kwargs={"authority": pw.authority.pk, "pk": seat.pk}),
        reverse("partners:bureau_add", kwargs={"pk": pw.file.pk}),
        reverse("partners:bureau_end", kwargs={"pk": pw.file.pk, "member": member.pk}),
    ]
    return reads, writes


@pytest.mark.parametrize("role", [*ROLES, "member"])
def test_each_route_per_role(pw: PartnersWorld, role: str) -> None:
    client = _client(pw, role)
    reads, writes = _urls(pw)
    for url in [*reads, *writes]:
        assert client.get(url).status_code == (200 if role in ALLOWED else 404), (url, role)
    end = writes[1]
    response = client.post(end, {"end_date": "2026-06-30"})
    assert response.status_code == (302 if role in ALLOWED else 404)
    ended = Councillor.objects.filter(end_date=date(2026, 6, 30)).exists()
    assert ended == (role in ALLOWED)


def test_anonymous_is_sent_to_sign_in(pw: PartnersWorld) -> None:
    reads, writes = _urls(pw)
    for url in [*reads, *writes]:
        response = Client().get(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"], url


def test_add_page_saves_and_refusal_names_the_field(pw: PartnersWorld) -> None:
    client = _client(pw, "officer")
    url = reverse("partners:bureau_add", kwargs={"pk": pw.file.pk})
    person = PersonFactory()
    bad = {"person": person.pk, "role": "Président", "start_date": "2024-05-01",
           "end_date": "2024-01-01"}  # fmt: skip
    response = client.post(url, bad)
    assert response.status_code == 200 and not BureauMember.objects.exists()
    assert "end_date" in response.context["form"].errors
    response = client.post(url, {**bad, "end_date": ""})
    assert response.status_code == 302
    assert BureauMember.objects.get().role == "Président"


def test_links_from_the_authority_and_file_pages(pw: PartnersWorld) -> None:
    client = _client(pw, "officer")
    files = client.get(reverse("partners:files", kwargs={"authority": pw.authority.pk}))
    assert reverse("partners:councillors", kwargs={"authority": pw.authority.pk}) in files.text
    file = client.get(reverse("partners:file", kwargs={"pk": pw.file.pk}))
    assert reverse("partners:bureau", kwargs={"pk": pw.file.pk}) in file.text


def test_paging_by_key(pw: PartnersWorld) -> None:
    seats = [_councillor(pw) for _n in range(5)]
    first = people.councillor_page_get(user=pw.w.officer, authority=pw.authority, size=3)
    assert [s.pk for s in first.rows] == [s.pk for s in seats[:3]]
    after = people.parse_after(first.next_after)
    second = people.councillor_page_get(
        user=pw.w.officer, authority=pw.authority, after=after, size=3
    )
    assert [s.pk for s in second.rows] == [s.pk for s in seats[3:]] and not second.next_after
    assert people.parse_after("x.1") is None and people.parse_after("9" * 20 + ".1") is None


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_fixed_query_counts(pw: PartnersWorld) -> None:
    client = _client(pw, "officer")
    urls = [
        reverse("partners:councillors", kwargs={"authority": pw.authority.pk}),
        reverse("partners:bureau", kwargs={"pk": pw.file.pk}),
    ]
    _councillor(pw), _member(pw)
    small = [_count(client, url) for url in urls]
    for _n in range(6):
        _councillor(pw), _member(pw)
    large = [_count(client, url) for url in urls]
    assert small == large
    assert large[0] <= 8 and large[1] <= 8, large


@pytest.mark.parametrize(
    ("language", "expected"), [("ar", "منتخبو المجلس"), ("en", "Council members")]
)
def test_list_is_translated(pw: PartnersWorld, language: str, expected: str) -> None:
    client = _client(pw, "officer")
    url = reverse("partners:councillors", kwargs={"authority": pw.authority.pk})
    response = client.get(url, headers={"accept-language": language})
    assert expected in response.text

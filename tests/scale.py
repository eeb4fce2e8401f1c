"""Helpers of the "pages that stay fast" tests (issue 19): fill the directory with many rows
and check that a page's HTML and query count do not grow with it."""

from __future__ import annotations

from itertools import count
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sharaka.directory.models import College, Organization, OrganizationKind, Person

_batch = count()


def fill_directory(rows: int = 300) -> None:
    """``rows`` people, communes, associations and companies more in the directory."""
    n = next(_batch)
    kinds = (
        (OrganizationKind.COMMUNE, College.LOCAL_PUBLIC, "Commune"),
        (OrganizationKind.ASSOCIATION, College.ASSOCIATIVE, "Association"),
        (OrganizationKind.PRIVATE_COMPANY, College.PRIVATE, "Société"),
    )
    Organization.objects.bulk_create(
        Organization(name=f"{label} de masse {n}-{i}", kind=kind, default_college=college)
        for kind, college, label in kinds
        for i in range(rows)
    )
    Person.objects.bulk_create(
        Person(first_name=f"Prénom{i}", last_name=f"Masse{n}-{i}", gender="f") for i in range(rows)
    )


def page_weight(client: Client, url: str) -> tuple[int, int]:
    """(length of the HTML, number of queries) of ``url`` (a second request: warm caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(response.content), len(queries)


def assert_stays_small(client: Client, url: str, rows: int = 300) -> Any:
    """The page weighs the same with ``rows`` more of each kind in the directory."""
    before = page_weight(client, url)
    fill_directory(rows)
    after = page_weight(client, url)
    assert after == before, (url, before, after)
    return after

"""Issue 19: appointing a member searches the directory instead of listing all of it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sharaka.directory.models import Person
from sharaka.governance.models import Mandate
from tests.governance.conftest import START, BoardWorld
from tests.scale import assert_stays_small


def test_appoint_page_does_not_grow_with_the_directory(bw: BoardWorld, client_for: Any) -> None:
    seat = bw.seat(bw.commune)
    url = reverse("governance:mandate_add", kwargs={"slug": bw.w.a.slug, "seat_id": seat.pk})
    client = client_for("officer")
    assert_stays_small(client, url)
    html = client.get(url).content.decode()
    assert 'role="combobox"' in html and "<option" not in html.split('id="id_person"')[1][:200]
    # The id chosen in the listbox is checked on the server and seats the person.
    person = Person.objects.order_by("-pk").first()
    assert person is not None
    response = client.post(url, {"person": person.pk, "start_date": START.isoformat()})
    assert response.status_code == 302
    assert Mandate.objects.filter(seat=seat, person=person).exists()
    refused = client.post(
        reverse("governance:mandate_add", kwargs={"slug": bw.w.a.slug,
                                                  "seat_id": bw.seat(bw.commune, 1).pk}),
        {"person": "999999999", "start_date": START.isoformat()},
    )  # fmt: skip
    assert refused.status_code == 200 and 'id="id_person"' in refused.content.decode()

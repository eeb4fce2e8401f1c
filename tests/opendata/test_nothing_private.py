"""Nothing that is not public reaches an open-data output.

The demo plus private records: a partnership that is not public (the demo's
``programme-emploi-jeunes``, and a draft one), decisions of a meeting whose minutes are
not published, secret ballot choices, people's and organisations' contact details and
notes, proxy references, expense suppliers and documents, board-pack documents, accounts.
Every public output — the portal's pages and feeds, every CSV, the Data Package, Popolo
for every public partnership and its index, IATI, the catalogue page and its JSON-LD, the
command-line exports — is searched for each of them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from sharaka.cli import main
from sharaka.core.models import UploadedDocument
from sharaka.directory.models import Organization, Person
from sharaka.evaluation.models import Evaluation, Judgement, Recommendation
from sharaka.finance.models import Expense
from sharaka.meetings.models import Attendance, Decision, Meeting, MeetingStatusChoice
from sharaka.opendata.datasets import DATASETS
from sharaka.opendata.selectors import public_partnerships
from sharaka.partnerships.models import Partnership
from sharaka.transparency.models import CommunicationAction, PublicationRecord
from tests.meetings.test_api import _decide
from tests.opendata.conftest import PRIVATE, PUBLIC, body

pytestmark = pytest.mark.django_db

PHONE = "+212 6 11 22 33 44"
NOTE = "Observation confidentielle 7Q"


def _outputs(client: Client, tmp_path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    paths = ["/open-data/", "/open-data/catalog.jsonld", "/open-data/datapackage.json",
             "/open-data/popolo/", "/open-data/iati.xml"]  # fmt: skip
    paths += [f"/open-data/{d.filename}" for d in DATASETS]
    slugs = list(public_partnerships().values_list("slug", flat=True))
    paths += [f"/open-data/popolo/{slug}.json" for slug in slugs]
    # the portal: its list, each partnership's page (the public summary) and its feeds
    paths += ["/portail/"] + [f"/portail/{slug}/{tail}" for slug in slugs for tail in
                              ("", "decisions.rss", "decisions.atom", "reunions.ics")]  # fmt: skip
    for language in ("fr", "ar", "en"):
        for path in paths:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            text = body(response).decode("utf-8")
            # JSON escapes nothing we look for (ensure_ascii=False), HTML escapes quotes
            found[f"{language} {path}"] = text
    tmp_path.mkdir()
    out = tmp_path / "export"
    assert main(["export", "datapackage", "-o", str(out)]) == 0
    assert main(["export", "iati", "-o", str(out / "iati.xml")]) == 0
    assert main(["export", "popolo", PUBLIC, "-o", str(out / "popolo.json")]) == 0
    for file in out.iterdir():
        found[f"cli {file.name}"] = file.read_text(encoding="utf-8")
    return found


def _private_values() -> set[str]:
    values: set[str] = {PRIVATE, PHONE, NOTE}
    private = Partnership.objects.exclude(pk__in=public_partnerships())
    for partnership in private:
        values |= {partnership.slug, partnership.title}
    for person in Person.objects.all():
        values |= {person.email, person.phone, person.notes}
    public_names = set(Organization.objects.values_list("name", flat=True))
    for organization in Organization.objects.all():
        values |= {organization.email, organization.phone, organization.notes,
                   organization.address, organization.legal_identifier,
                   organization.registration_number, organization.receipt_number}  # fmt: skip
    for user in get_user_model().objects.all():
        values |= {user.email, user.username}
    values |= set(Attendance.objects.values_list("proxy_reference", flat=True))
    for expense in Expense.objects.all():
        values |= {expense.document_name, expense.reference}
        if expense.supplier not in public_names:
            values.add(expense.supplier)
    for model in apps.get_models():
        if issubclass(model, UploadedDocument):
            for title, name in model.objects.values_list("title", "original_name"):
                values |= {title, name}
    # the communication plan: actions not public, and the evidence of every action
    for message, public, evidence in CommunicationAction.objects.values_list(
        "message", "public", "evidence"
    ):
        values |= {evidence} | ({message} if not public else set())
    # evaluations: the portal shows scores and dates of the published ones, never the words
    for findings, gender in Evaluation.objects.values_list("findings", "gender_answer"):
        values |= {findings, gender}
    values |= set(Judgement.objects.values_list("justification", flat=True))
    for text, follow_up in Recommendation.objects.values_list("text", "follow_up"):
        values |= {text, follow_up}
    # proactive publication records: only the day and the support are public
    for place, url, note in PublicationRecord.objects.values_list("place", "url", "note"):
        values |= {place, url, note}
    return {v for v in values if v and len(v) >= 6}


def _leaks(outputs: dict[str, str], values: set[str]) -> list[str]:
    leaks = []
    for where, text in outputs.items():
        html = text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        leaks += [f"{value!r} in {where}" for value in values if value in html]
    return leaks


def test_no_private_record_in_any_public_output(demo: None, tmp_path: Path) -> None:
    Partnership.objects.create(
        title="Partenariat confidentiel en brouillon", slug="brouillon-confidentiel",
        kind="management", category="facility", sector="other", complexity="small",
        lead_authority=Partnership.objects.get(slug=PUBLIC).lead_authority,
    )  # fmt: skip
    Person.objects.update(phone=PHONE, notes=NOTE)
    actions = CommunicationAction.objects.filter(partnership__slug=PUBLIC)
    actions.filter(pk=actions.order_by("pk").values("pk")[:1]).update(
        public=False, message="Action interne du plan, non publiée"
    )
    actions.filter(status="done").update(evidence="Preuve interne : liste des présents 9Z")
    Organization.objects.update(phone=PHONE, notes=NOTE, email="contact@prive.example")
    PublicationRecord.objects.create(
        partnership=Partnership.objects.get(slug=PUBLIC), item="audit_reports",
        published_on=date(2026, 3, 2), channel="website", place="Intranet du service 7Q",
        url="https://intranet.example/rapport-interne-7Q", note="Note interne du rapport 7Q",
    )  # fmt: skip
    # the demo's signed minutes come back to unpublished: their decisions become drafts
    published = Meeting.objects.get(partnership__slug=PUBLIC, status=MeetingStatusChoice.PUBLISHED)
    decisions = list(Decision.objects.filter(meeting=published))
    assert decisions
    client = Client()
    outputs = _outputs(client, tmp_path / "before")
    private = _private_values()
    assert _leaks(outputs, private) == []
    # control: the decisions and the public partnership are there while published
    assert all(d.number in outputs["fr /open-data/decisions.csv"] for d in decisions)
    assert PUBLIC in outputs["fr /open-data/partnerships.csv"]
    evaluations = Evaluation.objects.filter(board_decision__in=decisions, status="completed")
    assert evaluations  # the demo's mid-term evaluation, taken note of in these minutes
    assert all(f'id="evaluation-{e.pk}"' in outputs[f"fr /portail/{PUBLIC}/"] for e in evaluations)
    Meeting.objects.filter(pk=published.pk).update(status=MeetingStatusChoice.MINUTES_SIGNED)
    outputs = _outputs(client, tmp_path / "after")
    drafts = {d.number for d in decisions} | {d.text for d in decisions}
    assert _leaks(outputs, private | drafts) == []
    page = outputs[f"fr /portail/{PUBLIC}/"]
    assert not any(f'id="evaluation-{e.pk}"' in page for e in evaluations)


def test_secret_ballots_give_counts_only(mw: Any) -> None:
    """A published secret ballot: counts in the Popolo and the CSV, no voter, no choice
    of anyone, no college's choices."""
    Partnership.objects.filter(pk=mw.w.a.pk).update(status="active")
    decision = _decide(mw, "Élection", mode="secret")
    Meeting.objects.filter(partnership=mw.w.a).update(status=MeetingStatusChoice.PUBLISHED)
    client = Client()
    document = client.get(f"/open-data/popolo/{mw.w.a.slug}.json").json()
    (event,) = document["vote_events"]
    assert event["classification"] == "secret" and "votes" not in event
    text = json.dumps(document)
    assert "voter_id" not in text and "electorate" not in text and "attendance" not in text
    rows = body(client.get("/open-data/decisions.csv")).decode()
    assert decision.number in rows
    assert "chair@example.org" not in text + rows

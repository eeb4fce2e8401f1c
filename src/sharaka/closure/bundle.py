"""Build the closure archive of a partnership (``closure.archive`` writes and verifies it)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from sharaka.closure import report, selectors
from sharaka.closure.archive import write_zip
from sharaka.conventions.models import ConventionVersion
from sharaka.core.spreadsheets import csv_text
from sharaka.meetings import document as minutes_document
from sharaka.meetings import selectors as meeting_selectors
from sharaka.meetings import verify
from sharaka.meetings.models import Decision, Minutes, MinutesStatus
from sharaka.partnerships.models import Party, StatusTransition


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()


def _csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A register as CSV: UTF-8, English headers, cells guarded against formulas."""
    return csv_text([headers, *rows]).encode("utf-8")


def _chain_verification() -> bytes:
    """What ``sharaka verify`` says of the hash chain (votes, decisions, signed minutes)
    today: its exit code and its output, by the very function behind the command."""
    out, err = io.StringIO(), io.StringIO()
    code = verify.main(out, err)
    return f"$ sharaka verify\nexit code: {code}\n{out.getvalue()}{err.getvalue()}".encode()


def _stored(field: Any) -> bytes | None:
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            data: bytes = handle.read()
            return data
    except (FileNotFoundError, OSError):
        return None


def _signed_minutes(partnership: Any) -> list[tuple[str, bytes]]:
    """Every signed minutes of the partnership's meetings, as the PDF its meeting page gives
    (in French, the language of the record; their hashes are in the chain that
    ``decisions/sharaka-verify.txt`` verifies)."""
    signed = (
        Minutes.objects.filter(meeting__partnership=partnership, status=MinutesStatus.SIGNED)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        (f"proces-verbaux/proces-verbal-{m.meeting.day.isoformat()}-{m.pk}.pdf",
         minutes_document.render_pdf(meeting_selectors.minutes_document_get(m, lang="fr")))
        for m in signed
    ]  # fmt: skip


def build(*, partnership: Any) -> bytes:
    """The archive of ``partnership``: the closure report (fr, ar), its data as JSON and its
    registers as CSV, the chain's verification, the signed minutes, the signed convention
    copies, the termination document and the wind-down evidence."""
    files: list[tuple[str, bytes]] = []
    for lang in report.LANGS:
        document = report.report_get(partnership=partnership, lang=lang)
        files.append((f"rapport-de-cloture-{lang}.pdf", report.render_pdf(document)))
    parties = [
        {"organization": p.organization.name, "role": p.role}
        for p in Party.objects.filter(partnership=partnership).select_related("organization")
        .order_by("role", "organization__name", "pk")
    ]  # fmt: skip
    transitions = [
        {"at": t.at.isoformat(), "from": t.from_status, "to": t.to_status,
         "by": str(t.by) if t.by else None, "note": t.note}
        for t in StatusTransition.objects.filter(partnership=partnership)
        .select_related("by").order_by("at", "pk")
    ]  # fmt: skip
    files.append(
        (
            "registres/parties.csv",
            _csv(["organization", "role"], [[p["organization"], p["role"]] for p in parties]),
        )
    )
    files.append(
        (
            "registres/status-changes.csv",
            _csv(
                ["at", "from", "to", "by", "note"],
                [[t["at"], t["from"], t["to"], t["by"] or "", t["note"]] for t in transitions],
            ),
        )
    )
    files.append(("donnees/partenariat.json", _json({
        "slug": partnership.slug, "title": partnership.title, "status": partnership.status,
        "lead_authority": partnership.lead_authority.name,
        "start_date": partnership.start_date, "end_date": partnership.end_date,
        "parties": parties, "transitions": transitions,
    })))  # fmt: skip
    termination = selectors.termination_of(partnership=partnership)
    if termination is not None:
        files.append(("donnees/fin.json", _json({
            "ground": termination.ground, "legal": termination.spec.legal,
            "notice_on": termination.notice_on, "notice_days": termination.notice_days,
            "effective_date": termination.effective_date,
            "party": termination.party.name if termination.party else None,
            "decision": termination.decision.number if termination.decision else None,
            "reason": termination.reason,
        })))  # fmt: skip
        data = _stored(termination.document)
        if data is not None:
            files.append((f"fin/{termination.document_name or 'document'}", data))
    items = selectors.items_of(partnership=partnership)
    files.append(("donnees/liquidation.json", _json([
        {"position": i.position, "kind": i.kind, "subject": i.subject, "status": i.status,
         "disposition": i.disposition, "owner": i.owner.name if i.owner else None,
         "notes": i.notes, "closed_at": i.closed_at,
         "evidence": [e.original_name for e in i.evidence.all()]}
        for i in items
    ])))  # fmt: skip
    files.append(
        (
            "registres/wind-down.csv",
            _csv(
                [
                    "position",
                    "kind",
                    "subject",
                    "owner",
                    "status",
                    "disposition",
                    "closed_at",
                    "notes",
                ],
                [
                    [
                        i.position,
                        i.kind,
                        i.subject,
                        i.owner.name if i.owner else "",
                        i.status,
                        i.disposition,
                        i.closed_at or "",
                        i.notes,
                    ]
                    for i in items
                ],
            ),
        )
    )
    for item in items:
        for evidence in item.evidence.all():
            data = _stored(evidence.file)
            if data is not None:
                files.append((f"liquidation/{item.position:03d}-{evidence.pk}-"
                              f"{evidence.original_name}", data))  # fmt: skip
    if termination is not None:
        accounts = selectors.accounts_get(partnership=partnership)
        files.append(("donnees/comptes-de-cloture.json", _json({
            "approved": accounts.approved is not None,
            "approved_at": accounts.approved.approved_at if accounts.approved else None,
            "currency": accounts.currency, "received": accounts.received,
            "spent": accounts.spent, "balance": accounts.balance,
            "key": accounts.key_source, "method": accounts.method,
            "shares": [{"organization": s.name, "key": s.key, "amount": s.amount}
                       for s in accounts.shares],
        })))  # fmt: skip
        files.append(
            (
                "registres/final-shares.csv",
                _csv(
                    ["organization", "key", "amount", "currency"],
                    [[s.name, s.key, s.amount, accounts.currency] for s in accounts.shares],
                ),
            )
        )
    decisions = Decision.objects.filter(partnership=partnership).order_by("year", "sequence")
    files.append(("donnees/decisions.json", _json([
        {"number": d.number, "date": d.decided_on, "title": d.title} for d in decisions
    ])))  # fmt: skip
    files.append(
        (
            "registres/decisions.csv",
            _csv(
                ["number", "date", "title"], [[d.number, d.decided_on, d.title] for d in decisions]
            ),
        )
    )
    files.append(("decisions/sharaka-verify.txt", _chain_verification()))
    files += _signed_minutes(partnership)
    versions = ConventionVersion.objects.filter(convention__partnership=partnership).exclude(
        signed_copy=""
    ).order_by("number")  # fmt: skip
    for version in versions:
        data = _stored(version.signed_copy)
        if data is not None:
            suffix = (version.signed_copy.name or "").rsplit(".", 1)[-1]
            files.append((f"convention/version-{version.number}-signee.{suffix}", data))
    meta = {"partnership": partnership.slug, "created_at": timezone.now().isoformat()}
    return write_zip(files, meta)

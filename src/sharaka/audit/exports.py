"""XLSX export of a partnership's audit findings, their recommendations and follow-up (issue
15): three sheets with stable headers, written by the one spreadsheet writer
(``core.spreadsheets``: formulas neutralised, control characters stripped); right to left
when the reader reads Arabic. Three queries whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext

from sharaka.audit import plan_rules
from sharaka.audit.dashboard import open_findings_filter
from sharaka.audit.models import Audit, AuditFinding, FollowUp, Recommendation
from sharaka.core.spreadsheets import Table, to_xlsx
from sharaka.partnerships.models import Partnership


def _audit(audit: Audit) -> str:
    return str(audit)


def _yes(value: bool) -> str:
    return gettext("oui") if value else gettext("non")


def finding_headers() -> list[str]:
    return [
        gettext("Audit"), gettext("N°"), gettext("Intitulé"), gettext("Gravité"),
        gettext("Critère"), gettext("Constat"), gettext("Cause"), gettext("Effet"),
        gettext("Partie responsable"), gettext("Dépenses concernées"),
        gettext("Enregistré le"), gettext("Recommandations"), gettext("Ouvert"),
    ]  # fmt: skip


def recommendation_headers() -> list[str]:
    return [
        gettext("Audit"), gettext("Constat n°"), gettext("N°"), gettext("Recommandation"),
        gettext("Responsable"), gettext("Échéance"), gettext("État"), gettext("En retard"),
        gettext("Émise le"), gettext("Inscrite à l'ordre du jour"),
    ]  # fmt: skip


def follow_up_headers() -> list[str]:
    return [
        gettext("Audit"), gettext("Constat n°"), gettext("Recommandation n°"),
        gettext("Enregistré le"), gettext("État après la réponse"), gettext("Réponse"),
        gettext("Par"),
    ]  # fmt: skip


def _findings(partnership: Partnership) -> Iterator[list[Any]]:
    rows = (
        AuditFinding.objects.filter(audit__partnership=partnership)
        .select_related("audit")
        .annotate(
            recs=Count("recommendations"),
            open=Exists(AuditFinding.objects.filter(open_findings_filter(), pk=OuterRef("pk"))),
        )
        .order_by("audit__period_start", "audit_id", "number")
    )
    for f in rows:
        yield [
            _audit(f.audit), f.number, f.title, f.get_severity_display(), f.criterion,
            f.condition, f.cause, f.effect, f.responsible,
            ", ".join(str(pk) for pk in f.expenses), f.recorded_at, f.recs, _yes(f.open),
        ]  # fmt: skip


def _recommendations(partnership: Partnership, today: date) -> Iterator[list[Any]]:
    rows = (
        Recommendation.objects.filter(partnership=partnership)
        .select_related("audit", "finding")
        .order_by("audit__period_start", "audit_id", "number")
    )
    for r in rows:
        overdue = plan_rules.recommendation_overdue(r.status, r.due_on, today)
        yield [
            _audit(r.audit), r.finding.number, r.number, r.text, r.owner, r.due_on,
            r.get_status_display(), _yes(overdue), r.created_at, _yes(r.agenda_item_id is not None),
        ]  # fmt: skip


def _follow_ups(partnership: Partnership) -> Iterator[list[Any]]:
    rows = (
        FollowUp.objects.filter(recommendation__partnership=partnership)
        .select_related("recommendation__audit", "recommendation__finding", "recorded_by")
        .order_by(
            "recommendation__audit__period_start", "recommendation__audit_id",
            "recommendation__number", "recorded_at", "id",
        )
    )  # fmt: skip
    for u in rows:
        rec = u.recommendation
        by = u.recorded_by
        yield [
            _audit(rec.audit), rec.finding.number, rec.number, u.recorded_at,
            u.get_status_display(), u.text, (by.get_full_name() or by.username) if by else "",
        ]  # fmt: skip


def findings_xlsx(*, partnership: Partnership, today: date, rtl: bool = False) -> bytes:
    return to_xlsx(
        [
            Table(gettext("Constats"), finding_headers(), _findings(partnership),
                  widths=(28, 6, 36, 10, 40, 40, 30, 30, 24, 16, 16, 10, 8), rtl=rtl),
            Table(gettext("Recommandations"), recommendation_headers(),
                  _recommendations(partnership, today),
                  widths=(28, 8, 6, 48, 24, 12, 14, 10, 16, 12), rtl=rtl),
            Table(gettext("Suivi"), follow_up_headers(), _follow_ups(partnership),
                  widths=(28, 8, 10, 16, 16, 60, 24), rtl=rtl),
        ]
    )  # fmt: skip

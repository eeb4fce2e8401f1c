"""The report of an engagement (issue 15, ADR 0040): the audit, its scope and period, the
sample and how to re-draw it, every finding in its usual structure with the expenses it
concerns, and the list of work papers; PDF via WeasyPrint in fr, ar or en, from one view
model built in a fixed number of queries (like the annual evaluation report)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from sharaka.audit import plans, selectors
from sharaka.audit.models import Audit, Severity, WorkPaper
from sharaka.audit.selectors import FindingView
from sharaka.core.pdf import write_pdf
from sharaka.finance.models import Expense

LANGS = ("fr", "ar", "en")


@dataclass(frozen=True)
class AuditReport:
    lang: str
    audit: Audit
    sample: tuple[Expense, ...]
    sample_checks: bool
    findings: tuple[FindingView, ...]
    by_severity: tuple[tuple[str, int], ...]
    papers: tuple[WorkPaper, ...]
    generated: dt.date

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


def report_get(*, audit: Audit, lang: str) -> AuditReport:
    with translation.override(lang):
        findings, sample = selectors.engagement_findings(audit)
        counts: dict[str, int] = {}
        for row in findings:
            counts[row.finding.severity] = counts.get(row.finding.severity, 0) + 1
        return AuditReport(
            lang=lang,
            audit=audit,
            sample=sample,
            sample_checks=plans.sample_checks(audit) if audit.sample else False,
            findings=findings,
            by_severity=tuple(
                (str(label), counts.get(value, 0)) for value, label in reversed(Severity.choices)
            ),
            papers=tuple(
                WorkPaper.objects.filter(audit=audit).order_by("uploaded_at", "id")[
                    : selectors.ENGAGEMENT_ROWS
                ]
            ),
            generated=timezone.localdate(),
        )


def render_html(report: AuditReport) -> str:
    with translation.override(report.lang):
        context: dict[str, Any] = {"doc": report, "partnership": report.audit.partnership}
        return render_to_string("audit/report/engagement.html", context)


def render_pdf(report: AuditReport) -> bytes:
    return write_pdf(render_html(report), lang=report.lang, author=report.audit.partnership.title)

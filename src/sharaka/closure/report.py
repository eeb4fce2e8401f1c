"""The closure report: history, parties, termination, wind-down, final accounts and their
sharing, decisions; PDF via WeasyPrint in French or Arabic (like the convention and the
minutes), from one view model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from sharaka.closure import selectors
from sharaka.closure.models import Termination, WindDownItem
from sharaka.closure.selectors import AccountsView
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership, Party, StatusTransition

LANGS = ("fr", "ar")


@dataclass(frozen=True)
class Report:
    lang: str
    partnership: Partnership
    parties: list[Party]
    transitions: list[StatusTransition]
    termination: Termination | None
    items: list[WindDownItem]
    accounts: AccountsView | None
    decisions: list[Decision]
    generated: date

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


def report_get(*, partnership: Partnership, lang: str) -> Report:
    with translation.override(lang):  # the labels computed here (the sharing key's) too
        return _report(partnership, lang)


def _report(partnership: Partnership, lang: str) -> Report:
    termination = selectors.termination_of(partnership=partnership)
    return Report(
        lang=lang,
        partnership=partnership,
        parties=list(
            Party.objects.filter(partnership=partnership)
            .select_related("organization")
            .order_by("role", "organization__name", "pk")
        ),
        transitions=list(
            StatusTransition.objects.filter(partnership=partnership)
            .select_related("by")
            .order_by("at", "pk")
        ),
        termination=termination,
        items=selectors.items_of(partnership=partnership),
        accounts=selectors.accounts_get(partnership=partnership) if termination else None,
        decisions=list(
            Decision.objects.filter(partnership=partnership).order_by("year", "sequence")
        ),
        generated=timezone.localdate(),
    )


def render_html(report: Report) -> str:
    with translation.override(report.lang):
        context: dict[str, Any] = {"doc": report}
        return render_to_string("closure/report/report.html", context)


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(report)).write_pdf()
    return pdf

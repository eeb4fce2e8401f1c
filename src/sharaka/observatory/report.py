"""The observatory's printable summary of a territory (issue 19): the country, a province or
an authority — counts by sector and status, every score with its legal reference, and the
scores of the provinces, authorities or partnerships below it. PDF via WeasyPrint in fr, ar
or en, from the same snapshot reads as the page (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from sharaka.core.pdf import write_pdf
from sharaka.core.types import Actor
from sharaka.observatory import selectors
from sharaka.observatory.selectors import ObservatoryPage

LANGS = ("fr", "ar", "en")
LEVELS = ("country", "province", "authority")
#: The rows below the territory printed in the summary; the XLSX export holds them all.
SUMMARY_ROWS = 300


@dataclass(frozen=True)
class Summary:
    lang: str
    page: ObservatoryPage
    generated: dt.date
    truncated: bool  # more rows than SUMMARY_ROWS: the export has the rest

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


def summary_get(*, user: Actor | None, level: str, pk: int | None, lang: str) -> Summary:
    """The summary of the territory ``level``/``pk`` as ``user`` may see it (404 outside)."""
    with translation.override(lang):
        if level == "country":
            page = selectors.country_view_get(user=user, after=None, size=SUMMARY_ROWS)
        elif level == "province" and pk is not None:
            page = selectors.province_view_get(user=user, pk=pk, after=None, size=SUMMARY_ROWS)
        elif level == "authority" and pk is not None:
            page = selectors.authority_view_get(user=user, pk=pk, after=None, size=SUMMARY_ROWS)
        else:
            raise ValueError(level)
    return Summary(lang, page, timezone.localdate(), page.next_after is not None)


def render_html(summary: Summary) -> str:
    with translation.override(summary.lang):
        context: dict[str, Any] = {"doc": summary, "page": summary.page}
        return render_to_string("observatory/summary.html", context)


def render_pdf(summary: Summary) -> bytes:
    return write_pdf(render_html(summary), lang=summary.lang)

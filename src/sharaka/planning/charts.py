"""The plan's Gantt-style timeline, drawn on the server as SVG (no JavaScript, no inline
style: CSP-safe; the same markup prints).

Right to left (Arabic): the labels sit on the right and time runs from right to left, as
a reader of Arabic expects; the chart is mirrored, not merely translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sharaka.planning import rules as plan_rules

ROW = 24
HEADER = 40
LABEL_WIDTH = 300
WIDTH = 980
PAD = 8

#: Bar colours by activity state (presentation attributes; the palette of sharaka.css).
COLOURS = {
    "planned": ("#cfe5e0", "#0f5e54"),
    "in_progress": ("#cfe5e0", "#0f5e54"),
    "done": ("#cde8d5", "#1f7a3d"),
    "delayed": ("#fbe0d3", "#b4532a"),
    "cancelled": ("#e6e6e6", "#9e9e9e"),
}


@dataclass(frozen=True)
class GanttRow:
    """An activity bar, or (``is_group``) the heading of an objective."""

    label: str
    start: date | None = None
    end: date | None = None
    progress: int = 0
    status: str = "planned"
    delegated: bool = False
    is_group: bool = False
    tooltip: str = ""


def quarter_label(quarter: int) -> str:
    """``T1``..``T4`` (*trimestre*), translated."""
    return gettext("T%(quarter)s") % {"quarter": quarter}


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gantt(
    rows: Sequence[GanttRow],
    *,
    period_start: date,
    period_end: date,
    title: str,
    rtl: bool = False,
    today: date | None = None,
) -> SafeString:
    """One line per activity (grouped under its objective), a bar from start to end filled
    by its progress, year and quarter gridlines, and a line for today."""
    if not rows:
        return mark_safe("")
    period_end = plan_rules.visible_end(period_start, period_end)  # old, overlong periods
    height = HEADER + ROW * len(rows) + PAD
    plot_start = PAD if rtl else LABEL_WIDTH
    plot_end = WIDTH - LABEL_WIDTH if rtl else WIDTH - PAD
    plot_w = plot_end - plot_start
    span = max((period_end - period_start).days + 1, 1)

    def x(day: date) -> float:
        offset = plot_w * (day - period_start).days / span
        return plot_end - offset if rtl else plot_start + offset

    label_x = WIDTH - PAD if rtl else PAD
    direction = ' direction="rtl"' if rtl else ""
    parts: list[str] = [
        f'<svg class="chart gantt" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"{direction} '
        f'font-family="DejaVu Sans, Noto Sans, Noto Sans Arabic, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    # Years and quarters.
    top, bottom = HEADER - 4, height - PAD
    day = date(period_start.year, ((period_start.month - 1) // 3) * 3 + 1, 1)
    while day <= period_end:
        if day >= period_start:
            gx = _fmt(x(day))
            year_start = day.month == 1
            parts.append(
                f'<line x1="{gx}" x2="{gx}" y1="{top if year_start else HEADER}" y2="{bottom}" '
                f'stroke="{"#9aa7a3" if year_start else "#e3e8e6"}" stroke-width="1"/>'
            )
        quarter_end = (
            date(day.year + 1, 1, 1) if day.month == 10 else date(day.year, day.month + 3, 1)
        )
        visible_start = max(day, period_start)
        visible_end = min(quarter_end - timedelta(days=1), period_end)
        if visible_start <= visible_end and (visible_end - visible_start).days >= 20:
            mid = _fmt((x(visible_start) + x(visible_end + timedelta(days=1))) / 2)
            parts.append(
                f'<text x="{mid}" y="{HEADER - 8}" text-anchor="middle" font-size="10" '
                f'fill="#4d5d63">{escape(quarter_label((day.month - 1) // 3 + 1))}</text>'
            )
        day = quarter_end
    for year in range(period_start.year, period_end.year + 1):
        first = max(date(year, 1, 1), period_start)
        last = min(date(year, 12, 31), period_end)
        mid = _fmt((x(first) + x(last + timedelta(days=1))) / 2)
        parts.append(
            f'<text x="{mid}" y="14" text-anchor="middle" font-size="12" font-weight="bold" '
            f'fill="#1d2a2f">{year}</text>'
        )
    parts.append(
        f'<line x1="0" x2="{WIDTH}" y1="{HEADER - 2}" y2="{HEADER - 2}" stroke="#d5dbd8" '
        f'stroke-width="1"/>'
    )
    for index, row in enumerate(rows):
        y = HEADER + index * ROW
        if row.is_group:
            parts.append(
                f'<rect x="0" y="{y}" width="{WIDTH}" height="{ROW}" fill="#f1f6f4"/>'
                f'<text x="{label_x}" y="{y + 16}" text-anchor="start" font-size="12" '
                f'font-weight="bold" fill="#0a443d"{direction}>{escape(_short(row.label, 90))}'
                "</text>"
            )
            continue
        parts.append(
            f'<text x="{label_x}" y="{y + 16}" text-anchor="start" font-size="11" '
            f'fill="#1d2a2f"{direction}>{escape(_short(row.label))}</text>'
        )
        if row.start is None or row.end is None:
            continue
        start = max(row.start, period_start)
        end_excl = min(row.end, period_end) + timedelta(days=1)
        x1, x2 = x(start), x(end_excl)
        bar_x, bar_w = min(x1, x2), max(abs(x2 - x1), 2.0)
        light, dark = COLOURS.get(row.status, COLOURS["planned"])
        tooltip = escape(row.tooltip or row.label)
        dash = ' stroke-dasharray="4 2"' if row.delegated else ""
        parts.append(
            f'<g class="gantt-bar"><title>{tooltip}</title>'
            f'<rect x="{_fmt(bar_x)}" y="{y + 5}" width="{_fmt(bar_w)}" height="{ROW - 10}" '
            f'rx="3" fill="{light}" stroke="{dark}" stroke-width="1"{dash}/>'
        )
        done_w = bar_w * max(0, min(row.progress, 100)) / 100
        if done_w > 0:
            done_x = bar_x + bar_w - done_w if rtl else bar_x
            parts.append(
                f'<rect x="{_fmt(done_x)}" y="{y + 5}" width="{_fmt(done_w)}" '
                f'height="{ROW - 10}" rx="3" fill="{dark}"/>'
            )
        parts.append("</g>")
    if today is not None and period_start <= today <= period_end:
        tx = _fmt(x(today))
        label = formats.date_format(today, "SHORT_DATE_FORMAT")
        parts.append(
            f'<line x1="{tx}" x2="{tx}" y1="{HEADER - 2}" y2="{bottom}" stroke="#a4262c" '
            f'stroke-width="1.5" stroke-dasharray="4 3"><title>{escape(label)}</title></line>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above

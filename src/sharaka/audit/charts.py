"""The audit dashboard's chart over time, drawn on the server as SVG (no JavaScript, no inline
style: CSP-safe, prints as it shows), like ``finance.charts``: per audited year, a bar of
the findings stacked by severity, and under it the share of that year's recommendations
implemented. Right to left, the years run leftwards and the labels follow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

WIDTH = 640
HEIGHT = 240
PAD = 12
TOP = 34  # room for the legend
BOTTOM = 40  # room for the years and the rates
LEFT = 36  # room for the scale

#: Severity (most serious first) -> colour; the legend and the stacks keep this order.
COLOURS = (
    ("critical", "#7f1d1d"),
    ("high", "#b4532a"),
    ("medium", "#e0a84a"),
    ("low", "#9cc9c0"),
)


@dataclass(frozen=True)
class YearBar:
    year: int
    #: severity -> number of findings of that year's audits
    findings: dict[str, int]
    #: implemented ÷ accepted recommendations of that year's audits (None: none accepted)
    rate: float | None


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, label: str, anchor: str, size: int = 11) -> str:
    return (
        f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(label)}</text>"
    )


def findings_by_year(
    bars: Sequence[YearBar], *, title: str, labels: dict[str, str], rtl: bool = False
) -> SafeString:
    """The chart (empty when no year has a finding or a recommendation)."""
    if not bars:
        return mark_safe("")
    top = max(max(sum(b.findings.values()) for b in bars), 1)
    plot_w = WIDTH - LEFT - 2 * PAD
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(bars)
    bar_w = min(slot * 0.6, 56)
    axis_x = WIDTH - PAD - LEFT if rtl else PAD + LEFT

    def centre(i: int) -> float:
        offset = slot * i + slot / 2
        return axis_x - offset if rtl else axis_x + offset

    def y(value: float) -> float:
        return TOP + plot_h - value / top * plot_h

    parts = [
        # positions are mirrored here for right to left: the page's direction must not
        # flip the text anchors a second time
        f'<svg class="chart audit-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'direction="ltr" viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    # legend, from the side the years start
    lx = float(WIDTH - PAD) if rtl else float(PAD)
    anchor = "end" if rtl else "start"
    for severity, colour in COLOURS:
        label = labels.get(severity, severity)
        rect_x = lx - 12 if rtl else lx
        parts.append(f'<rect x="{_fmt(rect_x)}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(lx - 16 if rtl else lx + 16, 18, label, anchor, 12))
        step = 30 + 7 * len(label)
        lx = lx - step if rtl else lx + step
    # scale: zero and the top, on the side the years start
    label_x = axis_x + 4 if rtl else axis_x - 4
    scale_anchor = "start" if rtl else "end"
    parts.append(_text(label_x, TOP + 8, str(top), scale_anchor))
    parts.append(_text(label_x, TOP + plot_h, "0", scale_anchor))
    end_x = axis_x - plot_w if rtl else axis_x + plot_w
    parts.append(
        f'<line x1="{_fmt(axis_x)}" y1="{TOP}" x2="{_fmt(axis_x)}" y2="{TOP + plot_h}" '
        f'stroke="#888"/>'
        f'<line x1="{_fmt(axis_x)}" y1="{TOP + plot_h}" x2="{_fmt(end_x)}" y2="{TOP + plot_h}" '
        f'stroke="#888"/>'
    )
    for i, bar in enumerate(bars):
        cx = centre(i)
        base = 0
        for severity, colour in reversed(COLOURS):  # the least serious at the bottom
            count = bar.findings.get(severity, 0)
            if not count:
                continue
            tip = gettext("%(year)s — %(severity)s : %(count)s constat(s)") % {
                "year": bar.year, "severity": labels.get(severity, severity), "count": count,
            }  # fmt: skip
            parts.append(
                f'<rect x="{_fmt(cx - bar_w / 2)}" y="{_fmt(y(base + count))}" '
                f'width="{_fmt(bar_w)}" height="{_fmt(count / top * plot_h)}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            base += count
        if base:
            parts.append(_text(cx, y(base) - 4, str(base), "middle"))
        parts.append(_text(cx, TOP + plot_h + 14, str(bar.year), "middle"))
        rate = "—" if bar.rate is None else f"{round(bar.rate * 100)} %"
        parts.append(_text(cx, TOP + plot_h + 30, rate, "middle", 10))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

"""A small trend chart per indicator, drawn on the server as SVG (no JavaScript, no inline
style: CSP-safe, prints as it shows): the baseline, the path to the targets and the
measurements. Right to left, time runs leftwards and the labels follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

WIDTH = 320
HEIGHT = 130
LEFT = 44  # room for the value labels
PAD = 10
TOP = 10
BOTTOM = 38  # room for the dates and the legend


@dataclass(frozen=True)
class ChartPoint:
    date: dt.date
    value: Decimal
    validated: bool = True


def _nice(value: Decimal) -> Decimal:
    """The first of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (> 0)."""
    power = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return (step * power).normalize()
    return (10 * power).normalize()


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def trend_chart(
    *,
    title: str,
    baseline: ChartPoint,
    targets: Sequence[ChartPoint],
    measurements: Sequence[ChartPoint],
    unit: str = "",
    rtl: bool = False,
) -> SafeString:
    """The chart of one indicator (empty for a qualitative one: no point to draw)."""
    points = [baseline, *targets, *measurements]
    first = min(p.date for p in points)
    last = max(p.date for p in points)
    span = max((last - first).days, 1)
    low = min(Decimal(0), *(p.value for p in points))
    high = _nice(max(max(p.value for p in points) - low, Decimal(1)) * Decimal("1.05")) + low
    plot_w = WIDTH - LEFT - PAD
    plot_h = HEIGHT - TOP - BOTTOM
    axis_x = WIDTH - LEFT if rtl else LEFT

    def x(day: dt.date) -> float:
        share = (day - first).days / span
        return axis_x - share * plot_w if rtl else axis_x + share * plot_w

    def y(value: Decimal) -> float:
        return TOP + plot_h - float((value - low) / (high - low)) * plot_h

    def text(px: float, py: float, label: str, anchor: str, css: str = "") -> str:
        klass = f' class="{css}"' if css else ""
        return (
            f'<text x="{_fmt(px)}" y="{_fmt(py)}" text-anchor="{anchor}"{klass}>'
            f"{escape(label)}</text>"
        )

    suffix = f" {unit}" if unit else ""
    parts = [
        # positions are computed for either direction: text anchors must not flip again
        f'<svg class="chart trend-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'direction="ltr" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    # value axis: the top and the bottom of the scale, on the side time starts from
    label_x = axis_x + 4 if rtl else axis_x - 4
    start_anchor, end_anchor = ("start", "end") if rtl else ("end", "start")
    parts.append(text(label_x, TOP + 8, _number(high), start_anchor, "axis"))
    parts.append(text(label_x, TOP + plot_h, _number(low), start_anchor, "axis"))
    parts.append(
        f'<line class="axis" x1="{axis_x}" y1="{TOP}" x2="{axis_x}" y2="{TOP + plot_h}"/>'
        f'<line class="axis" x1="{_fmt(x(first))}" y1="{TOP + plot_h}" '
        f'x2="{_fmt(x(last))}" y2="{TOP + plot_h}"/>'
    )
    # dates of the first and last points, under the time axis
    parts.append(text(x(first), TOP + plot_h + 12, first.strftime("%m/%Y"), end_anchor, "axis"))
    parts.append(text(x(last), TOP + plot_h + 12, last.strftime("%m/%Y"), start_anchor, "axis"))
    # baseline: a thin line across
    by = _fmt(y(baseline.value))
    parts.append(
        f'<line class="baseline" x1="{_fmt(x(first))}" y1="{by}" x2="{_fmt(x(last))}" y2="{by}">'
        f"<title>{escape(gettext('Référence'))} : {_number(baseline.value)}{escape(suffix)} "
        f"({baseline.date:%d/%m/%Y})</title></line>"
    )
    # target path: from the baseline to each target, dashed
    path = [baseline, *sorted(targets, key=lambda p: p.date)]
    coords = " ".join(f"{_fmt(x(p.date))},{_fmt(y(p.value))}" for p in path)
    parts.append(f'<polyline class="target-path" points="{coords}"/>')
    for point in targets:
        tip = gettext("Cible au %(date)s : %(value)s") % {
            "date": point.date.strftime("%d/%m/%Y"), "value": _number(point.value) + suffix,
        }  # fmt: skip
        parts.append(
            f'<rect class="target" x="{_fmt(x(point.date) - 3.5)}" '
            f'y="{_fmt(y(point.value) - 3.5)}" width="7" height="7">'
            f"<title>{escape(tip)}</title></rect>"
        )
    # measurements: a line and a dot each (hollow until validated)
    ordered = sorted(measurements, key=lambda p: p.date)
    if ordered:
        coords = " ".join(f"{_fmt(x(p.date))},{_fmt(y(p.value))}" for p in [baseline, *ordered])
        parts.append(f'<polyline class="actual-path" points="{coords}"/>')
    for point in ordered:
        tip = gettext("Mesure au %(date)s : %(value)s") % {
            "date": point.date.strftime("%d/%m/%Y"), "value": _number(point.value) + suffix,
        }  # fmt: skip
        if not point.validated:
            tip += " — " + gettext("non validée")
        css = "actual" if point.validated else "actual pending"
        parts.append(
            f'<circle class="{css}" cx="{_fmt(x(point.date))}" cy="{_fmt(y(point.value))}" '
            f'r="3.5"><title>{escape(tip)}</title></circle>'
        )
    # legend, on the line under the dates, from the side time starts
    legend = [
        ("baseline", gettext("Référence")),
        ("target-path", gettext("Cible")),
        ("actual-path", gettext("Mesures")),
    ]
    lx = float(WIDTH - PAD) if rtl else float(PAD)
    ly = HEIGHT - 6
    for css, label in legend:
        x1, x2 = (lx - 14, lx) if rtl else (lx, lx + 14)
        parts.append(
            f'<line class="{css}" x1="{_fmt(x1)}" y1="{ly - 4}" x2="{_fmt(x2)}" y2="{ly - 4}"/>'
        )
        tx = lx - 18 if rtl else lx + 18
        parts.append(text(tx, ly, label, "end" if rtl else "start", "legend"))
        lx = lx - 100 if rtl else lx + 100
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

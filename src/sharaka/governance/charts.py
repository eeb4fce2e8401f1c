"""Charts drawn on the server as SVG (no JavaScript, no inline style: CSP-safe).

Colours come from presentation attributes and the ``chart-*`` classes of ``sharaka.css``;
the same markup prints and can go into a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def step_chart(
    points: Sequence[tuple[date, Fraction]],
    *,
    target: Fraction | None,
    title: str,
    target_label: str = "",
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """A step line of shares (0..1) over time, with a dashed target line.

    The share holds from each point until the next one (the composition changes at those
    dates). Every point has a ``<title>`` (date and value) for screen readers and hover.
    """
    if not points:
        return mark_safe("")
    left, right, top, bottom = 44, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + plot_w * (day - first).days / span

    def y(share: Fraction | float) -> float:
        return top + plot_h * (1 - float(share))

    parts: list[str] = [
        # drawn left to right in every language (a time axis): anchors must not flip in RTL
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" direction="ltr" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        ty = _fmt(y(tick))
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" '
            f'stroke="#d5dbd8" stroke-width="1"/>'
            f'<text class="chart-label" x="{left - 6}" y="{_fmt(y(tick) + 4)}" '
            f'text-anchor="end" font-size="11" fill="#4d5d63">{round(tick * 100)} %</text>'
        )
    years = range(first.year + 1, last.year + 1)
    for year in years:
        tx = _fmt(x(date(year, 1, 1)))
        parts.append(
            f'<line class="chart-grid" x1="{tx}" x2="{tx}" y1="{top}" y2="{top + plot_h}" '
            f'stroke="#eef1ef" stroke-width="1"/>'
            f'<text class="chart-label" x="{tx}" y="{height - 8}" text-anchor="middle" '
            f'font-size="11" fill="#4d5d63">{year}</text>'
        )
    parts.append(
        f'<text class="chart-label" x="{left}" y="{height - 8}" text-anchor="start" '
        f'font-size="11" fill="#4d5d63">{escape(formats.date_format(first, "SHORT_DATE_FORMAT"))}'
        "</text>"
    )
    if target is not None:
        ty = _fmt(y(target))
        parts.append(
            f'<line class="chart-target" x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" '
            f'stroke="#b4532a" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        if target_label:
            parts.append(
                f'<text class="chart-label" x="{width - right}" y="{_fmt(y(target) - 4)}" '
                f'text-anchor="end" font-size="11" fill="#b4532a">{escape(target_label)}</text>'
            )
    path: list[str] = []
    for index, (day, share) in enumerate(points):
        px, py = _fmt(x(day)), _fmt(y(share))
        if index == 0:
            path.append(f"M{px} {py}")
        else:
            path.append(f"H{px} V{py}")
    parts.append(
        f'<path class="chart-line" d="{" ".join(path)}" fill="none" stroke="#0f5e54" '
        f'stroke-width="2.5"/>'
    )
    for day, share in points:
        label = f"{formats.date_format(day, 'SHORT_DATE_FORMAT')} : {round(float(share) * 100)} %"
        below = target is not None and share < target
        parts.append(
            f'<circle class="chart-point{" below" if below else ""}" cx="{_fmt(x(day))}" '
            f'cy="{_fmt(y(share))}" r="4" fill="{"#a4262c" if below else "#0f5e54"}">'
            f"<title>{escape(label)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above

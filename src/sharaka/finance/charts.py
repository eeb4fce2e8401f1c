"""Budget versus actual as a server-side SVG bar chart (no JavaScript, no inline style:
CSP-safe; the same markup prints). Right to left, labels sit on the right and bars grow
leftwards."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

ROW = 30
HEADER = 28
LABEL_WIDTH = 260
WIDTH = 900
PAD = 8
PLANNED = "#cfe5e0"
SPENT = "#0f5e54"
COMMITTED = "#e0a84a"
OVER = "#b4532a"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def budget_bars(
    rows: Sequence[tuple[str, Decimal, Decimal, Decimal]], *, title: str, rtl: bool = False
) -> SafeString:
    """One row per (label, planned, committed, spent): a light bar for the planned amount,
    a dark bar for what is spent and an amber one for what is committed after it."""
    if not rows:
        return mark_safe("")
    top = max(max(p, c + s) for _label, p, c, s in rows) or Decimal(1)
    height = HEADER + ROW * len(rows) + PAD
    plot_w = WIDTH - LABEL_WIDTH - 2 * PAD
    x0 = PAD if rtl else LABEL_WIDTH + PAD

    def span(start: Decimal, length: Decimal) -> tuple[float, float]:
        w = float(length / top) * plot_w
        s = float(start / top) * plot_w
        return (x0 + plot_w - s - w if rtl else x0 + s), w

    legend_items = [
        (PLANNED, gettext("Prévu")),
        (SPENT, gettext("Dépensé")),
        (COMMITTED, gettext("Engagé")),
    ]
    parts = [
        # positions are mirrored here for right to left: the page's direction must not
        # flip the text anchors a second time (labels ran into the bars in Arabic)
        f'<svg class="chart budget-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'direction="ltr" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    lx = PAD if not rtl else WIDTH - PAD
    anchor = "start" if not rtl else "end"
    for colour, label in legend_items:
        rect_x = lx if not rtl else lx - 12
        parts.append(f'<rect x="{rect_x}" y="8" width="12" height="12" fill="{colour}"/>')
        tx = lx + 16 if not rtl else lx - 16
        parts.append(
            f'<text x="{tx}" y="18" font-size="12" text-anchor="{anchor}">{escape(label)}</text>'
        )
        lx = lx + 110 if not rtl else lx - 110
    for i, (label, planned, committed, spent) in enumerate(rows):
        y = HEADER + i * ROW
        label_x = LABEL_WIDTH if not rtl else WIDTH - LABEL_WIDTH
        parts.append(
            f'<text x="{label_x}" y="{y + 19}" font-size="12" '
            f'text-anchor="{"end" if not rtl else "start"}">{escape(_short(label))}</text>'
        )
        px, pw = span(Decimal(0), planned)
        parts.append(
            f'<rect x="{_fmt(px)}" y="{y + 4}" width="{_fmt(pw)}" height="{ROW - 8}" '
            f'fill="{PLANNED}"/>'
        )
        sx, sw = span(Decimal(0), max(spent, Decimal(0)))
        over = planned and spent + committed > planned
        parts.append(
            f'<rect x="{_fmt(sx)}" y="{y + 9}" width="{_fmt(sw)}" height="{ROW - 18}" '
            f'fill="{OVER if over else SPENT}"/>'
        )
        cx, cw = span(max(spent, Decimal(0)), max(committed, Decimal(0)))
        parts.append(
            f'<rect x="{_fmt(cx)}" y="{y + 9}" width="{_fmt(cw)}" height="{ROW - 18}" '
            f'fill="{COMMITTED}"/>'
        )
        tip = gettext("%(label)s — prévu %(p)s, engagé %(c)s, dépensé %(s)s") % {
            "label": label, "p": f"{planned:,.2f}", "c": f"{committed:,.2f}",
            "s": f"{spent:,.2f}",
        }  # fmt: skip
        parts.append(
            f'<rect x="{x0}" y="{y}" width="{plot_w}" height="{ROW}" fill="transparent">'
            f"<title>{escape(tip)}</title></rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

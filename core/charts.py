"""Server-rendered SVG charts, reusable by any page (participation, load, priority results...).

The Content-Security-Policy forbids inline scripts and `style=""` attributes, so a chart is plain SVG with
presentation attributes (`fill`, `stroke`, `font-size`). Each chart has a `<title>` and a `<desc>` read by
screen readers, and renders with a data table (in a disclosure) that carries the same figures.

Usage in a view: ``chart = charts.bar_chart([("2010", 16), ("2011", 30)], title=..., label_header=...,
value_header=...)`` and in a template ``{{ chart }}`` (or ``{{ chart.svg }}`` for the drawing alone).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The palette of static/css/maillage.css (presentation attributes cannot read CSS variables).
BRAND = "#0b5394"
WARN = "#8a4b00"
GRID = "#c9d1d9"
MUTED = "#4a5560"
INK = "#1b1f24"
PAPER = "#ffffff"
FONT = "system-ui, sans-serif"

Number = int | float | Decimal


@dataclass(frozen=True)
class Marker:
    """A dated event drawn over a column chart: in the column labelled `slot` (a year), at `position` (0 to 1) across
    it, numbered in order; `label` is said by its tooltip and the chart's description, and the page lists the
    markers under the chart with their numbers."""

    slot: str
    position: float
    label: str


@dataclass
class Chart:
    """An SVG drawing and the table that says the same thing."""

    title: str
    svg: SafeString
    label_header: str
    value_header: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    caption: str = ""
    markers: list[Marker] = field(default_factory=list)

    def __html__(self) -> str:
        return render_to_string("core/chart.html", {"chart": self})

    def __str__(self) -> str:
        return self.__html__()


def nice_step(maximum: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) so that about `ticks` steps cover `maximum`."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            step = factor * magnitude
            return int(step) if step >= 1 and float(step).is_integer() else step
    return 10 * magnitude


def fmt(value: Number | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _chart_id(title: str, points: Sequence) -> str:
    digest = hashlib.blake2s(f"{title}|{points}".encode(), digest_size=4).hexdigest()
    return f"chart-{digest}"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _describe(points: Sequence[tuple[str, Number]], decimals: int, unit: str) -> str:
    suffix = f" {unit}" if unit else ""
    return "; ".join(f"{label} : {fmt(value, decimals)}{suffix}" for label, value in points)


def _y_axis(parts: list[str], top: float, left: float, right: float, plot_h: float, step: float, y_max: float) -> None:
    n = round(y_max / step)
    for i in range(n + 1):
        value = step * i
        y = top + plot_h - plot_h * value / y_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        # As many decimals as the value needs (0.25 keeps two; 0.2 would read as a different tick).
        label = fmt(value, next(d for d in range(4) if abs(round(value, d) - value) < 1e-9 or d == 3))
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{MUTED}">{label}</text>'
        )


def _axis_title(parts: list[str], text: str, top: float, plot_h: float) -> None:
    if text:
        cx, cy = 14, top + plot_h / 2
        parts.append(
            f'<text x="{cx}" y="{cy:.1f}" transform="rotate(-90 {cx} {cy:.1f})" text-anchor="middle" '
            f'font-size="12" fill="{MUTED}">{escape(text)}</text>'
        )


def _table_rows(points: Sequence[tuple[str, Number]], decimals: int) -> list[tuple[str, str]]:
    return [(str(label), fmt(value, decimals)) for label, value in points]


def bar_chart(
    points: Sequence[tuple[str, Number]],
    *,
    title: str,
    label_header: str,
    value_header: str,
    highlight: Sequence[str] = (),
    decimals: int = 0,
    unit: str = "",
    width: int = 720,
    height: int = 280,
    markers: Sequence[Marker] = (),
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> Chart:
    """Vertical bars, one per (label, value), values written above the bars; `highlight` labels in orange.
    `markers`: dated events drawn over the columns; `notes`: label → (short text written under it, its tooltip)."""
    return _columns(
        points, title, label_header, value_header, highlight, decimals, unit, width, height, line=False,
        markers=markers, notes=notes or {},
    )  # fmt: skip


def line_chart(
    points: Sequence[tuple[str, Number]],
    *,
    title: str,
    label_header: str,
    value_header: str,
    highlight: Sequence[str] = (),
    decimals: int = 0,
    unit: str = "",
    width: int = 720,
    height: int = 280,
    markers: Sequence[Marker] = (),
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> Chart:
    """A line through the points (labels evenly spaced), each point marked and its value written (`markers` and
    `notes` as for bar_chart)."""
    return _columns(
        points, title, label_header, value_header, highlight, decimals, unit, width, height, line=True,
        markers=markers, notes=notes or {},
    )  # fmt: skip


MARKER_ROWS = (12, 30)  # two rows of numbered circles, so that events close in time stay readable
NOTE_HEIGHT = 18


def _markers(parts: list[str], markers: Sequence[Marker], slots: dict[str, int], geometry: tuple) -> None:
    """Each marker: a dashed line down the plot at its date and a numbered circle above it, its label in a tooltip."""
    left, slot, top, bottom = geometry
    last_x = dict.fromkeys(MARKER_ROWS, -1000.0)
    for number, marker in enumerate(markers, start=1):
        x = left + slot * (slots[marker.slot] + min(max(marker.position, 0.0), 1.0))
        row = next((r for r in MARKER_ROWS if x - last_x[r] >= 18), MARKER_ROWS[number % 2])
        last_x[row] = x
        parts.append(
            f"<g><title>{number}. {escape(marker.label)}</title>"
            f'<line x1="{x:.1f}" y1="{row + 8}" x2="{x:.1f}" y2="{bottom}" stroke="{WARN}" stroke-width="1.5" '
            f'stroke-dasharray="4 3"/>'
            f'<circle cx="{x:.1f}" cy="{row}" r="8" fill="{WARN}"/>'
            f'<text x="{x:.1f}" y="{row + 4}" text-anchor="middle" font-size="11" fill="{PAPER}">{number}</text></g>'
        )


def _notes(parts: list[str], notes: Mapping[str, tuple[str, str]], centres: dict[str, float], y: float) -> None:
    for label, (text, tip) in notes.items():
        parts.append(
            f'<text x="{centres[label]:.1f}" y="{y:.1f}" text-anchor="middle" font-size="11" fill="{WARN}">'
            f"{escape(text)}<title>{escape(tip)}</title></text>"
        )


def _said(points, decimals: int, unit: str, markers: Sequence[Marker], notes: Mapping[str, tuple[str, str]]) -> str:
    """The description read by screen readers: the values, then the notes and the markers."""
    said = [_describe(points, decimals, unit)]
    said += [tip for _, tip in notes.values()]
    said += [f"{number}. {marker.label}" for number, marker in enumerate(markers, start=1)]
    return ". ".join(said)


def _columns(
    points, title, label_header, value_header, highlight, decimals, unit, width, height, line, markers=(), notes=None
) -> Chart:
    points = [(str(label), value or 0) for label, value in points]
    slots = {label: i for i, (label, _) in enumerate(points)}
    markers = [marker for marker in markers if marker.slot in slots]
    notes = {label: note for label, note in (notes or {}).items() if label in slots}
    height += NOTE_HEIGHT if notes else 0
    chart_id = _chart_id(title, [points, [m.label for m in markers], sorted(notes)] if markers or notes else points)
    parts = _open(chart_id, width, height, title, _said(points, decimals, unit, markers, notes))
    left, right, top, bottom = 56, width - 12, 44 if markers else 22, height - 30 - (NOTE_HEIGHT if notes else 0)
    plot_w, plot_h = right - left, bottom - top
    maximum = max((float(v) for _, v in points), default=0)
    step = nice_step(maximum)
    y_max = max(step, math.ceil(maximum / step) * step) if maximum else step
    _y_axis(parts, top, left, right, plot_h, step, y_max)
    _axis_title(parts, value_header, top, plot_h)
    n = len(points)
    slot = plot_w / n if n else plot_w
    every = max(1, math.ceil(n / 16))  # at most ~16 labels under the axis; the table has them all
    coords, marks = [], []
    for i, (label, value) in enumerate(points):
        cx = left + slot * (i + 0.5)
        y = top + plot_h - plot_h * float(value) / y_max
        coords.append((cx, y))
        colour = WARN if label in highlight else BRAND
        tip = f"{escape(label)} : {fmt(value, decimals)}{(' ' + escape(unit)) if unit else ''}"
        if line:
            marks.append(f'<circle cx="{cx:.1f}" cy="{y:.1f}" r="4" fill="{colour}"><title>{tip}</title></circle>')
        else:
            bar_w = max(2.0, slot * 0.7)
            marks.append(
                f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bottom - y:.1f}" '
                f'fill="{colour}"><title>{tip}</title></rect>'
            )
        if n <= 24:
            marks.append(
                f'<text x="{cx:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="12" fill="{INK}">'
                f"{fmt(value, decimals)}</text>"
            )
        if i % every == 0:
            marks.append(
                f'<text x="{cx:.1f}" y="{bottom + 18}" text-anchor="middle" font-size="12" fill="{MUTED}">'
                f"{escape(label)}</text>"
            )
    if line and len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>')
    parts.extend(marks)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}" stroke-width="1"/>')
    _markers(parts, markers, slots, (left, slot, top, bottom))
    _notes(parts, notes, {label: x for (label, _), (x, _) in zip(points, coords, strict=True)}, bottom + 34)
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # every label and value above is escaped or numeric
        label_header=label_header,
        value_header=value_header,
        rows=_table_rows(points, decimals),
        markers=list(markers),
    )


def hbar_chart(
    points: Sequence[tuple[str, Number]],
    *,
    title: str,
    label_header: str,
    value_header: str,
    highlight: Sequence[str] = (),
    decimals: int = 0,
    unit: str = "",
    maximum: Number | None = None,
    width: int = 720,
    bar_height: int = 22,
) -> Chart:
    """Horizontal bars for rankings and long labels (organisations, priorities); `maximum` fixes the scale
    (100 for percentages), otherwise the largest value spans the width."""
    points = [(str(label), value or 0) for label, value in points]
    chart_id = _chart_id(title, points)
    label_w, value_w, top = 300, 80, 8
    height = top * 2 + bar_height * max(1, len(points))
    parts = _open(chart_id, width, height, title, _describe(points, decimals, unit))
    scale = float(maximum) if maximum else max((float(v) for _, v in points), default=0) or 1
    plot_w = width - label_w - value_w
    for i, (label, value) in enumerate(points):
        y = top + i * bar_height
        short = label if len(label) <= 40 else label[:39] + "…"  # the full label is in the <title> and the table
        bar = plot_w * min(float(value), scale) / scale
        colour = WARN if label in highlight else BRAND
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.68:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(short)}<title>{escape(label)}</title></text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="{bar_height - 6}" fill="{colour}">'
            f"<title>{escape(label)} : {fmt(value, decimals)}{(' ' + escape(unit)) if unit else ''}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + bar + 6:.1f}" y="{y + bar_height * 0.68:.1f}" font-size="12" fill="{INK}">'
            f"{fmt(value, decimals)}{(' ' + escape(unit)) if unit else ''}</text>"
        )
    parts.append(
        f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - top}" stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # every label and value above is escaped or numeric
        label_header=label_header,
        value_header=value_header,
        rows=_table_rows(points, decimals),
    )

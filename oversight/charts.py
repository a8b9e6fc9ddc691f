"""Server-side SVG charts: no JavaScript, no CDN, readable by screen readers.

Each chart is an <svg role="img"> with a <title> and a <desc> that says what it shows; the page puts
the same figures in a table beside it, so nothing is only in the picture. Colours and fonts come
from classes styled in static/portal/css/dashboard.css (the CSP forbids inline style attributes).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 170
CHART_WIDTH = 560
COLUMN_AREA_HEIGHT = 180


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}"


def _truncate(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    *, chart_id: str, title: str, description: str, rows: Sequence[tuple[str, float]]
) -> SafeString:
    """Horizontal bars, one per row, largest value spanning the width."""
    rows = [(str(label), value or 0) for label, value in rows]
    maximum = max((value for _, value in rows), default=0) or 1
    bar_space = CHART_WIDTH - LABEL_WIDTH - 60
    height = max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    bars = format_html_join(
        "",
        '<g><text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart-value" x="{}" y="{}">{}</text></g>',
        (
            (
                LABEL_WIDTH - 6,
                BAR_GAP + i * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT * 0.7,
                _truncate(label),
                LABEL_WIDTH,
                BAR_GAP + i * (BAR_HEIGHT + BAR_GAP),
                max(round(bar_space * value / maximum, 1), 1 if value else 0),
                BAR_HEIGHT,
                LABEL_WIDTH + bar_space * value / maximum + 4,
                BAR_GAP + i * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT * 0.7,
                _number(value),
            )
            for i, (label, value) in enumerate(rows)
        ),
    )
    return _svg(chart_id, title, description, CHART_WIDTH, height, bars)


def column_chart(
    *, chart_id: str, title: str, description: str, rows: Sequence[tuple[str, float]]
) -> SafeString:
    """Vertical columns over time (weeks or months), labelled every few columns."""
    rows = [(str(label), value or 0) for label, value in rows]
    maximum = max((value for _, value in rows), default=0) or 1
    count = max(len(rows), 1)
    left, bottom = 40, 40
    width = CHART_WIDTH - left - 10
    step = width / count
    label_every = max(1, round(count / 8))
    height = COLUMN_AREA_HEIGHT + bottom + 10
    columns = format_html_join(
        "",
        '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>',
        (
            (
                round(left + i * step + step * 0.1, 1),
                round(10 + COLUMN_AREA_HEIGHT * (1 - value / maximum), 1),
                round(step * 0.8, 1),
                round(COLUMN_AREA_HEIGHT * value / maximum, 1),
            )
            for i, (_, value) in enumerate(rows)
        ),
    )
    labels = format_html_join(
        "",
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (round(left + i * step + step / 2, 1), 10 + COLUMN_AREA_HEIGHT + 18, label)
            for i, (label, _) in enumerate(rows)
            if i % label_every == 0
        ),
    )
    axis = format_html(
        '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
        '<text class="chart-value" x="0" y="20">{}</text>'
        '<text class="chart-value" x="0" y="{}">0</text>',
        left,
        10 + COLUMN_AREA_HEIGHT,
        left + width,
        10 + COLUMN_AREA_HEIGHT,
        _number(maximum),
        10 + COLUMN_AREA_HEIGHT,
    )
    return _svg(chart_id, title, description, CHART_WIDTH, height, axis + columns + labels)


def _svg(
    chart_id: str, title: str, description: str, width: float, height: float, body
) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        width,
        round(height, 1),
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )

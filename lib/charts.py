"""Daily counts and the SVG line chart drawn from them, for the admin's dashboard and a
petition's growth: on the server, with no script or style, so a strict CSP holds."""

import datetime

from django.db.models import Count, DateTimeField, F
from django.db.models.functions import TruncDate
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def daily_counts(queryset, date_field, series_by, first_day, last_day):
    """Rows counted per day and per value of `series_by`, one query, days without rows
    filled with 0: {series: [(date, count), ...]} from first_day to last_day."""
    field = queryset.model._meta.get_field(date_field)
    day = TruncDate(date_field) if isinstance(field, DateTimeField) else F(date_field)
    rows = (
        queryset.annotate(day=day)
        .filter(day__gte=first_day, day__lte=last_day)
        .values_list(series_by, "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for key, date, n in rows:
        counts.setdefault(key, {})[date] = n
    days = [first_day + datetime.timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    return {key: [(d, by_day.get(d, 0)) for d in days] for key, by_day in sorted(counts.items(), key=str)}


# The chart -----------------------------------------------------------------------------

# Distinct on white at AA contrast for lines and text.
PALETTE = ["#0b5394", "#b45309", "#15803d", "#9d174d", "#5b21b6", "#0f766e", "#7c2d12", "#374151"]


def _nice_ceiling(value):
    """The smallest of 1, 2, 5, 10, 20, 50... at least `value`, for the y axis."""
    step = 1
    while True:
        for multiple in (1, 2, 5):
            if step * multiple >= value:
                return step * multiple
        step *= 10


def line_chart_svg(series, *, title, width=720, height=260):
    """An SVG line chart of daily counts, drawn on the server with presentation attributes
    only (no style, no script), so it passes a strict Content-Security-Policy.

    `series` is a list of (label, [(date, count), ...]); every list covers the same days.
    Returns "" when there is nothing to draw."""
    series = [(label, points) for label, points in series if points]
    if not series:
        return ""
    left, right, top, bottom = 44, 12, 12, 28
    legend_row = 20
    plot_w, plot_h = width - left - right, height - top - bottom
    total_h = height + legend_row * len(series) + 8
    days = sorted({day for _label, points in series for day, _n in points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    y_max = _nice_ceiling(max(max(n for _d, n in points) for _label, points in series) or 1)

    # Coordinates as short strings: format_html escapes its arguments into text.
    def x(day):
        return f"{left + plot_w * (day - first).days / span:.1f}"

    def y(n):
        return f"{top + plot_h * (1 - n / y_max):.1f}"

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-labelledby="chart-title" class="dashboard-chart" font-family="sans-serif" font-size="12">'
            '<title id="chart-title">{}</title>',
            width,
            total_h,
            title,
        )
    ]
    for tick in (0, y_max // 2 if y_max >= 2 else None, y_max):
        if tick is None:
            continue
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d1d5db" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="#374151">{}</text>',
                left,
                y(tick),
                width - right,
                y(tick),
                left - 6,
                y(tick),
                tick,
            )
        )
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" fill="#374151">{}</text>',
                x(day),
                height - 8,
                anchor,
                date_format(day, "MONTH_DAY_FORMAT"),
            )
        )
    for index, (label, points) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        coordinates = " ".join(f"{x(day)},{y(n)}" for day, n in points)
        total = sum(n for _day, n in points)
        row_y = height + legend_row * index + 14
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round">'
                "<title>{}</title></polyline>"
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"/>'
                '<text x="{}" y="{}" dominant-baseline="middle" fill="#111827">{} ({})</text>',
                coordinates,
                colour,
                label,
                left,
                row_y,
                left + 24,
                row_y,
                colour,
                left + 32,
                row_y,
                label,
                total,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant closing tag
    return format_html_join("", "{}", ((part,) for part in parts))

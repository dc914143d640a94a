"""Charts drawn on the server as inline SVG: no JavaScript, no CDN.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>`` (both referenced from ``aria-labelledby``), and every bar or point has
its own ``<title>`` (a tooltip on hover). Pages put a table with the same numbers
next to each chart for screen readers and for reading exact values. Pure: all text
is escaped here and the result is marked safe.
"""

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

_WIDTH, _HEIGHT = 560, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 16, 16, 44


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="teach-chart" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    # Every text interpolated above went through escape().
    return mark_safe("".join(parts))


def _text(x: float, y: float, text: str, anchor: str = "middle", extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="11" '
        f'fill="#212529"{extra}>{escape(text)}</text>'
    )


def histogram_svg(
    *,
    counts: Sequence[int],
    labels: Sequence[str],
    title: str,
    desc: str,
    bar_title: str = "{label}: {count}",
    x_label: str = "",
    y_label: str = "",
    chart_id: str = "histogram",
) -> SafeString:
    """A bar per bin; ``bar_title`` is formatted with ``label`` and ``count``."""
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    top = max(counts, default=0) or 1
    step = plot_w / max(len(counts), 1)
    body = [
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" '
        f'y2="{_TOP + plot_h}" stroke="#6c757d"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" '
        f'stroke="#6c757d"/>',
        _text(_LEFT - 6, _TOP + 4, str(top), "end"),
        _text(_LEFT - 6, _TOP + plot_h, "0", "end"),
    ]
    for i, (count, label) in enumerate(zip(counts, labels, strict=True)):
        height = plot_h * count / top
        x = _LEFT + i * step + 2
        y = _TOP + plot_h - height
        tip = bar_title.format(label=label, count=count)
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step - 4:.1f}" '
            f'height="{height:.1f}" fill="#0d6efd"><title>{escape(tip)}</title></rect>'
        )
        body.append(_text(x + (step - 4) / 2, _TOP + plot_h + 14, label))
    if x_label:
        body.append(_text(_LEFT + plot_w / 2, _HEIGHT - 6, x_label))
    if y_label:
        body.append(
            _text(
                12,
                _TOP + plot_h / 2,
                y_label,
                extra=f' transform="rotate(-90 12 {_TOP + plot_h / 2:.1f})"',
            )
        )
    return _frame(chart_id, title, desc, body)


_CHAR_W, _LINE_H, _RADIUS = 6.2, 12.0, 5.0


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(x: float, y: float, text: str, anchor: str):
    """The box a label printed at (x, y) with this anchor takes (approximate
    widths: the font is small and the labels short)."""
    width = _CHAR_W * len(text)
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (left, y - _LINE_H + 2, left + width, y + 2)


def _place_labels(marks, bounds):
    """A position for each mark's label that overlaps no other label and no
    point, tried around the point and then further out; ``marks`` are
    ``(cx, cy, text)``. Returns ``(x, y, anchor)`` per mark."""
    dots = [
        (cx - _RADIUS, cy - _RADIUS, cx + _RADIUS, cy + _RADIUS) for cx, cy, _ in marks
    ]
    placed, result = [], []
    for cx, cy, text in marks:
        candidates = []
        for distance in range(0, 8):
            d = distance * _LINE_H
            candidates += [
                (cx + 7, cy - 6 - d, "start"),
                (cx + 7, cy + 14 + d, "start"),
                (cx - 7, cy - 6 - d, "end"),
                (cx - 7, cy + 14 + d, "end"),
            ]
        best, best_cost = None, None
        for x, y, anchor in candidates:
            box = _label_box(x, y, text, anchor)
            cost = sum(_overlaps(box, other) for other in placed) * 10
            cost += sum(_overlaps(box, dot) for dot in dots)
            inside = (
                box[0] >= bounds[0]
                and box[2] <= bounds[2]
                and box[1] >= bounds[1]
                and box[3] <= bounds[3]
            )
            cost += 0 if inside else 5
            if best_cost is None or cost < best_cost:
                best, best_cost = (x, y, anchor), cost
            if cost == 0:
                break
        placed.append(_label_box(*best[:2], text, best[2]))
        result.append(best)
    return result


def scatter_svg(
    *,
    points: Sequence[tuple[str, float, float | None, bool]],
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    point_title: str = "{label}: {x}, {y}",
    no_y_title: str = "{label}: {x}",
    x_range: tuple[float, float] = (0.0, 100.0),
    y_range: tuple[float, float] = (-100.0, 100.0),
    chart_id: str = "scatter",
) -> SafeString:
    """Labelled points ``(label, x, y, flagged)``; flagged ones drawn in red.

    No point is hidden: points that fall on the same spot are drawn once with
    all their labels ("Q1, Q4") and every tooltip; labels are moved until none
    covers another label or a point. A point without a y (a question everyone
    or no one got right has no discrimination index) is drawn hollow on the
    zero line, titled with ``no_y_title``.
    """
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    (x0, x1), (y0, y1) = x_range, y_range

    def sx(x: float) -> float:
        return _LEFT + plot_w * (min(max(x, x0), x1) - x0) / (x1 - x0)

    def sy(y: float) -> float:
        return _TOP + plot_h * (1 - (min(max(y, y0), y1) - y0) / (y1 - y0))

    body = [
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" '
        f'fill="none" stroke="#6c757d"/>',
        f'<line x1="{_LEFT}" y1="{sy(0):.1f}" x2="{_LEFT + plot_w}" y2="{sy(0):.1f}" '
        f'stroke="#adb5bd" stroke-dasharray="4 3"/>',
        _text(_LEFT - 6, _TOP + 4, f"{y1:g}", "end"),
        _text(_LEFT - 6, sy(0) + 4, "0", "end"),
        _text(_LEFT - 6, _TOP + plot_h, f"{y0:g}", "end"),
        _text(_LEFT, _TOP + plot_h + 14, f"{x0:g}"),
        _text(_LEFT + plot_w, _TOP + plot_h + 14, f"{x1:g}"),
        _text(_LEFT + plot_w / 2, _HEIGHT - 6, x_label),
        _text(
            12,
            _TOP + plot_h / 2,
            y_label,
            extra=f' transform="rotate(-90 12 {_TOP + plot_h / 2:.1f})"',
        ),
    ]
    # Points on the same spot (to the pixel) become one mark.
    spots: dict[tuple, dict] = {}
    for label, x, y, flagged in points:
        hollow = y is None
        cx, cy = sx(x), sy(0.0 if hollow else y)
        key = (round(cx), round(cy), hollow)
        spot = spots.setdefault(
            key, {"cx": cx, "cy": cy, "labels": [], "tips": [], "flagged": False}
        )
        spot["labels"].append(label)
        spot["flagged"] = spot["flagged"] or flagged
        if hollow:
            spot["tips"].append(no_y_title.format(label=label, x=f"{x:.0f}"))
        else:
            spot["tips"].append(
                point_title.format(label=label, x=f"{x:.0f}", y=f"{y:.0f}")
            )
        spot["hollow"] = hollow
    marks = [(s["cx"], s["cy"], ", ".join(s["labels"])) for s in spots.values()]
    bounds = (0, 0, _WIDTH, _TOP + plot_h)
    for spot, (x, y, anchor) in zip(
        spots.values(), _place_labels(marks, bounds), strict=True
    ):
        colour = "#dc3545" if spot["flagged"] else "#0d6efd"
        fill = (
            f'fill="#fff" stroke="{colour}" stroke-width="2"'
            if spot["hollow"]
            else f'fill="{colour}" fill-opacity="0.8"'
        )
        tip = "; ".join(spot["tips"])
        body.append(
            f'<g><circle cx="{spot["cx"]:.1f}" cy="{spot["cy"]:.1f}" r="{_RADIUS:g}" '
            f"{fill}><title>{escape(tip)}</title></circle>"
            f"{_text(x, y, ', '.join(spot['labels']), anchor)}</g>"
        )
    return _frame(chart_id, title, desc, body)

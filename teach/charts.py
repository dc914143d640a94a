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


def scatter_svg(
    *,
    points: Sequence[tuple[str, float, float, bool]],
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    point_title: str = "{label}: {x}, {y}",
    x_range: tuple[float, float] = (0.0, 100.0),
    y_range: tuple[float, float] = (-100.0, 100.0),
    chart_id: str = "scatter",
) -> SafeString:
    """Labelled points ``(label, x, y, flagged)``; flagged ones drawn in red."""
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
    for label, x, y, flagged in points:
        colour = "#dc3545" if flagged else "#0d6efd"
        tip = point_title.format(label=label, x=f"{x:.0f}", y=f"{y:.0f}")
        body.append(
            f'<g><circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="5" fill="{colour}" '
            f'fill-opacity="0.8"><title>{escape(tip)}</title></circle>'
            f"{_text(sx(x) + 7, sy(y) - 6, label, 'start')}</g>"
        )
    return _frame(chart_id, title, desc, body)

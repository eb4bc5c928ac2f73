"""Charts as inline SVG, drawn here: no script, no request, and they print.

Every text that reaches the SVG is escaped; numbers are formatted by us. Each chart has a
<title> and an aria-label, and the page shows the same figures in a table beside it.
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["bar_chart", "calibration_chart"]

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 18, 6, 180, 560
PLOT, MARGIN = 300, 48


def _svg(title: str, width: int, height: int, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-family="sans-serif" font-size="12"><title>{escape(title)}</title>'
            + body + "</svg>")


def bar_chart(title: str, bars: list[tuple[str, float]], *, percent: bool = False) -> str:
    """Horizontal bars, longest = full width; values as percentages or plain numbers."""
    top = max((value for _, value in bars), default=0.0) or 1.0
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    rows = []
    for number, (label, value) in enumerate(bars):
        y = GAP + number * (BAR_HEIGHT + GAP)
        length = max(0.0, value) / top * (WIDTH - LABEL_WIDTH - 70)
        shown = f"{value:.1%}" if percent else f"{value:,.4g}"
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="#2f6f8f"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 5}">{escape(shown)}</text>'
        )
    return _svg(title, WIDTH, height, "".join(rows))


def _tick_step(top: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving three to six ticks up to `top`."""
    power = 10.0 ** math.floor(math.log10(top / 4))
    return next(power * factor for factor in (1, 2, 5, 10) if top / (power * factor) <= 5)


def calibration_chart(title: str, bins: list[dict]) -> str:
    """Observed rate against mean prediction, one dot per bin (area by rows), beside the
    diagonal a calibrated model follows. Both axes run from 0 to a round step above the
    largest value shown, because these probabilities are often a few percent and would hug
    a 0-1 corner."""
    highest = max([0.0] + [max(b["predicted"], b["observed"]) for b in bins]) or 1.0
    step = _tick_step(highest)
    top = step * math.ceil(highest / step - 1e-9)
    most = max([1] + [b["rows"] for b in bins])
    digits = max(0, -math.floor(math.log10(step * 100) + 1e-9))

    def x(value: float) -> float:
        return MARGIN + value / top * PLOT

    def y(value: float) -> float:
        return MARGIN / 2 + PLOT - value / top * PLOT

    ticks = "".join(
        f'<line x1="{x(t):.1f}" y1="{y(0):.1f}" x2="{x(t):.1f}" y2="{y(0) + 4:.1f}" stroke="#1d2430"/>'
        f'<text x="{x(t):.1f}" y="{y(0) + 16:.1f}" text-anchor="middle">{t:.{digits}%}</text>'
        f'<line x1="{x(0) - 4:.1f}" y1="{y(t):.1f}" x2="{x(0):.1f}" y2="{y(t):.1f}" stroke="#1d2430"/>'
        f'<text x="{x(0) - 6:.1f}" y="{y(t) + 4:.1f}" text-anchor="end">{t:.{digits}%}</text>'
        for t in (step * i for i in range(round(top / step) + 1)))
    axes = (f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(top)}" y2="{y(0)}" stroke="#1d2430"/>'
            f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(0)}" y2="{y(top)}" stroke="#1d2430"/>'
            f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(top)}" y2="{y(top)}" stroke="#8a94a3" stroke-dasharray="4 4"/>'
            f'<text x="{x(top / 2):.1f}" y="{y(0) + 34:.1f}" text-anchor="middle">predicted</text>'
            f'<text x="12" y="{y(top / 2):.1f}" text-anchor="middle" transform="rotate(-90 12 {y(top / 2):.1f})">observed</text>')
    line = " ".join(f"{x(b['predicted']):.1f},{y(b['observed']):.1f}" for b in bins)
    dots = "".join(f'<circle cx="{x(b["predicted"]):.1f}" cy="{y(b["observed"]):.1f}" r="{3 + 4 * (b["rows"] / most) ** 0.5:.1f}" '
                   f'fill="#2f6f8f"/>' for b in bins)
    return _svg(title, PLOT + MARGIN + 16, PLOT + MARGIN + 16, ticks + axes
                + (f'<polyline points="{line}" fill="none" stroke="#2f6f8f"/>' if bins else "") + dots)

"""Charts as inline SVG, drawn here: no script, no request, and they print.

Every text that reaches the SVG is escaped; numbers are formatted by us. Each chart has a
<title> and an aria-label, and the page shows the same figures in a table beside it.
"""

from __future__ import annotations

from html import escape

__all__ = ["bar_chart"]

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 18, 6, 180, 560


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
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12"><title>{escape(title)}</title>'
            + "".join(rows) + "</svg>")

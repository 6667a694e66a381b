"""Articles over time by source: the archive's (`/archive status`) and a story's (`/story`)."""

from __future__ import annotations

from bot.render.charts.specs import CoverageChart, plain
from bot.render.charts.style import context, draw_bars, figure, png

HEIGHT_IN = 4.5


def draw_coverage(spec: CoverageChart) -> bytes:
    with context():
        fig = figure(HEIGHT_IN)
        ax = fig.add_axes((0.09, 0.12, 0.88, 0.74))
        draw_bars(ax, spec.bars, legend=True)
        fig.text(0.02, 0.95, plain(spec.title, 90), fontsize=13, fontweight="bold", va="top")
        return png(fig)

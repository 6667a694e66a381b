"""An actor as a picture: the articles that name them over time, and who they appear with (a small network around
them, each tie as thick as the sentences they share)."""

from __future__ import annotations

import math

from matplotlib.collections import LineCollection

from bot.render.charts.specs import ActorChart, plain
from bot.render.charts.style import COLOURS, GRID, INK, MUTED, context, draw_bars, figure, png

NAME_CHARS = 28
KIND_COLOURS = {"person": COLOURS[0], "organization": COLOURS[1], "place": COLOURS[2]}  # the rest in grey


def draw_actor(spec: ActorChart) -> bytes:
    with context():
        return png(actor_figure(spec))


def actor_figure(spec: ActorChart):
    with context():
        height = (2.9 if spec.mentions else 0.4) + (5.2 if spec.ties else 0.0) + 0.5
        fig = figure(height)
        fig.text(0.02, 1 - 0.3 / height, plain(spec.title, 90), fontsize=13, fontweight="bold", va="top")
        top = 1 - 0.85 / height
        if spec.mentions:
            panel = 2.1 / height
            ax = fig.add_axes((0.09, top - panel, 0.88, panel))
            draw_bars(ax, spec.mentions, legend=False)
            top -= panel + 0.6 / height
        if spec.ties:
            ax = fig.add_axes((0.0, 0.0, 1.0, max(0.1, top)))
            _network(ax, spec)
        return fig


def _network(ax, spec: ActorChart) -> None:
    """The actor in the middle, the others on a circle, the strongest at the top and on clockwise; labels outside
    the circle, turned away from it, so none runs into another."""
    ax.set_axis_off()
    ax.set_xlim(-2.1, 2.1)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    strongest = max(t.shared for t in spec.ties)
    count = len(spec.ties)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    points = [(math.cos(a), math.sin(a)) for a in angles]
    # One collection for the ties and one for the people (a call per tie costs more than the drawing).
    ax.add_collection(LineCollection([[(0, 0), p] for p in points], colors=GRID, capstyle="round", zorder=1,
                                     linewidths=[1 + 7 * t.shared / strongest for t in spec.ties]))  # fmt: skip
    ax.scatter([x for x, _ in points], [y for _, y in points], s=140, zorder=3,
               color=[KIND_COLOURS.get(t.kind, "#999999") for t in spec.ties])  # fmt: skip
    for tie, (x, y) in zip(spec.ties, points, strict=True):
        ax.text(x * 1.13, y * 1.13, f"{plain(tie.name, NAME_CHARS)} ({tie.shared:,})", fontsize=9.5, color=INK,
                ha="left" if x >= -1e-9 else "right", va="center", zorder=4)  # fmt: skip
    ax.scatter([0], [0], s=420, color=KIND_COLOURS.get(spec.kind, "#999999"), zorder=3)
    ax.text(0, -0.2, plain(spec.name, NAME_CHARS), fontsize=11, fontweight="bold", ha="center", va="top", zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 2})  # fmt: skip
    ax.text(0, -1.3, f"{spec.ties_note} · blue people, orange organisations, green places", fontsize=8.5,
            color=MUTED, ha="center", va="bottom")  # fmt: skip

"""The timeline as a picture: each event a mark on a time axis (a point for a day, a bar for a week, month or
year), as high and as big as its sources are many; the most reported labelled where a label fits; the articles of
the subject beneath, as GDELT draws coverage."""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib.colors import to_rgba

from bot.render.charts.specs import Mark, TimelineChart, next_bin, plain
from bot.render.charts.style import COLOURS, GRID, MUTED, context, date_axis, day_number, draw_bars, figure, png

HEIGHT_IN = 5.0
LABELLED = 5  # events named on the chart: the most reported
LABEL_CHARS = 44


def draw_timeline(spec: TimelineChart) -> bytes:
    with context():
        return png(timeline_figure(spec))


def timeline_figure(spec: TimelineChart):
    with context():
        fig = figure(HEIGHT_IN)
        fig.text(0.02, 0.965, plain(spec.title, 90), fontsize=13, fontweight="bold", va="top")
        top = (0.09, 0.40, 0.88, 0.46) if spec.coverage else (0.09, 0.12, 0.88, 0.74)
        ax = fig.add_axes(top)
        low, high = _range(spec)
        ax.set_xlim(low, high)
        biggest = max(m.sources for m in spec.marks)
        _marks(ax, spec.marks, biggest)
        ax.set_ylim(0, biggest * 1.35 + 0.8)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title("events, by their sources", fontsize=9, color=MUTED, loc="left")
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        date_axis(ax)
        _labels(fig, ax, spec.marks, biggest)
        if spec.coverage:
            below = fig.add_axes((0.09, 0.08, 0.88, 0.22), sharex=ax)
            draw_bars(below, spec.coverage, legend=False)
            below.set_xlim(low, high)
        return fig


def _range(spec: TimelineChart) -> tuple[float, float]:
    firsts = [date.fromisoformat(m.first) for m in spec.marks]
    lasts = [date.fromisoformat(m.last) + timedelta(days=1) for m in spec.marks]
    if spec.coverage:
        firsts.append(date.fromisoformat(spec.coverage.starts[0]))
        lasts.append(next_bin(date.fromisoformat(spec.coverage.starts[-1]), spec.coverage.unit))
    low, high = day_number(min(firsts).isoformat()), day_number(max(lasts).isoformat())
    pad = max(1.0, (high - low) * 0.04)
    return low - pad, high + pad


def _marks(ax, marks: tuple[Mark, ...], biggest: int) -> None:
    """A point for a day, a bar across a longer span; hollow when the event is expected, not yet happened.
    All in one collection each: a call per mark costs more than the drawing."""
    spans = [(m, day_number(m.first), day_number(m.last) + 1) for m in marks if m.first != m.last]
    if spans:
        ax.barh([m.sources for m, _, _ in spans], [end - start for _, start, end in spans],
                left=[start for _, start, _ in spans], height=biggest * 0.04 + 0.08, color=COLOURS[4], alpha=0.45,
                zorder=2)  # fmt: skip
    edge = to_rgba(COLOURS[0], 0.75)
    ax.scatter(
        [(day_number(m.first) + day_number(m.last) + 1) / 2 for m in marks],
        [m.sources for m in marks],
        s=[30 + 220 * (m.sources / biggest) for m in marks],
        facecolors=[(0, 0, 0, 0) if m.expected else edge for m in marks],
        edgecolors=[edge],
        linewidths=1.2,
        zorder=3,
    )


def _labels(fig, ax, marks: tuple[Mark, ...], biggest: int) -> None:
    """Label the most reported marks; a label that would overlap one already placed is left out (the list below
    the chart names every event)."""
    renderer = fig.canvas.get_renderer()
    placed = []
    order = sorted(range(len(marks)), key=lambda i: (-marks[i].sources, i))[:LABELLED]
    for i in order:
        m = marks[i]
        x = (day_number(m.first) + day_number(m.last) + 1) / 2
        text = plain(m.label, LABEL_CHARS)
        step = biggest * 0.07 + 0.1
        for dy, va in ((step, "bottom"), (2.2 * step, "bottom"), (-step, "top")):
            label = ax.text(x, m.sources + dy, text, fontsize=8.5, ha="center", va=va, color="#1f2328", zorder=4,
                            clip_on=False)  # fmt: skip
            box = label.get_window_extent(renderer).expanded(1.04, 1.15)
            inside = ax.get_window_extent(renderer)
            if box.x0 < inside.x0 or box.x1 > inside.x1:
                _shift_inside(label, box, inside, renderer)
                box = label.get_window_extent(renderer).expanded(1.04, 1.15)
            if not any(box.overlaps(other) for other in placed) and box.y1 <= fig.bbox.y1 * 0.93:
                placed.append(box)
                break
            label.remove()


def _shift_inside(label, box, inside, renderer) -> None:
    """Anchor a label at the axis's edge it would run over."""
    label.set_ha("left" if box.x0 < inside.x0 else "right")
    x_axes = 0.0 if box.x0 < inside.x0 else 1.0
    label.set_transform(label.axes.get_yaxis_transform())
    label.set_x(x_axes)

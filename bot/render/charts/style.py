"""One look for every chart: an opaque card that reads the same on Discord's dark and light themes, colours that
colour-blind readers tell apart (Okabe and Ito), the font matplotlib ships, and archive text drawn as plain text."""

from __future__ import annotations

import io
import warnings
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.render.charts.specs import DPI, WIDTH_IN, Bars  # noqa: E402

BACKGROUND = "#f6f7f9"  # an opaque card: transparent PNGs vanish into one theme or the other
INK = "#1f2328"
MUTED = "#59636e"
GRID = "#d0d7de"
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
OTHER = "#b0b7c0"
MIN_DAYS = 14  # the narrowest time axis drawn

RC = {
    "text.parse_math": False,  # "$5 billion" is money, not mathtext
    "text.usetex": False,
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "axes.facecolor": BACKGROUND,
    "figure.facecolor": BACKGROUND,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
    "svg.hashsalt": "newsdesk",
    "path.simplify": True,
}


def figure(height_in: float) -> Figure:
    """A figure of its own (not pyplot's global state: workers draw side by side)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor=BACKGROUND, layout=None)
    FigureCanvasAgg(fig)  # its canvas: measuring labels needs a renderer
    return fig


def png(fig: Figure) -> bytes:
    """The figure's PNG, with no metadata that would change from one drawing to the next."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the font (emoji) draws as a box, not an error
        fig.savefig(out, format="png", dpi=DPI, facecolor=BACKGROUND, metadata={"Software": None})
    return out.getvalue()


def context():
    return matplotlib.rc_context(RC)


def colour(i: int, name: str) -> str:
    return OTHER if name == "other" else COLOURS[i % len(COLOURS)]


def day_number(iso: str) -> float:
    return mdates.date2num(date.fromisoformat(iso))


def draw_bars(ax, b: Bars, legend: bool) -> None:
    """Bars per bin, stacked by series, on a date axis."""
    from bot.render.charts.specs import next_bin

    lefts = [day_number(s) for s in b.starts]
    edges = [*lefts, day_number(next_bin(date.fromisoformat(b.starts[-1]), b.unit).isoformat())]
    bottom = [0] * len(lefts)
    for i, s in enumerate(b.series):
        top = [a + c for a, c in zip(bottom, s.counts, strict=True)]
        # One patch per series (stairs), not one per bar: hundreds of bins draw as fast as ten.
        ax.stairs(top, edges, baseline=bottom, fill=True, color=colour(i, s.name), label=s.name, linewidth=0)
        bottom = top
    ax.set_title(b.label, fontsize=9, color=MUTED, loc="left")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    date_axis(ax)
    low, high = edges[0], edges[-1]
    if high - low < MIN_DAYS:  # a day or two of articles: a fortnight's axis, not one of hours
        middle = (low + high) / 2
        low, high = middle - MIN_DAYS / 2, middle + MIN_DAYS / 2
    pad = (high - low) * 0.03
    ax.set_xlim(low - pad, high + pad)
    many = legend and len(b.series) > 1
    ax.set_ylim(0, max(b.totals()) * (1.35 if many else 1.08))  # room for the legend above the bars
    if many:
        ax.legend(loc="upper left", frameon=False, ncols=min(3, len(b.series)), fontsize=9)


def date_axis(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

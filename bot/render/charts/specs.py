"""What a chart shows, as plain data (picklable: it crosses to the drawing worker), with its alt text.

Every count in a spec is a count of articles or sentences in the archive, so each mark can be traced back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

WIDTH_IN = 8.0  # inches, at DPI: 1000 pixels wide, legible when a phone shrinks it to its width
DPI = 125
ALT_CHARS = 1000  # Discord keeps 1,024 characters of an attachment's description

DAY_SPAN = 62  # a range of up to two months is drawn by day, up to two years by week, then by month, then year
WEEK_SPAN = 730
MONTH_SPAN = 365 * 15


@dataclass(frozen=True)
class Series:
    name: str
    counts: tuple[int, ...]  # one per bin


@dataclass(frozen=True)
class Bars:
    """Counts per bin of time (stacked when there are several series)."""

    unit: str  # day, week, month or year
    starts: tuple[str, ...]  # ISO date each bin starts on
    series: tuple[Series, ...]
    label: str  # what a bar counts, e.g. "articles per week"

    def totals(self) -> list[int]:
        return [sum(s.counts[i] for s in self.series) for i in range(len(self.starts))]


@dataclass(frozen=True)
class Mark:
    """One event on the time axis: a day is a point, a week, month or year a span."""

    first: str
    last: str
    sources: int
    label: str  # short, plain text
    expected: bool = False


@dataclass(frozen=True)
class TimelineChart:
    title: str
    marks: tuple[Mark, ...]
    coverage: Bars | None
    alt: str
    filename: str = "timeline.png"


@dataclass(frozen=True)
class Tie:
    name: str
    kind: str
    shared: int  # sentences naming both


@dataclass(frozen=True)
class ActorChart:
    title: str
    name: str
    kind: str
    mentions: Bars | None
    ties: tuple[Tie, ...]
    alt: str
    ties_note: str = "ties: sentences naming both"
    filename: str = "actor.png"


@dataclass(frozen=True)
class CoverageChart:
    title: str
    bars: Bars
    alt: str
    filename: str = "coverage.png"


Spec = TimelineChart | ActorChart | CoverageChart


def unit_for(first: date, last: date) -> str:
    span = (last - first).days
    if span <= DAY_SPAN:
        return "day"
    if span <= WEEK_SPAN:
        return "week"
    return "month" if span <= MONTH_SPAN else "year"


def bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())  # Mondays
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def next_bin(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def bars(
    counts: dict[str, dict[str, int]], label: str, first: date | None = None, last: date | None = None, top: int = 5
) -> Bars | None:
    """Per-day counts by series name ({day: {name: n}}) binned by a unit that fits their span (or first..last),
    the `top` biggest series by name and the rest as "other". None when there is nothing to count."""
    days = sorted(d for d, by in counts.items() if sum(by.values()))
    if not days:
        return None
    first = first or date.fromisoformat(days[0])
    last = last or date.fromisoformat(days[-1])
    unit = unit_for(first, last)
    starts, index = [], {}
    at = bin_start(first, unit)
    while at <= last:
        index[at] = len(starts)
        starts.append(at)
        at = next_bin(at, unit)
    totals: dict[str, int] = {}
    for by in counts.values():
        for name, n in by.items():
            totals[name] = totals.get(name, 0) + n
    named = sorted(totals, key=lambda n: (-totals[n], n))
    kept = named if len(named) <= top + 1 else named[:top]
    rows = {name: [0] * len(starts) for name in [*kept, "other"]}
    for day, by in counts.items():
        at = bin_start(date.fromisoformat(day), unit)
        if at not in index:
            continue  # outside first..last
        for name, n in by.items():
            rows[name if name in rows else "other"][index[at]] += n
    series = tuple(Series(name, tuple(rows[name])) for name in rows if any(rows[name]))
    if not series:
        return None
    return Bars(unit, tuple(s.isoformat() for s in starts), series, f"{label} per {unit}")


def peak(b: Bars) -> str:
    """ "peaking at 14 in the week of 1987-03-02" """
    totals = b.totals()
    top = max(range(len(totals)), key=lambda i: (totals[i], -i))
    when = b.starts[top] if b.unit == "day" else f"the {b.unit} of {b.starts[top]}"
    return f"peaking at {totals[top]:,} on {when}" if b.unit == "day" else f"peaking at {totals[top]:,} in {when}"


def alt(text: str) -> str:
    return text if len(text) <= ALT_CHARS else text[: ALT_CHARS - 1] + "…"


def plain(text: str, limit: int) -> str:
    """Archive text for a label: one line, at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Picture:
    """A drawn chart, as an answer carries it."""

    filename: str
    png: bytes = field(repr=False)
    alt: str

"""Pictures of answers: what to draw (`specs`, plain data), and the drawing of it (matplotlib's Agg, imported only
where a chart is drawn: in a worker process for the bot, in the command's own process for the terminal).

`draw(spec)` returns PNG bytes, the same bytes for the same spec (no timestamps, fixed layouts and fonts)."""

from __future__ import annotations

from bot.render.charts.specs import ActorChart, CoverageChart, Spec, TimelineChart


def draw(spec: Spec) -> bytes:
    """The PNG of a chart (run where blocking is fine: a worker process, or the terminal)."""
    if isinstance(spec, TimelineChart):
        from bot.render.charts.timeline import draw_timeline

        return draw_timeline(spec)
    if isinstance(spec, ActorChart):
        from bot.render.charts.actor import draw_actor

        return draw_actor(spec)
    if isinstance(spec, CoverageChart):
        from bot.render.charts.coverage import draw_coverage

        return draw_coverage(spec)
    raise TypeError(f"no chart is drawn for {type(spec).__name__}")


def warm() -> None:
    """Import what drawing needs, so a worker's first chart is as quick as its next."""
    from bot.render.charts import actor, coverage, timeline  # noqa: F401

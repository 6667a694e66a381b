"""Drawing the bot's pictures off the event loop: in a worker process of their own, each within a time limit.

A chart that fails or runs late costs nothing but itself: `draw` returns None, the log says why, and the answer
goes out as text. The worker starts at the first chart (most bots that are never asked for one never pay for it)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable

from bot.render import charts
from bot.render.charts.specs import Picture, Spec
from bot.render.pages import Answer
from bot.workers import WorkerPool

log = logging.getLogger(__name__)

CHART_SECONDS = 8.0  # to draw one chart, once a worker has it
WAIT_SECONDS = 12.0  # for a chart in all, waiting for a free worker included
DATA_SECONDS = 4.0  # to read what a chart shows
WORKERS = 1  # drawing takes a fraction of a second: one process keeps the other core for the ingest
MEMORY_MB = 700


class Drawer:
    def __init__(self, workers: int = WORKERS, seconds: float = CHART_SECONDS, wait: float = WAIT_SECONDS):
        self.workers, self.seconds, self.wait = workers, seconds, wait
        self._pool: WorkerPool | None = None
        self._starting = asyncio.Lock()

    async def attach(self, answer: Answer, spec: Awaitable[Spec | None]) -> Answer:
        """The answer with its picture, drawn from the spec `spec` makes; the answer alone if that fails."""
        try:
            made = await asyncio.wait_for(spec, DATA_SECONDS)
        except TimeoutError:
            log.warning("a chart was left out: its data took over %g s to read", DATA_SECONDS)
            return answer
        except Exception:  # the chart's data could not be read: the answer still goes
            log.exception("the data for a chart could not be read; answering without it")
            return answer
        picture = await self.draw(made)
        return dataclasses.replace(answer, picture=picture) if picture else answer

    async def draw(self, spec: Spec | None) -> Picture | None:
        """The chart as a Picture, or None (no chart asked, or it failed or ran late: logged)."""
        if spec is None:
            return None
        try:
            pool = await self._started()
            png = await asyncio.wait_for(pool.submit(charts.draw, spec, self.seconds), self.wait)
        except Exception as exc:  # TaskFailed, a timeout, a worker that would not start: the chart's loss alone
            log.warning("the %s chart was left out: %s", spec.filename, _why(exc))
            return None
        return Picture(spec.filename, png, spec.alt)

    async def _started(self) -> WorkerPool:
        async with self._starting:
            if self._pool is None:
                self._pool = await asyncio.to_thread(
                    WorkerPool, None, self.workers, MEMORY_MB, charts.warm, "newsdesk-chart-worker"
                )
            return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await asyncio.to_thread(self._pool.shutdown, False)
            self._pool = None


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "it was not drawn in time (the drawing worker is busy)"
    return str(exc) or type(exc).__name__

"""Work the bot does beside answering: ingesting the archive folder, and watching its own event loop.

Neither knows Discord. The ingest's CPU work runs in worker processes and its writes in a thread (see
`bot.ingest`), so the event loop stays free for the gateway heartbeat and interactions; `LoopLag` measures that.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.archive import Archive
from bot.config import Settings
from bot.ingest import IngestError, IngestReport, ingest_folder
from bot.nlp import ModelError
from bot.workers import WorkerPool

log = logging.getLogger(__name__)


@dataclass
class IngestProgress:
    reason: str
    started: float
    done: int = 0
    total: int = 0


class IngestRunner:
    """At most one ingest at a time, in the background; its progress and last result for `/archive`."""

    def __init__(self, archive: Archive, settings: Settings, pool: WorkerPool | None = None):
        self.archive = archive
        self.settings = settings
        self.pool = pool  # worker processes to use; None: a pool of its own for each run
        self.progress: IngestProgress | None = None
        self.last_report: IngestReport | None = None
        self.last_error: str | None = None
        self._task: asyncio.Task | None = None
        self._scanner: asyncio.Task | None = None
        self.next_scan: float | None = None  # monotonic time of the next periodic scan

    def scan_every(self, minutes: int) -> None:
        """Look for new and changed files in the archive folder every `minutes`, ingesting what is found."""
        if minutes > 0 and self._scanner is None:
            self._scanner = asyncio.create_task(self._scan_forever(minutes * 60), name="archive scan")

    async def _scan_forever(self, seconds: float) -> None:
        while True:
            self.next_scan = time.monotonic() + seconds
            await asyncio.sleep(seconds)
            self.start("scheduled scan")
            await self.wait()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, reason: str) -> bool:
        """Start an ingest of the archive folder; False when one is already running."""
        if self.running:
            return False
        self.progress = IngestProgress(reason, time.monotonic())
        self._task = asyncio.create_task(self._run(self.progress), name=f"ingest ({reason})")
        return True

    async def wait(self) -> IngestReport | None:
        if self._task is not None:
            await asyncio.wait([self._task])
        return self.last_report

    async def stop(self) -> None:
        for task in (self._scanner, self._task):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.wait([task])

    def describe(self) -> str:
        """One line on the ingest: running (how far), or how the last one ended."""
        if self.running and self.progress:
            p = self.progress
            where = f"{p.done:,} of {p.total:,} files" if p.total else "scanning the folder"
            return f"An ingest is running ({p.reason}): {where}, {time.monotonic() - p.started:.0f} s so far."
        lines = []
        if self.last_error:
            lines.append(f"The last ingest failed: {self.last_error}")
        if self.next_scan is not None:
            minutes = max(0, round((self.next_scan - time.monotonic()) / 60))
            lines.append(f"New files dropped in the archive folder are picked up within {minutes} min.")
        return "\n".join(lines)

    async def _run(self, progress: IngestProgress) -> None:
        def tick(done: int, total: int) -> None:
            progress.done, progress.total = done, total

        try:
            self.last_report = await ingest_folder(
                self.archive,
                self.settings.archive_dir,
                max_bytes=self.settings.max_article_bytes,
                model=self.settings.nlp_model,
                progress=tick,
                pool=self.pool,
                file_seconds=self.settings.ingest_file_seconds,
                worker_mb=self.settings.ingest_worker_mb,
            )
            self.last_error = None
            log.info("ingest (%s) done: %s", progress.reason, dict(self.last_report.counts))
        except asyncio.CancelledError:
            raise
        except (IngestError, ModelError) as exc:  # written for the people who run the bot: shown in /archive
            self.last_error = str(exc)
            log.error("ingest (%s) failed: %s", progress.reason, exc)
        except Exception:  # the bot goes on answering from what is stored; the detail is for the log only
            self.last_error = "an unexpected error (the bot's log has the details)"
            log.exception("ingest (%s) failed", progress.reason)


class LoopLag:
    """How late the event loop wakes a task that asked to sleep `interval` seconds: the longest stall seen."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.worst = 0.0
        self.samples = 0
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._watch(), name="loop lag")

    def reset(self) -> None:
        self.worst, self.samples = 0.0, 0

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])
            self._task = None

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.interval)
            late = time.perf_counter() - before - self.interval
            self.worst = max(self.worst, late)
            self.samples += 1


class HealthFile:
    """A small JSON file the bot rewrites every `interval` seconds from its event loop: when it last did, and
    whether it is connected to Discord. `newsdesk health` (Docker's healthcheck) reads it; a stuck event loop
    stops the writes, so the file tells a connected bot from a stuck one."""

    def __init__(self, path: Path, state: Callable[[], dict], interval: float = 15.0):
        self.path = path
        self.state = state
        self.interval = interval
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._beat(), name="health file")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])
            self._task = None
        with contextlib.suppress(OSError):
            self.path.unlink()

    def write(self) -> None:
        try:
            record = {"at": time.time(), **self.state()}
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(record), encoding="utf-8")
            tmp.replace(self.path)  # atomic: the reader never sees half a file
        except Exception as exc:  # never let the beat die: a stale file would say "stuck" for good
            log.warning("cannot write the health file %s: %s", self.path, exc)

    async def _beat(self) -> None:
        while True:
            self.write()
            await asyncio.sleep(self.interval)


def check_health(path: Path, max_age: float = 60.0) -> str | None:
    """Why the bot is not healthy by its health file (None: it is)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"no health file at {path}: the bot is not running (or is still starting)"
    age = time.time() - float(record.get("at", 0))
    if age > max_age:
        return f"the bot has not reported for {age:.0f} s: its event loop is stuck or it has stopped"
    if not record.get("connected"):
        return "the bot is running but not connected to Discord"
    return None

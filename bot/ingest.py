"""Ingest: bring a folder of article files into the archive, incrementally and safely.

- A file whose size, modification time and metadata are as stored is not read again.
- Reading, parsing and the language pipeline run in worker processes (each loads the spaCy model once, and
  feeds it a batch at a time), never on the event loop.
- Results are stored in batches, each one transaction: a crash loses at most the batch in flight, and the next
  run redoes it, because what decides "unchanged" is what the database holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import os
import stat
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.archive import Archive, FileItem, FileState
from bot.articles import PARSER_VERSION, NoText, content_fingerprint, parse_article
from bot.config import DEFAULT_NLP_MODEL
from bot.metadata import ArticleMeta, MetadataTable, load_metadata
from bot.nlp import check_model
from bot.nlp.records import PIPELINE_VERSION
from bot.textfile import Unreadable, decode, read_bytes

log = logging.getLogger(__name__)

ARTICLE_SUFFIX = ".txt"
BATCH_SIZE = 64

Progress = Callable[[int, int], None]


class IngestError(Exception):
    """The ingest cannot start (e.g. the folder does not exist); the message says what to do."""


@dataclass(frozen=True)
class Job:
    path: str
    size: int
    mtime_ns: int
    meta: ArticleMeta
    recipe_sha: str
    max_bytes: int
    known_byte_sha: str | None  # set when the stored recipe matches: same bytes then mean "unchanged"
    model: str


@dataclass
class IngestReport:
    folder: str
    counts: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    metadata_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    files_seen: int = 0


def recipe_for(meta: ArticleMeta, model: str) -> str:
    """What, besides the bytes, makes an article: its metadata, and the versions of the parser and pipeline."""
    recipe = f"{PARSER_VERSION}:{PIPELINE_VERSION}:{model}:{meta.fingerprint()}"
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


async def ingest_folder(
    archive: Archive,
    folder: Path,
    *,
    max_bytes: int,
    model: str = DEFAULT_NLP_MODEL,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> IngestReport:
    started = time.perf_counter()
    root = _check_folder(folder)
    table, scanned = await asyncio.to_thread(_scan, root)
    report = IngestReport(folder=str(root), files_seen=len(scanned), metadata_problems=table.problems)
    known = await archive.file_states(str(root))
    run_id = await archive.begin_run(str(root))

    seen = {path for path, _, _ in scanned}
    gone = sorted(p for p, state in known.items() if p not in seen and state.status != "missing")
    await archive.mark_missing(gone)
    report.missing = [_rel(root, p) for p in gone]
    report.counts["missing"] = len(gone)

    # Hashing every file's recipe is a second of CPU at 100,000 files: not on the event loop.
    jobs, unchanged = await asyncio.to_thread(_plan, scanned, known, table, root, max_bytes, model)
    await archive.touch_unchanged(unchanged)
    report.counts["unchanged"] += len(unchanged)
    total = len(jobs)
    if progress:
        progress(0, total)
    done = 0
    async with contextlib.aclosing(_process(jobs, executor)) as batches:
        async for items in batches:
            outcomes = await archive.store_files(items)
            for item, (outcome, note) in zip(items, outcomes, strict=True):
                report.counts[outcome] += 1
                if outcome == "skipped":
                    report.skipped.append((_rel(root, item.path), note or ""))
                elif outcome == "duplicate":
                    report.duplicates.append((_rel(root, item.path), note or ""))
            done += len(items)
            if progress:
                progress(done, total)
    await archive.finish_run(run_id, report.counts)
    report.seconds = time.perf_counter() - started
    log.debug("ingest of %s: %s in %.1fs", root, dict(report.counts), report.seconds)
    return report


def _check_folder(folder: Path) -> Path:
    root = Path(folder).expanduser()
    if not root.exists():
        raise IngestError(f"the archive folder {root} does not exist; set ARCHIVE_DIR or pass a folder")
    if not root.is_dir():
        raise IngestError(f"{root} is not a folder; set ARCHIVE_DIR or pass the folder that holds the articles")
    return root.resolve()


def _rel(root: Path, path: str) -> str:
    return os.path.relpath(path, root)


def _scan(root: Path) -> tuple[MetadataTable, list[tuple[str, int, int]]]:
    """Every *.txt file below root (hidden ones and symlinked folders aside), with size and mtime."""
    found: list[tuple[str, int, int]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(ARTICLE_SUFFIX):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is not None and not stat.S_ISREG(st.st_mode):
                continue  # a pipe or a device named *.txt: reading it could block forever
            found.append((path, st.st_size if st else -1, st.st_mtime_ns if st else -1))
    return load_metadata(root), found


def _plan(
    scanned: list[tuple[str, int, int]],
    known: dict[str, FileState],
    table: MetadataTable,
    root: Path,
    max_bytes: int,
    model: str,
) -> tuple[list[Job], list[tuple[str, int, int]]]:
    """Split the scan into files to read (jobs) and files known to be unchanged."""
    jobs: list[Job] = []
    unchanged: list[tuple[str, int, int]] = []
    for path, size, mtime in scanned:
        meta = table.for_file(Path(_rel(root, path)).as_posix())
        recipe = recipe_for(meta, model)
        state = known.get(path)
        settled = state is not None and state.status in ("ok", "duplicate") and state.recipe_sha == recipe
        if settled and state.size == size and state.mtime_ns == mtime:
            unchanged.append((path, size, mtime))
        else:
            jobs.append(Job(path, size, mtime, meta, recipe, max_bytes, state.byte_sha if settled else None, model))
    return jobs, unchanged


async def _process(jobs: list[Job], executor: Executor | None):
    """Yield stored-ready batches in job order, keeping the workers a few batches ahead."""
    if not jobs:
        return
    own = executor is None
    batches = [jobs[i : i + BATCH_SIZE] for i in range(0, len(jobs), BATCH_SIZE)]
    if own:
        check_model(jobs[0].model)  # here, with a clear message, rather than as a broken worker pool
        executor = worker_pool(jobs[0].model, workers=min(os.cpu_count() or 1, len(batches)))
    loop = asyncio.get_running_loop()
    window = 2 * (getattr(executor, "_max_workers", 1) or 1)
    pending: deque[asyncio.Future[list[FileItem]]] = deque()
    try:
        for batch in batches:
            pending.append(loop.run_in_executor(executor, process_batch, batch))
            if len(pending) >= window:
                yield await pending.popleft()
        while pending:
            yield await pending.popleft()
    finally:
        for future in pending:
            future.cancel()
        if own:
            # Waiting for the workers to exit takes a while (each holds a language model): not on the event loop.
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)


def worker_pool(model: str, workers: int) -> ProcessPoolExecutor:
    """Worker processes for ingest, each with the language model loaded before its first batch."""
    # spawn: the parent runs an event loop and aiosqlite's thread, which fork would copy half-way.
    return ProcessPoolExecutor(
        max_workers=max(1, workers),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_load_model,
        initargs=(model,),
    )


# The language pipeline is imported in the worker processes only: the bot's own process never loads spaCy.
def _load_model(model: str) -> None:
    from bot.nlp import pipeline

    pipeline.load(model)


def process_batch(jobs: list[Job]) -> list[FileItem]:
    """Read and parse each file, then run the language pipeline over the batch's bodies in one `nlp.pipe`."""
    from bot.nlp import pipeline
    from bot.nlp.analysis import analyze_doc, hints_for, to_records

    items = [process_file(job) for job in jobs]
    todo = [item for item in items if item.article is not None]
    for item in todo:
        if len(item.article.body) > pipeline.MAX_ANALYSIS_CHARS:
            log.warning(
                "%s: %d characters, too long to analyse; stored and searchable only", item.path, len(item.article.body)
            )
    todo = [item for item in todo if len(item.article.body) <= pipeline.MAX_ANALYSIS_CHARS]
    if not todo:
        return items
    try:
        docs = pipeline.pipe((item.article.body for item in todo), jobs[0].model)
        for item, doc in zip(todo, docs, strict=True):
            analysis = analyze_doc(item.article.body, doc, hints_for(item.article), _published(item.article))
            item.analysis = to_records(analysis, _published(item.article))
    except Exception:  # a pipeline bug must not lose the batch: redo it one article at a time
        log.exception("language pipeline failed on a batch; retrying its articles one by one")
        for item in todo:
            _analyze_one(item, jobs[0].model)
    return items


def _published(article) -> date | None:
    return date.fromisoformat(article.published) if article.published else None


def _analyze_one(item: FileItem, model: str) -> None:
    from bot.nlp import pipeline
    from bot.nlp.analysis import analyze_doc, hints_for, to_records

    try:
        doc = next(pipeline.pipe([item.article.body], model))
        published = _published(item.article)
        item.analysis = to_records(analyze_doc(item.article.body, doc, hints_for(item.article), published), published)
    except Exception as exc:
        log.exception("language pipeline failed on %s", item.path)
        item.article, item.skip_reason = None, f"error: language pipeline: {type(exc).__name__}: {exc}"


def process_file(job: Job) -> FileItem:
    """Read, decode and parse one file; any failure becomes a recorded reason, never an exception."""
    item = FileItem(path=job.path, size=job.size, mtime_ns=job.mtime_ns, recipe_sha=job.recipe_sha)
    try:
        data = read_bytes(Path(job.path), job.max_bytes)
        item.byte_sha = hashlib.sha256(data).hexdigest()
        if item.byte_sha == job.known_byte_sha:
            item.same_bytes = True
            return item
        text = decode(data)
        item.encoding = text.encoding
        item.content_sha = content_fingerprint(text.text)
        item.article = parse_article(text.text, job.meta)
    except Unreadable as exc:
        item.skip_reason = str(exc)
    except NoText as exc:
        item.skip_reason = f"no text: {exc}"
    except Exception as exc:  # a parser bug must not stop the other files
        log.exception("could not parse %s", job.path)
        item.skip_reason = f"error: {type(exc).__name__}: {exc}"
    return item

"""Ingest: bring a folder of article files into the archive, incrementally and safely.

- A file whose size, modification time and metadata are as stored is not read again; nor is a file refused
  before, while it and the limits it was refused under stay the same.
- Reading, parsing and the language pipeline run in worker processes (each loads the spaCy model once, and
  feeds it a batch at a time), never on the event loop.
- No file can stop the others: each batch has a time budget and each worker a memory budget (bot/workers.py);
  a batch past either, or whose worker dies, is done again file by file, and the one file that fails alone is
  recorded as skipped, with why.
- Results are stored in batches, each one transaction: a crash loses at most the batch in flight, and the next
  run redoes it, because what decides "unchanged" is what the database holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.archive import Archive, FileItem, FileState
from bot.articles import PARSER_VERSION, NoText, content_fingerprint, parse_article
from bot.config import DEFAULT_FILE_SECONDS, DEFAULT_NLP_MODEL, DEFAULT_WORKER_MB
from bot.folder import Entry, kind_of, read_file, scan
from bot.intake.records import BadRecord, Record, article_of
from bot.metadata import ArticleMeta, MetadataTable, load_metadata
from bot.nlp import check_model
from bot.nlp.records import PIPELINE_VERSION
from bot.textfile import Unreadable, decode
from bot.workers import TaskFailed, WorkerPool

log = logging.getLogger(__name__)

BATCH_SIZE = 64
BATCH_BYTES = 256 * 1024  # a batch of big files is smaller: its time budget is one file's
# An export (JSON Lines, CSV, WARC) holds many articles: it may be this many times MAX_ARTICLE_BYTES, and reading
# it (pages extracted, records split) may take this many times INGEST_FILE_SECONDS. Its articles are then
# analysed in batches like files, each under the limits of one.
CONTAINER_FACTOR = 50
RECORD_KEY = re.compile(r"^(?P<container>.+)#(?P<n>\d+)$")

Progress = Callable[[int, int], None]


class IngestError(Exception):
    """The ingest cannot start (e.g. the folder does not exist); the message says what to do."""


@dataclass(frozen=True)
class Limits:
    """What one file may cost: its size, and the time and memory its analysis takes."""

    max_bytes: int
    file_seconds: float = DEFAULT_FILE_SECONDS
    worker_mb: int = DEFAULT_WORKER_MB

    def fingerprint(self) -> str:
        return f"{self.max_bytes}:{self.file_seconds:g}:{self.worker_mb}"


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
    real: str = ""  # the file to open (a link's target inside the archive); default: path
    root: str = "/"
    record: Record | None = None  # an article already read (an export's record, a feed item): nothing to open
    part_of: str | None = None  # the export that holds the record


@dataclass
class IngestReport:
    folder: str
    counts: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    metadata_problems: list[str] = field(default_factory=list)
    in_part: list[tuple[str, str]] = field(default_factory=list)  # stored and searchable whole, analysed in part
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
    pool: WorkerPool | None = None,
    report: IngestReport | None = None,
    file_seconds: float = DEFAULT_FILE_SECONDS,
    worker_mb: int = DEFAULT_WORKER_MB,
) -> IngestReport:
    """Ingest the folder; `report` (filled as the run goes, so an interrupted run can say what it did) is
    returned. Without a `pool`, the run starts worker processes of its own, with `worker_mb` each."""
    started = time.perf_counter()
    limits = Limits(max_bytes, file_seconds, worker_mb)
    root = _check_folder(folder)
    table, entries = await asyncio.to_thread(_scan, root)
    report = report if report is not None else IngestReport(folder=str(root))
    report.folder, report.files_seen = str(root), len(entries)
    report.metadata_problems.extend(table.problems)
    known = await archive.file_states(str(root))
    run_id = await archive.begin_run(str(root))

    seen = {entry.path for entry in entries}
    gone = sorted(p for p, state in known.items() if _holder(p) not in seen and state.status != "missing")
    await archive.mark_missing(gone)
    report.missing = [_rel(root, p) for p in gone]
    report.counts["missing"] = len(gone)

    # Hashing every file's recipe is a second of CPU at 100,000 files: not on the event loop.
    jobs, refused, unchanged = await asyncio.to_thread(_plan, entries, known, table, root, limits, model)
    await archive.touch_unchanged(unchanged)
    report.counts["unchanged"] += len(unchanged)
    total = len(jobs) + len(refused)
    if progress:
        progress(0, total)
    done = 0

    async def store(items: list[FileItem]) -> None:
        writing = asyncio.ensure_future(archive.store_files(items))
        try:
            outcomes = await asyncio.shield(writing)
        except asyncio.CancelledError:
            # Stopped (Ctrl-C, SIGTERM) while the batch commits: it lands whole or not at all, so the report
            # waits for which, and counts it if it landed.
            with contextlib.suppress(Exception):
                tally(items, await writing)
            raise
        tally(items, outcomes)

    reread: dict[str, int] = {}  # exports read again, with how many records they hold now

    def tally(items: list[FileItem], outcomes: list[tuple[str, str | None]]) -> None:
        nonlocal done
        for item, (outcome, note) in zip(items, outcomes, strict=True):
            if item.records is not None:
                reread[item.path] = item.records
                continue
            report.counts[outcome] += 1
            if outcome == "skipped":
                report.skipped.append((_rel(root, item.path), note or ""))
            elif outcome == "duplicate":
                report.duplicates.append((_rel(root, item.path), note or ""))
            elif item.note and outcome in ("added", "updated"):
                report.in_part.append((_rel(root, item.path), item.note))
        done += sum(1 for item in items if item.part_of is None)
        if progress:
            progress(done, total)

    for start in range(0, len(refused), BATCH_SIZE):
        await store(refused[start : start + BATCH_SIZE])
    async with contextlib.aclosing(_process(jobs, pool, limits)) as batches:
        async for items in batches:
            await store(items)
    # Records an export no longer holds (it was cut short): marked missing, their articles kept.
    shorter = sorted(
        p
        for p, state in known.items()
        if (m := RECORD_KEY.match(p))
        and int(m["n"]) > reread.get(m["container"], 1 << 62)
        and state.status != "missing"
    )
    await archive.mark_missing(shorter)
    await archive.place_stories()
    report.missing += [_rel(root, p) for p in shorter]
    report.counts["missing"] += len(shorter)
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


def _holder(path: str) -> str:
    """The file a stored path comes from: an export's record ("news.jsonl#12") from the export."""
    m = RECORD_KEY.match(path)
    return m["container"] if m and kind_of(m["container"]) == "container" else path


def _scan(root: Path) -> tuple[MetadataTable, list[Entry]]:
    entries = scan(root)
    table = load_metadata(root)
    table.problems.extend(table.unused({Path(_rel(root, e.path)).as_posix() for e in entries}))
    return table, entries


def _refused_recipe(recipe: str, limits: Limits) -> str:
    """The recipe of a file that went past the limits: the same file under the same limits is not tried again."""
    return hashlib.sha256(f"{recipe}:{limits.fingerprint()}".encode()).hexdigest()[:16]


def _plan(
    entries: list[Entry],
    known: dict[str, FileState],
    table: MetadataTable,
    root: Path,
    limits: Limits,
    model: str,
) -> tuple[list[Job], list[FileItem], list[tuple[str, int, int]]]:
    """Split the scan into files to read (jobs), files refused unread, and files known to be unchanged."""
    jobs: list[Job] = []
    refused: list[FileItem] = []
    unchanged: list[tuple[str, int, int]] = []
    for entry in entries:
        path, size, mtime = entry.path, entry.size, entry.mtime_ns
        meta = table.for_file(Path(_rel(root, path)).as_posix())
        recipe = recipe_for(meta, model)
        state = known.get(path)
        same_stat = state is not None and state.size == size and state.mtime_ns == mtime
        settled = state is not None and state.status in ("ok", "duplicate") and state.recipe_sha == recipe
        over_limits = (
            state is not None and state.status == "skipped" and state.recipe_sha == _refused_recipe(recipe, limits)
        )
        if same_stat and (settled or over_limits):
            unchanged.append((path, size, mtime))
        elif entry.refusal is not None:
            refused.append(FileItem(path=path, size=size, mtime_ns=mtime, recipe_sha=recipe, skip_reason=entry.refusal))
        else:
            known_sha = state.byte_sha if settled else None
            jobs.append(Job(path, size, mtime, meta, recipe, limits.max_bytes, known_sha, model, entry.real, str(root)))
    return jobs, refused, unchanged


def _batches(jobs: list[Job]) -> list[list[Job]]:
    """Batches of at most BATCH_SIZE files and, but for a single big file, BATCH_BYTES, in scan order (which
    decides article numbers, and which of two copies is the original)."""
    batches: list[list[Job]] = []
    batch: list[Job] = []
    size = 0
    for job in jobs:
        if batch and (len(batch) >= BATCH_SIZE or size + job.size > BATCH_BYTES):
            batches.append(batch)
            batch, size = [], 0
        batch.append(job)
        size += max(job.size, 0)
    if batch:
        batches.append(batch)
    return batches


async def _process(jobs: list[Job], pool: WorkerPool | None, limits: Limits):
    """Yield stored-ready batches in job order, keeping the workers a few batches ahead."""
    if not jobs:
        return
    own = pool is None
    exports: list[Job] = []
    plain: list[Job] = []
    for job in jobs:
        (exports if job.record is None and kind_of(job.path) == "container" else plain).append(job)
    jobs = plain
    if own:
        check_model((jobs or exports)[0].model)  # here, with a clear message, rather than as a broken worker
        workers = min(os.cpu_count() or 1, len(_batches(jobs)) + len(exports))
        pool = await _start_pool((jobs or exports)[0].model, workers, limits.worker_mb)
    pending: deque[asyncio.Future[list[FileItem]]] = deque()
    try:
        for export in exports:  # split first: its records are then analysed in batches like files
            item, records, bad = await _split_export(pool, export, limits)
            yield [item, *bad]
            jobs += records
        for batch in _batches(jobs):
            pending.append(asyncio.ensure_future(_run_batch(pool, batch, limits)))
            if len(pending) >= 2 * pool.size:
                yield await pending.popleft()
        while pending:
            yield await pending.popleft()
    finally:
        for future in pending:
            future.cancel()
        if own:
            # Waiting for the workers to exit takes a while (each holds a language model): not on the event loop.
            await asyncio.to_thread(pool.shutdown)


async def _split_export(pool: WorkerPool, job: Job, limits: Limits) -> tuple[FileItem, list[Job], list[FileItem]]:
    """An export's own item, the jobs of its good records and the items of its bad ones."""
    try:
        return await pool.submit(split_export, job, limits.file_seconds * CONTAINER_FACTOR)
    except TaskFailed as exc:
        if exc.kind == "closed":
            raise
        return _failed(job, exc, limits), [], []


def split_export(job: Job) -> tuple[FileItem, list[Job], list[FileItem]]:
    """Read an export (JSON Lines, CSV, WARC) into records, in a worker: each good record becomes a job with the
    key "<export>#<n>", each bad one an item skipped with its reason."""
    from bot.intake.formats import read_records

    item = FileItem(path=job.path, size=job.size, mtime_ns=job.mtime_ns, recipe_sha=job.recipe_sha)
    try:
        data = read_file(job.real or job.path, job.root, job.max_bytes * CONTAINER_FACTOR)
    except Unreadable as exc:
        item.skip_reason = str(exc)
        return item, [], []
    item.byte_sha = hashlib.sha256(data).hexdigest()
    if item.byte_sha == job.known_byte_sha:
        item.same_bytes = True
        return item, [], []
    jobs, bad = [], []
    for n, record in read_records(job.path, data):
        key = f"{job.path}#{n}"
        if isinstance(record, BadRecord):
            bad.append(
                FileItem(key, job.size, job.mtime_ns, job.recipe_sha, skip_reason=record.reason, part_of=job.path)
            )
        else:
            size = len(record.encoded())
            jobs.append(Job(key, size, job.mtime_ns, ArticleMeta(), job.recipe_sha, job.max_bytes, None, job.model,
                            record=record, part_of=job.path))  # fmt: skip
        item.records = n
    item.records = item.records or 0
    return item, jobs, bad


async def _start_pool(model: str, workers: int, memory_mb: int) -> WorkerPool:
    """A pool of our own, started off the event loop; stopped again if the ingest is cancelled meanwhile."""
    starting = asyncio.ensure_future(asyncio.to_thread(worker_pool, model, workers, memory_mb))
    try:
        return await asyncio.shield(starting)
    except asyncio.CancelledError:
        starting.add_done_callback(_stop_started_pool)
        raise


def _stop_started_pool(done: asyncio.Future) -> None:
    if not done.cancelled() and done.exception() is None:
        done.result().shutdown(wait=False)


async def _run_batch(pool: WorkerPool, batch: list[Job], limits: Limits) -> list[FileItem]:
    """The batch's items; a batch that fails as a whole is done again file by file, so only the file that
    fails alone is lost, recorded with its reason."""
    try:
        return await pool.submit(process_batch, batch, limits.file_seconds)
    except TaskFailed as exc:
        if exc.kind == "closed":
            raise
        if len(batch) == 1:
            return [_failed(batch[0], exc, limits)]
        log.warning("a batch of %d files failed (%s); doing its files one by one", len(batch), exc)
    items: list[FileItem] = []
    for job in batch:
        try:
            items += await pool.submit(process_batch, [job], limits.file_seconds)
        except TaskFailed as exc:
            if exc.kind == "closed":  # the pool was shut down under us: nothing is known of this file
                raise
            items.append(_failed(job, exc, limits))
    return items


def _failed(job: Job, exc: TaskFailed, limits: Limits) -> FileItem:
    log.warning("%s: skipped: %s", job.path, exc)
    reasons = {
        "timeout": f"not read and analysed within {limits.file_seconds:g} s (INGEST_FILE_SECONDS)",
        "memory": f"{exc} to analyse (INGEST_WORKER_MB)",
        "died": f"{exc} while reading it",
    }
    reason = reasons.get(exc.kind, f"error: {exc}")
    # Past a limit, the same file is not tried again under the same limits; an error is, next run.
    recipe = _refused_recipe(job.recipe_sha, limits) if exc.kind in reasons else job.recipe_sha
    return FileItem(path=job.path, size=job.size, mtime_ns=job.mtime_ns, recipe_sha=recipe, skip_reason=reason)


def worker_pool(model: str, workers: int, memory_mb: int | None = DEFAULT_WORKER_MB) -> WorkerPool:
    """Worker processes for ingest, each with the language model loaded before its first batch."""
    return WorkerPool(model, workers, memory_mb)


def process_batch(jobs: list[Job]) -> list[FileItem]:
    """Read and parse each file, then run the language pipeline over the batch's bodies in one `nlp.pipe`."""
    from bot.nlp import pipeline
    from bot.nlp.analysis import analyze_doc, hints_for, to_records

    items = [process_file(job) for job in jobs]
    todo = [item for item in items if item.article is not None]
    if not todo:
        return items
    texts = [pipeline.analysed_part(item.article.body) for item in todo]
    for item, text in zip(todo, texts, strict=True):
        if len(text) < len(item.article.body):
            item.note = (
                f"analysed in part: the first {len(text):,} of {len(item.article.body):,} characters "
                "(the whole text is stored and searchable)"
            )
            log.warning("%s: %s", item.path, item.note)
    try:
        docs = pipeline.pipe(texts, jobs[0].model)
        for item, text, doc in zip(todo, texts, docs, strict=True):
            analysis = analyze_doc(text, doc, hints_for(item.article), _published(item.article))
            item.analysis = to_records(analysis, _published(item.article), _headline(item.article))
    except MemoryError:
        raise  # the worker reports it; the batch is then done again file by file
    except Exception:  # a pipeline bug must not lose the batch: redo it one article at a time
        log.exception("language pipeline failed on a batch; retrying its articles one by one")
        for item, text in zip(todo, texts, strict=True):
            if item.analysis is None:
                _analyze_one(item, text, jobs[0].model)
    return items


def _published(article) -> date | None:
    return date.fromisoformat(article.published) if article.published else None


def _headline(article) -> str | None:
    """The article's own headline (not one made from its first sentence)."""
    return article.title if article.title_from in ("headline", "metadata") else None


def _analyze_one(item: FileItem, text: str, model: str) -> None:
    from bot.nlp import pipeline
    from bot.nlp.analysis import analyze_doc, hints_for, to_records

    try:
        doc = next(pipeline.pipe([text], model))
        published = _published(item.article)
        analysis = analyze_doc(text, doc, hints_for(item.article), published)
        item.analysis = to_records(analysis, published, _headline(item.article))
    except MemoryError:
        raise
    except Exception as exc:
        log.exception("language pipeline failed on %s", item.path)
        item.article, item.skip_reason = None, f"error: language pipeline: {type(exc).__name__}: {exc}"


def process_file(job: Job) -> FileItem:
    """Read, decode and parse one file; any failure becomes a recorded reason, never an exception."""
    item = FileItem(path=job.path, size=job.size, mtime_ns=job.mtime_ns, recipe_sha=job.recipe_sha, part_of=job.part_of)
    try:
        if job.record is not None:
            item.byte_sha = hashlib.sha256(job.record.encoded()).hexdigest()
            _take_record(item, job.record, job.meta)
            return item
        data = read_file(job.real or job.path, job.root, job.max_bytes)
        item.byte_sha = hashlib.sha256(data).hexdigest()
        if item.byte_sha == job.known_byte_sha:
            item.same_bytes = True
            return item
        if kind_of(job.path) == "page":
            from bot.intake.formats import read_page

            page = read_page(job.path, data)
            if isinstance(page, BadRecord):
                item.skip_reason = page.reason
            else:
                _take_record(item, page, job.meta)
            return item
        text = decode(data)
        item.encoding = text.encoding
        item.content_sha = content_fingerprint(text.text)
        item.article = parse_article(text.text, job.meta)
    except MemoryError:
        raise
    except Unreadable as exc:
        item.skip_reason = str(exc)
    except NoText as exc:
        item.skip_reason = f"no text: {exc}"
    except Exception as exc:  # a parser bug must not stop the other files
        log.exception("could not parse %s", job.path)
        item.skip_reason = f"error: {type(exc).__name__}: {exc}"
    return item


def _take_record(item: FileItem, record: Record, meta: ArticleMeta) -> None:
    """The article of a record (a page, an export's record, a feed item); raises NoText as a text file does."""
    item.encoding = "utf-8"
    item.content_sha = content_fingerprint(record.text)
    item.article = article_of(record, meta)


async def ingest_records(
    archive: Archive,
    records: list[tuple[str, Record]],
    *,
    max_bytes: int,
    model: str = DEFAULT_NLP_MODEL,
    pool: WorkerPool | None = None,
    file_seconds: float = DEFAULT_FILE_SECONDS,
    worker_mb: int = DEFAULT_WORKER_MB,
) -> dict[str, tuple[str, str | None]]:
    """Store articles that come as records (feed items), each under its key (a canonical URL), through the same
    parser and language pipeline as files; returns each key's outcome (added, duplicate, skipped, ...) and note."""
    limits = Limits(max_bytes, file_seconds, worker_mb)
    recipe = recipe_for(ArticleMeta(), model)
    jobs, outcomes = [], {}
    for key, record in records:
        size = len(record.encoded())
        if size > max_bytes:
            outcomes[key] = ("skipped", f"{size:,} bytes is over the limit of {max_bytes:,} (MAX_ARTICLE_BYTES)")
            continue
        jobs.append(Job(key, size, 0, ArticleMeta(), recipe, max_bytes, None, model, record=record))
    async with contextlib.aclosing(_process(jobs, pool, limits)) as batches:
        async for items in batches:
            for item, outcome in zip(items, await archive.store_files(items), strict=True):
                outcomes[item.path] = outcome
    return outcomes

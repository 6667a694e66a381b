"""Worker processes for the language pipeline, each task within a time and a memory budget.

Each worker is a spawned process that loads the model once, then runs one task at a time sent over its own pipe.
- Time: the parent waits for a task's answer until its deadline, then kills the worker and starts another.
- Memory: inside the worker an address-space limit (set once the model is loaded) turns a runaway task into a
  MemoryError there; the worker reports it and is replaced, whatever state the error left it in.
- A worker that dies (the kernel's OOM killer, a crash) is replaced; the task fails with the reason.
- Workers die with their parent: the kernel signals them (PR_SET_PDEATHSIG, Linux), a watcher thread notices a
  new parent (elsewhere), and an idle worker sees its pipe close. Only the worker holds its end of the pipe, so
  nothing is left blocked on a queue that no one will ever write to.

The parent side blocks, so the ingest calls it through `asyncio.to_thread`: the pool belongs to no event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bot.nlp import ModelError

log = logging.getLogger(__name__)

MB = 1024 * 1024
START_SECONDS = 300  # loading the model: generous, as a cold disk can be slow
TASKS_PER_WORKER = 200  # batches a worker runs before a fresh one takes its place (its memory only grows)
VACANT = "vacant"
_PR_SET_PDEATHSIG = 1


class TaskFailed(Exception):
    """A task did not finish: `kind` is timeout, memory, died, error or closed (the pool was shut down meanwhile:
    nothing is known of the task); the message says why in words."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(eq=False)  # each worker is itself, hashed by identity
class _Worker:
    process: Any  # multiprocessing's SpawnProcess
    conn: Connection
    ready: bool = False
    tasks: int = 0


class WorkerPool:
    """`workers` processes with `model` loaded; `run(fn, arg, seconds)` runs `fn(arg)` in one of them.
    With no model, each worker calls `warm` (a picklable function) once instead: the drawing workers."""

    def __init__(
        self,
        model: str | None,
        workers: int,
        memory_mb: int | None = None,
        warm: Callable[[], Any] | None = None,
        name: str = "newsdesk-ingest-worker",
    ):
        self.model = model
        self.warm = warm
        self.name = name
        self.size = max(1, workers)
        self.memory_mb = memory_mb
        self._context = multiprocessing.get_context("spawn")
        # Workers are started from this one long-lived thread: PR_SET_PDEATHSIG fires when the thread that
        # started a process ends, so not from the short-lived threads that wait for tasks.
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdesk-workers")
        # Threads that wait for the workers' answers: a few per worker, as the ingest keeps them a batch ahead.
        self._waiters = ThreadPoolExecutor(max_workers=4 * self.size, thread_name_prefix="newsdesk-waiters")
        # Idle workers; VACANT a place whose worker could not be started (started when next needed); None: closed.
        self._idle: queue.SimpleQueue[_Worker | str | None] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        return self._starter.submit(self._spawn).result()

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child_end, self.model, self.memory_mb, os.getpid(), self.warm),
            name=self.name,
            daemon=True,
        )
        process.start()
        child_end.close()  # only the worker holds it: its death closes the pipe
        worker = _Worker(process, parent_end)
        with self._lock:
            closed = self._closed
            if not closed:
                self._all.add(worker)
        if closed:  # shut down meanwhile: this one was not in its list
            self._retire(worker)
            raise RuntimeError("the worker pool is closed")
        return worker

    def _replace(self) -> None:
        """Fill a retired worker's place; if no process can be started now, leave it VACANT for the next task."""
        try:
            self._idle.put(self._start())
        except Exception as exc:  # the system is out of processes or memory, or the pool closed meanwhile
            if not self._closed:
                log.warning("could not start a worker (%s) now (%s); trying again at its next task", self.name, exc)
            self._idle.put(VACANT)

    async def submit(self, fn: Callable[[Any], Any], arg: Any, seconds: float) -> Any:
        """`run` from an event loop, waited for in a thread of the pool's own."""
        return await asyncio.get_running_loop().run_in_executor(self._waiters, self.run, fn, arg, seconds)

    def run(self, fn: Callable[[Any], Any], arg: Any, seconds: float) -> Any:
        """fn(arg) in a worker, within `seconds` (after the worker is ready); raises TaskFailed."""
        worker = self._take()
        keep = False
        try:
            self._wait_ready(worker)
            worker.conn.send((fn, arg))
            if not worker.conn.poll(seconds):
                raise TaskFailed("timeout", f"took over {seconds:g} s")
            status, value = worker.conn.recv()
            worker.tasks += 1
            if status == "memory":
                limit = f"over {self.memory_mb:,} MB of memory" if self.memory_mb else "more memory than there is"
                raise TaskFailed("memory", f"needed {limit}")
            keep = worker.tasks < TASKS_PER_WORKER  # then a fresh one: what the model caches only grows
            if status == "ok":
                return value
            raise TaskFailed("error", value)
        except (EOFError, OSError):
            if self._closed:
                raise TaskFailed("closed", "the worker pool was closed") from None
            raise TaskFailed("died", self._death(worker)) from None
        finally:
            if keep and not self._closed:
                self._idle.put(worker)
            else:
                self._retire(worker)
                if not self._closed:
                    self._replace()

    def _take(self) -> _Worker:
        """An idle worker (waiting for one), starting one in a vacant place."""
        worker = None if self._closed else self._idle.get()
        if worker is None:
            self._idle.put(None)  # for the next one waiting
            raise TaskFailed("closed", "the worker pool was closed")
        if worker == VACANT:
            try:
                return self._start()
            except Exception as exc:
                self._idle.put(VACANT)
                raise TaskFailed("error", f"could not start a worker process: {exc}") from None
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        if worker.ready:
            return
        if not worker.conn.poll(START_SECONDS):
            what = f"the spaCy model {self.model!r}" if self.model else "what it needs"
            raise ModelError(f"a worker ({self.name}) did not load {what} in {START_SECONDS} s")
        try:
            status, value = worker.conn.recv()
        except EOFError:
            raise ModelError(f"a worker ({self.name}) died while starting: {self._death(worker)}") from None
        if status != "ready":
            raise ModelError(value)
        worker.ready = True

    def _death(self, worker: _Worker) -> str:
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:  # a real-time signal
                name = f"signal {-code}"
            if -code == signal.SIGKILL:
                return f"the worker was killed ({name}: the system may have run out of memory)"
            return f"the worker crashed ({name})"
        return f"the worker exited (code {code})"

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=10)

    def shutdown(self, wait: bool = True) -> None:
        """Stop every worker, giving idle ones (with `wait`) a few seconds to exit; a task still running is killed."""
        with self._lock:  # a worker being started now sees it closed, or is in this list
            self._closed = True
            workers = list(self._all)
        self._idle.put(None)  # wakes whoever waits for a worker
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)  # an idle worker exits at once
        deadline = time.monotonic() + (5 if wait else 0)
        for worker in workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self._retire(worker)
        self._starter.shutdown(wait=False)
        self._waiters.shutdown(wait=False)


# ---- inside a worker ----------------------------------------------------------------------------------------


def _worker_main(conn: Connection, model: str | None, memory_mb: int | None, parent_pid: int, warm=None) -> None:
    _die_with_parent(parent_pid)
    # Ctrl-C (and a SIGTERM sent to the whole group) is the parent's to handle: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        if model:
            from bot.nlp import pipeline

            pipeline.load(model)
        if warm is not None:
            warm()
    except Exception as exc:
        conn.send(("error", str(exc) if isinstance(exc, ModelError) else f"{type(exc).__name__}: {exc}"))
        return
    if memory_mb:
        _limit_memory(memory_mb * MB)
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        fn, arg = task
        try:
            answer = ("ok", fn(arg))
        except MemoryError:
            answer = ("memory", None)
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(answer)
        except MemoryError:  # perhaps half-sent: end the worker, so the parent sees it die, not wait for the rest
            os._exit(3)
        except (OSError, ValueError):
            return
        if answer[0] == "memory":
            return  # what the error interrupted may be half-done: the parent starts a fresh worker


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # died before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_memory(budget: int) -> None:
    """Let the worker's resident memory grow to about `budget` and no further: the address space may grow by
    the budget less what is already resident (the model)."""
    import resource

    try:
        with open("/proc/self/status") as handle:
            status = dict(line.split(":", 1) for line in handle)
        size = int(status["VmSize"].split()[0]) * 1024
        resident = int(status["VmRSS"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return  # not Linux: no measure to set the limit by
    if resident >= budget:
        log.warning("the language model takes %d MB, the whole memory budget: raise INGEST_WORKER_MB", resident // MB)
    limit = size + max(budget - resident, budget // 4)
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

"""Benchmark: an archive of hostile and broken files beside good Reuters records, ingested in one run.

    .venv/bin/python -m bench.hostile [--records 1500]

Writes N Reuters-21578 records as article files, ingests them alone (`newsdesk ingest`, a fresh database), then
adds every bad case the robustness issue names (texts that were quadratic, a worker-killing report, links out of
the archive, a FIFO and a device, a name that is not UTF-8, a path too long to open, broken metadata rows, a
furniture-only page, UTF-16 without a byte-order mark, ...) and ingests the whole folder into another fresh
database. Prints both times and their ratio (target: at most 1.5), whether every good file was stored, which bad
files were named with which reason, and the peak resident memory of the largest process (target: 1 GB a worker).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import record
from bench.reuters import DEFAULT_DIR, load_records, write_archive

SENTENCES = [
    "The minister of {p} said on Tuesday that talks with the council would resume next month.",
    "Officials in {p} told reporters the budget, worth $4.5 billion, had been cut by a fifth.",
    "Ahmed Karim, the governor of {p}, met envoys from Baghdad and Ankara, a spokesman said.",
    "Shares of the {p} Mining Co fell 3 pct after the company reported a loss for the quarter.",
]


def prose(size: int) -> str:
    parts, n = [], 0
    while sum(map(len, parts)) < size:
        parts.append(SENTENCES[n % 4].format(p=f"Region{n % 97}"))
        n += 1
        if n % 6 == 0:
            parts.append("\n\n")
    return "A long report\n\n" + " ".join(parts)


def quotes(size: int) -> str:
    one = '"We will not give up the vote," said Mr. Karim. "The talks are over," he added.\n\n'
    return "Quotes\n\n" + one * (size // len(one))


def bad_cases(folder: Path, outside: Path) -> dict[str, str]:
    """Write the bad cases into the folder; returns each one's name and what it is."""
    cases: dict[str, str] = {}

    def text(name: str, content: str | bytes, what: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        cases[name] = what

    text("bad/prose-100k.txt", prose(100_000), "100 KB of prose (quadratic actor analysis)")
    text("bad/prose-400k.txt", prose(400_000), "400 KB report (killed a 1.2 GB worker)")
    text("bad/prose-990k.txt", prose(990_000), "990 KB of prose (15 min, 3.1 GB)")
    text("bad/quotes.txt", quotes(200_000), "200 KB of quotes (quadratic cue finding)")
    text("bad/quote-marks.txt", "Marks\n\n" + '"' * 100_000, '100 KB of " (tokenizer stall)')
    text("bad/dashes.txt", "Rule\n\n" + ("-" * 5000 + "\n") * 20, "long runs of punctuation")
    text("bad/tags.txt", "Tagged\n\nA story.\n\nTags: " + ", ".join(f"tag{i}" for i in range(15_000)), "a Tags: list")
    text("bad/initials.txt", "Initials\n\n" + "A. B. C. D. E. F. G. H. " * 5000, "runs of initials")
    text("bad/one-line.txt", "word " * 200_000, "a 1 MB first line (title)")
    text("bad/too-long.txt", ("Prices rose again in the market today. " * 30 + "\n\n") * 1000, "too long to analyse")
    text("bad/furniture.txt", "Facebook\nTwitter\nShare\nSubscribe\nCookie policy\nPrivacy policy\n", "furniture only")
    utf16 = "A story in UTF-16\n\nWritten without a byte-order mark.\n".encode("utf-16-le")
    text("bad/utf16.txt", utf16, "UTF-16, no BOM")
    text("bad/binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "binary")
    text("bad/empty.txt", b"", "empty")
    text("bad/oversized.txt", "x" * 2_100_000, "over MAX_ARTICLE_BYTES")
    text("bad/clock.txt", "Markets\n\nTrading closed at 1530 EST on Friday.\n", "1530 EST (not a year)")
    (outside / "passwd.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(outside / "passwd.txt", folder / "bad/notes.txt")
    cases["bad/notes.txt"] = "a link to a file outside"
    os.symlink(outside, folder / "bad/elsewhere", target_is_directory=True)
    cases["bad/elsewhere"] = "a link to a folder outside"
    os.symlink(folder / "nothing.txt", folder / "bad/broken.txt")
    cases["bad/broken.txt"] = "a broken link"
    os.mkfifo(folder / "bad/pipe.txt")
    cases["bad/pipe.txt"] = "a FIFO"
    if os.geteuid() == 0:
        os.mknod(folder / "bad/zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        cases["bad/zero.txt"] = "a device"
    with open(os.path.join(os.fsencode(folder / "bad"), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Latin-1 name\n\nA story.\n")
    cases["bad/caf\\xe9.txt"] = "a name that is not UTF-8"
    deep = os.open(folder / "bad", os.O_RDONLY)
    for _ in range(25):
        os.mkdir("d" * 200, dir_fd=deep)
        inner = os.open("d" * 200, os.O_RDONLY, dir_fd=deep)
        os.close(deep)
        deep = inner
    os.close(os.open("lost.txt", os.O_WRONLY | os.O_CREAT, dir_fd=deep))
    os.close(deep)
    cases["bad/" + "d" * 200] = "a path longer than the system allows"
    with open(folder / "metadata.csv", "a", encoding="utf-8") as meta:
        meta.write('bad/prose-100k.txt,2017-01-01,"an unclosed quote\n')
        meta.write(f"bad/quotes.txt,2017-01-01,{'y' * 200_000}\n")
        meta.write("bad/gone.txt,2017-01-01,Nobody\n")
    cases["metadata.csv"] = "a stray quote, a 200 KB field, a row naming no file"
    return cases


def ingest(folder: Path, db: Path, workers_mb: int) -> tuple[float, str, int]:
    """Wall seconds, the report, and the peak RSS (KB) of the largest process of a `newsdesk ingest`."""
    env = dict(os.environ, DATABASE_PATH=str(db), LOG_LEVEL="ERROR", INGEST_WORKER_MB=str(workers_mb))
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(folder)], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"ingest failed ({run.returncode}): {run.stderr[-2000:]}")
    return seconds, run.stdout, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_DIR, help="the reuters21578 folder")
    parser.add_argument("--records", type=int, default=1500, help="good Reuters records beside the bad files")
    parser.add_argument("--worker-mb", type=int, default=1024, help="INGEST_WORKER_MB")
    args = parser.parse_args()
    if not args.source.is_dir():
        print(f"skipped: {args.source} is not here (the Reuters-21578 development data)")
        return 0
    records = [r for r in load_records(args.source) if r.body.strip()][: args.records]
    with tempfile.TemporaryDirectory() as tmp:
        folder, outside = Path(tmp) / "archive", Path(tmp) / "outside"
        outside.mkdir()
        write_archive(records, folder)
        good = {f"{r.newid:05}.txt" for r in records}
        alone, _, _ = ingest(folder, Path(tmp) / "alone.db", args.worker_mb)
        with sqlite3.connect(Path(tmp) / "alone.db") as con:
            stored_alone = {
                os.path.relpath(path, folder)
                for (path,) in con.execute("SELECT path FROM files WHERE status IN ('ok', 'duplicate')")
            }
        cases = bad_cases(folder, outside)
        mixed, report, peak_kb = ingest(folder, Path(tmp) / "mixed.db", args.worker_mb)
        with sqlite3.connect(Path(tmp) / "mixed.db") as con:
            rows = con.execute("SELECT path, status, reason FROM files").fetchall()
    by_name = {os.path.relpath(path, folder): (status, reason) for path, status, reason in rows}
    stored_good = sum(1 for name in good if by_name.get(name, ("",))[0] in ("ok", "duplicate"))
    lost = sorted(name for name in stored_alone if by_name.get(name, ("",))[0] not in ("ok", "duplicate"))
    print(f"good files alone: {len(good):,} in {alone:.1f} s ({len(stored_alone):,} stored)")
    print(f"with {len(cases)} bad cases: {mixed:.1f} s, {mixed / alone:.2f}× (target ≤ 1.5×)")
    print(f"good files stored: {stored_good:,} of {len(good):,}; of those stored alone, {len(lost)} not stored now")
    for name in sorted(good - stored_alone):
        print(f"  not stored, alone either: {name}: {by_name.get(name)}")
    print(f"peak resident memory of the largest process: {peak_kb / 1024:.0f} MB (budget {args.worker_mb} MB a worker)")
    print("bad cases, as the archive records them:")
    for name, what in cases.items():
        status, reason = by_name.get(name, ("-", None))
        if name.startswith("bad/ddd"):  # the deepest folder that could be listed
            status, reason = next(((s, r) for p, (s, r) in by_name.items() if p.startswith("bad/ddd")), ("-", None))
        print(f"  {what}: {status}{': ' + reason if reason else ''}")
    print("metadata problems:")
    tail = report.split("Metadata problems", 1)[-1].splitlines()[1:] if "Metadata problems" in report else []
    for line in tail:
        print(f"  {line.strip()[:160]}")
    record(
        "hostile",
        f"Hostile files beside {len(good):,} Reuters records",
        f"bench.hostile --records {args.records}",
        [
            ("good files alone", f"{len(good):,} in {alone:.1f} s"),
            (f"with {len(cases)} bad cases", f"{mixed:.1f} s: {mixed / alone:.2f}× (target ≤ 1.5×)"),
            ("good files stored", f"{stored_good:,} of {len(good):,} ({len(lost)} fewer than alone)"),
            ("peak resident memory, largest process", f"{peak_kb / 1024:.0f} MB (budget {args.worker_mb} MB)"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

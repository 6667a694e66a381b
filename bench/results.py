"""Benchmark figures kept in bench/results/*.json, and the README table made from them.

Each benchmark script calls `record(name, title, rows)` when it finishes; the README's table between the
`benchmarks:begin` and `benchmarks:end` markers is then rewritten from every recorded result, so the table always
shows what the scripts last measured, with the machine they measured it on.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
ORDER = ["ingest", "hostile", "commands-20k", "commands-200k", "load-200k", "bot-lag"]


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def record(name: str, title: str, command: str, rows: list[tuple[str, str]]) -> None:
    RESULTS.mkdir(exist_ok=True)
    result = {
        "title": title,
        "command": command,
        "machine": machine(),
        "date": datetime.now(UTC).date().isoformat(),
        "rows": rows,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    update_readme()


def table() -> str:
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS.glob("*.json"))}
    names = [n for n in ORDER if n in found] + sorted(n for n in found if n not in ORDER)
    out = []
    for name in names:
        r = found[name]
        out += [f"**{r['title']}** (`{r['command']}`; {r['machine']}; {r['date']})", "", "| figure | value |",
                "| --- | --- |"]  # fmt: skip
        out += [f"| {label} | {value} |" for label, value in r["rows"]]
        out.append("")
    return "\n".join(out).rstrip()


def update_readme() -> None:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{table()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    update_readme()

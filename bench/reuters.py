"""Reuters-21578 (../shared/eval/reuters21578) as an archive folder: one article file per record.

The SGML is not well-formed XML, so records are cut out with regular expressions. Each record becomes
`NNNNN.txt` (title, blank line, dateline and body) and its date goes into `metadata.csv`, the way a user
would give dates to an archive whose text lacks them.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "reuters21578"

_RECORD = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.DOTALL) for name in ("DATE", "TITLE", "DATELINE", "BODY")}
# Records of TYPE="UNPROC" carry their text in <TEXT> without a <BODY>.
_UNPROC = re.compile(r"<TEXT TYPE=\"UNPROC\">(.*?)</TEXT>", re.DOTALL)


@dataclass(frozen=True)
class Record:
    newid: int
    date: str | None
    title: str
    dateline: str
    body: str

    def text(self) -> str:
        head = f"{self.title}\n\n" if self.title else ""
        return f"{head}{self.dateline}{self.body}"


def load_records(folder: Path = DEFAULT_DIR) -> list[Record]:
    records = []
    for sgm in sorted(folder.glob("reut2-*.sgm")):
        for newid, block in _RECORD.findall(sgm.read_bytes().decode("latin-1")):
            records.append(_record(int(newid), block))
    return records


def _record(newid: int, block: str) -> Record:
    def field(name: str) -> str:
        match = _FIELD[name].search(block)
        # This copy marks paragraph indents as "&\t"; restore the indentation they stand for.
        return html.unescape(match.group(1)).replace("&\\t", "    ").replace("\x03", "") if match else ""

    body = field("BODY")
    unproc = _UNPROC.search(block)
    if not body and unproc:
        body = html.unescape(unproc.group(1)).replace("\x03", "")
    return Record(newid, _date(field("DATE")), field("TITLE").strip(), field("DATELINE").lstrip(), body)


def _date(value: str) -> str | None:
    try:
        return datetime.strptime(value.strip().split(".")[0], "%d-%b-%Y %H:%M:%S").date().isoformat()
    except ValueError:
        return None


def write_archive(records: list[Record], folder: Path) -> int:
    """Write the records as article files plus metadata.csv; returns the number of words written."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as meta:
        writer = csv.writer(meta)
        writer.writerow(["file", "published", "source"])
        for rec in records:
            name = f"{rec.newid:05}.txt"
            text = rec.text()
            (folder / name).write_text(text, encoding="utf-8")
            words += len(text.split())
            writer.writerow([name, rec.date or "", "Reuters"])
    return words

"""Reading an article file: bytes in, text out, or a reason why not.

Accepted: UTF-8 (with or without BOM), UTF-16 and UTF-32 with BOM, and Windows-1252.
Refused, with a reason that is recorded: empty, binary (NUL or control bytes), oversized, undecodable.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# Control characters (Unicode category Cc) other than tab, newlines, form feed and vertical tab.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Share of control characters above which a "text" file is really binary.
_MAX_CONTROL_SHARE = 0.01


class Unreadable(Exception):
    """The file cannot be ingested; `reason` is a short code, the message says why in words."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FileText:
    text: str
    encoding: str


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read at most `max_bytes`; a larger file is refused without reading it whole."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise Unreadable("oversized", f"{size:,} bytes is over the limit of {max_bytes:,} (MAX_ARTICLE_BYTES)")
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise Unreadable("unreadable", exc.strerror or str(exc)) from exc
    if len(data) > max_bytes:  # grew while we read it
        raise Unreadable("oversized", f"over the limit of {max_bytes:,} bytes (MAX_ARTICLE_BYTES)")
    return data


def decode(data: bytes) -> FileText:
    """Decode article bytes, refusing what is not text."""
    if not data:
        raise Unreadable("empty", "the file has no content")
    text, encoding = _decode(data)
    _check_is_text(text)
    if not text.strip():
        raise Unreadable("empty", "the file holds only white space")
    return FileText(text=text, encoding=encoding)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise Unreadable(
                    "undecodable", f"starts with a {name} byte-order mark but is not {name}: {exc.reason}"
                ) from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Unreadable("binary", f"contains a NUL byte at offset {nul}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise Unreadable(
            "undecodable", f"neither UTF-8 nor Windows-1252 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc


def _check_is_text(text: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise Unreadable("binary", f"{controls} control characters in {len(text)} characters")

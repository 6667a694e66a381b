"""An article file's bytes to text, or a reason why not (bot/folder.py reads the bytes).

Accepted: UTF-8 (with or without BOM), UTF-16 and UTF-32 with BOM, UTF-16 without BOM (recognised by its NUL
bytes, nearly all at even or all at odd offsets, and by decoding to printable text), and Windows-1252.
Refused, with a reason that is recorded: empty, binary (NUL or control bytes), undecodable.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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
# UTF-16 without BOM: each ASCII character (spaces, newlines, digits and punctuation, in any script) is a code unit
# with one NUL byte, always on the same side. At least this share of the code units has a NUL on that side ...
_UTF16_MIN_NUL_SHARE = 0.1
_UTF16_MIN_NULS = 4  # (a stray NUL or two in a few bytes says nothing)
# ... at most this share on the other side (a real NUL character) ...
_UTF16_MAX_OTHER_NUL_SHARE = 0.01
# ... and at least this share of the decoded characters is printable or white space (binary data read as UTF-16
# gives unassigned and private-use code points, or fails to decode).
_UTF16_MIN_PRINTABLE_SHARE = 0.95
_WHITESPACE = frozenset("\t\n\r\x0b\x0c")


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
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
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


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark, decoded, or None when the NUL bytes do not look like UTF-16's.
    Looks like UTF-16 but does not decode (odd length, a lone surrogate): refused, saying so."""
    units = len(data) // 2
    if units < 2:
        return None
    # Little-endian puts the NUL of an ASCII character second (odd offsets), big-endian first.
    nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
    if _utf16_nuls(nul_odd, nul_even, units):
        name, nuls = "utf-16-le", nul_odd
    elif _utf16_nuls(nul_even, nul_odd, units):
        name, nuls = "utf-16-be", nul_even
    else:
        return None
    looks = f"looks like {name.upper()} without a byte-order mark ({nuls:,} of {units:,} code units hold a NUL byte)"
    if len(data) % 2:
        raise Unreadable("undecodable", f"{looks}, but has an odd number of bytes ({len(data):,})")
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise Unreadable("undecodable", f"{looks}, but is not {name} at offset {exc.start}: {exc.reason}") from exc
    printable = sum(map(str.isprintable, text)) + sum(text.count(c) for c in _WHITESPACE)
    if printable < _UTF16_MIN_PRINTABLE_SHARE * len(text):
        return None  # binary after all (terminfo files, tables of 16-bit numbers)
    return text, name


def _utf16_nuls(nuls: int, other: int, units: int) -> bool:
    return nuls >= max(_UTF16_MIN_NULS, _UTF16_MIN_NUL_SHARE * units) and other <= _UTF16_MAX_OTHER_NUL_SHARE * units


def _check_is_text(text: str) -> None:
    controls = len(_CONTROL.findall(text))
    if controls and controls > _MAX_CONTROL_SHARE * len(text):
        raise Unreadable("binary", f"{controls} control characters in {len(text)} characters")

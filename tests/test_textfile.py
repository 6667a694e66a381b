import codecs
import io
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.folder import read_file
from bot.textfile import Unreadable, decode

TEXT = "Iran’s “Quds Force” — café, 100% €5\nsecond line"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16-le"),  # Python writes a BOM, little-endian here
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-32"), "utf-32-le"),
        (TEXT.encode("cp1252"), "windows-1252"),
    ],
)
def test_every_supported_encoding_gives_the_same_text(data, encoding):
    decoded = decode(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"text with a \x00 NUL", "binary"),
        (b"".join(bytes([i]) for i in range(1, 32)) * 10 + b"some text", "binary"),
        (b"caf\xc3 \x81\x8d", "undecodable"),  # broken UTF-8 with bytes Windows-1252 does not define
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable"),  # a lone surrogate after a UTF-16 BOM
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(Unreadable) as caught:
        decode(data)
    assert caught.value.reason == reason
    assert str(caught.value).startswith(reason + ": ")


def test_oversized_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    with pytest.raises(Unreadable) as caught:
        read_file(str(big), str(tmp_path), max_bytes=100)
    assert caught.value.reason == "oversized"
    assert "5,000 bytes" in caught.value.detail and "MAX_ARTICLE_BYTES" in caught.value.detail
    assert read_file(str(big), str(tmp_path), max_bytes=5000) == b"word " * 1000


def test_unreadable_path_is_refused(tmp_path):
    with pytest.raises(Unreadable) as caught:
        read_file(str(tmp_path / "gone.txt"), str(tmp_path), max_bytes=100)
    assert caught.value.reason == "unreadable"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        TEXT * 3,
        "Премьер-министр Ирака отверг предложение курдов.\nВторая строка, 2017 год.",  # few ASCII characters
        "رئيس الوزراء العراقي رفض اقتراح الأكراد.\nسطر ثان",
    ],
    ids=["latin", "cyrillic", "arabic"],
)
def test_utf16_without_a_byte_order_mark_is_text(text, encoding):
    decoded = decode(text.encode(encoding))  # .encode("utf-16-le") writes no BOM
    assert decoded.text == text
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (TEXT.encode("utf-16-le") + b"x", "odd number of bytes"),  # cut short by one byte
        (TEXT.encode("utf-16-be") + b"\xdc\x01", "not utf-16-be"),  # a lone surrogate
    ],
    ids=["odd-length", "lone-surrogate"],
)
def test_broken_utf16_without_a_byte_order_mark_says_so(data, words):
    with pytest.raises(Unreadable) as caught:
        decode(data)
    assert caught.value.reason == "undecodable"
    assert "looks like UTF-16" in caught.value.detail and "without a byte-order mark" in caught.value.detail
    assert words in caught.value.detail


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", TEXT * 50)
        archive.writestr("image.bin", random.Random(1).randbytes(2000))
    return buffer.getvalue()


def _pdf() -> bytes:
    stream = zlib.compress(random.Random(2).randbytes(4000), 0)  # an image stream: binary
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length " + str(len(stream)).encode() + b" >>\nstream\n"
    return head + stream + b"\nendstream\nendobj\n%%EOF\n"


def _png() -> bytes:
    rows = b"".join(b"\x00" + bytes((x * y) % 256 for x in range(64)) for y in range(64))
    ihdr = struct.pack(">IIBBBBB", 64, 64, 8, 0, 0, 0, 0)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _elf() -> bytes:
    return Path(sys.executable).resolve().read_bytes()[:200_000]  # the Python interpreter, an ELF file on Linux


@pytest.mark.parametrize("make", [_png, _pdf, _zip, _elf])
def test_real_binaries_are_still_binary(make):
    with pytest.raises(Unreadable) as caught:
        decode(make())
    assert caught.value.reason == "binary"

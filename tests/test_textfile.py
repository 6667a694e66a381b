import codecs

import pytest

from bot.textfile import Unreadable, decode, read_bytes

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
        read_bytes(big, max_bytes=100)
    assert caught.value.reason == "oversized"
    assert "5,000 bytes" in caught.value.detail and "MAX_ARTICLE_BYTES" in caught.value.detail
    assert read_bytes(big, max_bytes=5000) == b"word " * 1000


def test_unreadable_path_is_refused(tmp_path):
    with pytest.raises(Unreadable) as caught:
        read_bytes(tmp_path / "gone.txt", max_bytes=100)
    assert caught.value.reason == "unreadable"

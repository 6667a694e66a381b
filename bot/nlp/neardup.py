"""Near-duplicate articles (syndicated copies): MinHash signatures over word shingles, LSH band keys to find
candidates, and an exact decision on the two texts.

Pure and without I/O: signatures are computed in ingest worker processes, band keys and `is_copy` in the writer
thread. Everything is deterministic across processes (blake2b, fixed MinHash seed; never Python's `hash()`).
"""

from __future__ import annotations

import hashlib
import re
from difflib import SequenceMatcher

import numpy as np
from datasketch import MinHash

K = 5  # words per shingle: long enough that a shared template ("Shr 10 cts vs") is not a shared story
NUM_PERM = 128
# LSH S-curve: a pair with Jaccard s shares at least one band with probability 1 - (1 - s**ROWS) ** BANDS.
# With 64 bands of 2 rows: s = 0.25 -> 0.98, s = 0.3 -> 0.998, s >= 0.4 -> ~1, while s = 0.05 -> 0.15. Copies
# judged by containment (a story and its cut or extended copy) can have a Jaccard well below the decision
# threshold, so the curve rises early; is_copy, not the LSH, is what keeps precision.
BANDS = 64
ROWS = 2
SEED = 1987  # fixed: signatures stored in the archive must be comparable forever
MIN_SHINGLES = 20  # below this, too little text to judge a partial overlap (see is_copy)
# Thresholds on exact shingle sets, chosen on bench/eval/neardups.py (variants of Reuters stories). Distinct
# Reuters stories that share a template reach Jaccard ~0.57 / containment ~0.79 (the Fed's daily repurchases,
# grain ships loading): those differ in their figures, which _figures_differ catches, so the thresholds can stay
# low enough for a copy with a sentence cut *and* one added (recall 97% there; 0.5 / 0.8 gave 95%).
JACCARD = 0.45
CONTAINMENT = 0.75

_WORD = re.compile(r"\w+")
_U32 = 0xFFFFFFFF
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations  # built once, reused by every signature


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _hash64(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=8).digest(), "little")


def shingles(text: str, k: int = K) -> set[int]:
    """Hashed word k-shingles of the casefolded text (numbers are words: they tell templated stories apart)."""
    words = _words(text)
    if not words:
        return set()
    if len(words) < k:
        return {_hash64(" ".join(words))}
    return {_hash64(" ".join(words[i : i + k])) for i in range(len(words) - k + 1)}


def signature(text: str) -> bytes:
    """The text's MinHash (NUM_PERM values, each < 2**32) as little-endian uint32 bytes, for a SQLite BLOB."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_fold32, permutations=_PERMUTATIONS, scheme="affine32")
    mh.update_batch(shingles(text))
    return np.asarray(mh.hashvalues, dtype="<u4").tobytes()


def _fold32(h: int) -> int:
    return (h ^ (h >> 32)) & _U32


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band (the band's index is hashed in, so bands never collide with each other)."""
    values = np.frombuffer(sig, dtype="<u4")
    keys = []
    for band in range(BANDS):
        rows = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "little") + rows, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def estimated_similarity(a: bytes, b: bytes) -> float:
    """The share of equal MinHash values: an estimate of the two texts' shingle Jaccard."""
    va, vb = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(va == vb)) / len(va) if len(va) else 0.0


def copy_score(a_text: str, b_text: str) -> float:
    """How much the shorter text is in the longer: max(Jaccard / JACCARD, containment / CONTAINMENT) of their
    shingle sets, so that 1.0 or more passes; texts too short to judge score 1.0 only when identical."""
    a, b = shingles(a_text), shingles(b_text)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < MIN_SHINGLES:
        # A dividend notice or a one-line flash: a few shared shingles say nothing; only the same words count.
        return 1.0 if _words(a_text) == _words(b_text) else 0.0
    common = len(a & b)
    return max(common / len(a | b) / JACCARD, common / min(len(a), len(b)) / CONTAINMENT)


def is_copy(a_text: str, b_text: str) -> bool:
    """Whether the two texts are one story: a copy with a paragraph added or cut, another byline or furniture,
    but the same figures (a story that differs only in its numbers is another day's or company's news)."""
    return copy_score(a_text, b_text) >= 1.0 and not _figures_differ(_words(a_text), _words(b_text))


def _figures_differ(a: list[str], b: list[str]) -> bool:
    """Whether a number in one text stands, in the same words, where the other has another number: "Shr 12
    cts" against "Shr 13 cts", "Frankfurt, March 5" against "March 19" (the Bundesbank's meeting two weeks on)."""
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 <= 3 and j2 - j1 <= 3:
            numbers_a = {w for w in a[i1:i2] if any(c.isdigit() for c in w)}
            numbers_b = {w for w in b[j1:j2] if any(c.isdigit() for c in w)}
            if numbers_a and numbers_b and numbers_a != numbers_b:
                return True
    return False

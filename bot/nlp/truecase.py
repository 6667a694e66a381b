"""Truecasing ALL-CAPS lines, so that a model trained on mixed case can read headlines and wire slugs.

The result has exactly the same length as the input (only letters change case), so every offset the model
finds in it is an offset into the original text. A word takes the casing the same document gives it elsewhere;
any other word is lower-cased (a name in a headline is nearly always written again in the body), but for
the line's first word, which is capitalised.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
MIN_CAPS_SHARE = 0.9
MIN_WORDS = 2


def truecase(text: str) -> str:
    lines = text.split("\n")
    shouting = [_is_shouting(line) for line in lines]
    if not any(shouting):
        return text
    casing = _casing_from(line for line, loud in zip(lines, shouting, strict=True) if not loud)
    fixed = [_recase(line, casing) if loud else line for line, loud in zip(lines, shouting, strict=True)]
    return "\n".join(fixed)


def _is_shouting(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    words = [w for w in _WORD.findall(line) if len(w) > 1]
    if len(words) < MIN_WORDS or not letters:
        return False
    return sum(c.isupper() for c in letters) >= MIN_CAPS_SHARE * len(letters)


def _casing_from(lines) -> dict[str, str]:
    counts: dict[str, Counter] = {}
    for line in lines:
        for i, match in enumerate(_WORD.finditer(line)):
            word = match.group()
            if i == 0:
                continue  # a line's first word is capitalised whatever it is
            counts.setdefault(_lower(word), Counter())[word] += 1
    return {lower: forms.most_common(1)[0][0] for lower, forms in counts.items()}


def _recase(line: str, casing: dict[str, str]) -> str:
    first = True

    def fix(match: re.Match[str]) -> str:
        nonlocal first
        word = match.group()
        lower = _lower(word)
        cased = casing.get(lower) or (word[0] + lower[1:] if first else lower)
        first = False
        return cased if len(cased) == len(word) else word

    return _WORD.sub(fix, line)


def _lower(word: str) -> str:
    """Lower case letter by letter, keeping any letter whose lower case is longer ("İ")."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in word)

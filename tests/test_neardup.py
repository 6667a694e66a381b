"""Near-duplicate detection (bot/nlp/neardup): copies found, templated and same-topic stories kept apart."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.nlp import neardup

STORY = [
    "The port authority of Port Elling said on Monday that the harbour would reopen on Wednesday after a storm "
    "closed it for three days and broke the moorings of more than forty fishing boats.",
    "Divers checked the quay walls overnight and found cracks in two of them, the authority said, but the main "
    "channel was clear and the first ferries to the islands would leave on time.",
    "Fishing crews, who lost three days of work, asked the town council to help pay for the repairs.",
    "The council will meet on Thursday to decide, its leader, Mara Olsen, told reporters at the harbour office.",
]
BODY = "PORT ELLING, March 3 - " + "\n    ".join(STORY)


def earnings(name: str, shr: str, net: str, revs: str) -> str:
    return (
        f"{name} Inc said for the first quarter ended March 31. Shr {shr} cts vs 10 cts Net {net} vs 987,000 "
        f"Revs {revs} mln vs 9.8 mln Avg shrs 4,100,000 vs 4,000,000 Nine mths Shr 31 cts vs 28 cts Reuter"
    )


def test_copy_with_byline_and_a_cut_sentence():
    copy = "By Jane Doe, Staff Writer\n\nPORT ELLING, March 3 - " + " ".join(STORY[:2] + STORY[3:])
    assert neardup.is_copy(BODY, copy)
    assert neardup.is_copy(copy, BODY)


def test_copy_with_a_paragraph_added_and_furniture():
    added = "Officials were not available for further comment late on the day, a spokeswoman for the port said."
    copy = BODY + "\n\n" + added + "\n\nReporting by Tom Okafor; Editing by Ruth Keller"
    assert neardup.is_copy(BODY, copy)


def test_earnings_of_the_same_template_are_different_news():
    a = earnings("Acme Widgets", "12", "1,234,000", "10.2")
    b = earnings("Borel Tools", "13", "1,301,000", "10.4")
    assert not neardup.is_copy(a, b)
    # the same report, only another company name, still differs in figures when any one changes
    assert not neardup.is_copy(a, a.replace("Shr 12 cts", "Shr 14 cts"))
    assert neardup.is_copy(a, a + " Related: more earnings news")


def test_same_topic_different_story():
    other = (
        "PORT ELLING, March 3 - The town council of Port Elling voted on Thursday to build a new school beside "
        "the old market, a project that its leader, Mara Olsen, said would take four years and cost twelve "
        "million crowns. Parents had asked for the school for a decade, the council said."
    )
    assert not neardup.is_copy(BODY, other)


def test_another_date_is_another_story():
    later = BODY.replace("March 3", "March 17")
    assert not neardup.is_copy(BODY, later)


def test_short_texts_must_be_identical():
    a = "Qtly div 10 cts vs 10 cts prior Pay April 15 Record April 1 Reuter"
    assert neardup.is_copy(a, "QTLY DIV 10 cts vs 10 cts prior\nPay April 15\nRecord April 1\nReuter")
    assert not neardup.is_copy(a, "Qtly div 10 cts vs 10 cts prior Pay April 15 Record April 2 Reuter")
    assert not neardup.is_copy("", "")
    assert neardup.shingles("two words") and len(neardup.shingles("two words")) == 1


def test_signature_shape_and_band_keys():
    sig = neardup.signature(BODY)
    assert len(sig) == 4 * neardup.NUM_PERM and neardup.BANDS * neardup.ROWS == neardup.NUM_PERM
    keys = neardup.band_keys(sig)
    assert len(keys) == neardup.BANDS and all(-(2**63) <= k < 2**63 for k in keys)
    copy = "By Jane Doe\n\n" + BODY + "\n\nClick here to subscribe."
    assert set(keys) & set(neardup.band_keys(neardup.signature(copy)))
    assert neardup.estimated_similarity(sig, sig) == 1.0
    assert neardup.estimated_similarity(sig, neardup.signature("An entirely different text about bees.")) < 0.2
    # a band's key differs from another band's key even for equal values
    same = bytes(4 * neardup.NUM_PERM)
    assert len(set(neardup.band_keys(same))) == neardup.BANDS


def test_signature_is_the_same_in_another_process():
    code = "import sys; from bot.nlp.neardup import signature; sys.stdout.write(signature(sys.argv[1]).hex())"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code, BODY], capture_output=True, text=True, check=True, env=env)
    assert out.stdout == neardup.signature(BODY).hex() == neardup.signature(BODY).hex()

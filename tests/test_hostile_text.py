"""Hostile text: long articles, many quotes, runs of punctuation, clock times. The analysis must stay linear in
the text's size (bench/textsize.py measures it; here we count work, never time it) and keep its offsets."""

from datetime import date

import pytest
from spacy.tokens import Span

from bot.nlp import pipeline
from bot.nlp import quotes as quotes_module
from bot.nlp.analysis import analyze_doc, contract_record
from bot.nlp.timex import find_timexes
from tests.conftest import hang_guard

HANG_GUARD = 120  # seconds: only so that a regression fails instead of stalling the suite


def record_of(text: str, published: date | None = None) -> dict:
    doc = next(pipeline.pipe([text]))
    return contract_record("t", analyze_doc(text, doc, None, published))


def paragraphs(n: int) -> list[str]:
    names = ["Maria Lopez", "Brett McGurk", "Angela Merkel", "John Smith"]
    places = ["Baghdad", "Berlin", "Geneva", "Madrid", "Tokyo"]
    out = []
    for i in range(n):
        name, place = names[i % len(names)], places[i % len(places)]
        surname = name.split()[-1]
        out.append(
            f"{name}, a spokesman for the United Nations, met officials in {place} on Monday to discuss {i + 3} "
            f"projects. “We will not accept {i + 7} more days of this,” {surname} said. Critics in {place} say "
            f"the projects cost too much."
        )
    return out


# ---- runs of punctuation --------------------------------------------------------------------------------


def test_long_runs_of_symbols_are_cut_keeping_the_length_and_the_rest():
    text = 'He said "hi".' + '"' * 1000 + " Wow!!!!!!!!!!!!!!! " + "-=" * 40 + "\n____________\nDone... ok?!"
    prepared = pipeline.collapse_symbol_runs(text)
    assert len(prepared) == len(text)
    # the run begins at the mark that closes "hi", and keeps its first MAX_SYMBOL_RUN characters
    assert prepared.startswith('He said "hi' + '".' + '"' * (pipeline.MAX_SYMBOL_RUN - 2) + " ")
    assert "Wow!!!!!!!! " in prepared and "!!!!!!!!!" not in prepared
    assert "_________" not in prepared and "-=-=-=-=" in prepared
    assert prepared.endswith("\nDone... ok?!")  # short runs are left alone
    # every character is the input's or a space
    assert all(a == b or b == " " for a, b in zip(text, prepared, strict=True))


def test_the_doc_of_a_run_of_quotation_marks_keeps_the_offsets():
    text = "He said it all.\n\n" + '"' * 100_000 + "\n\nShe left on Monday."
    with hang_guard(HANG_GUARD):
        doc = next(pipeline.pipe([text]))
    assert len(doc.text) == len(text)
    tail = doc.char_span(len(text) - len("She left on Monday."), len(text))
    assert tail is not None and tail.text == "She left on Monday."


def test_a_run_of_quotation_marks_is_no_quotes():
    text = "Officials met in Baghdad on Monday.\n\n" + '"' * 100_000 + "\n\n“We are ready,” said Maria Lopez."
    with hang_guard(HANG_GUARD):
        record = record_of(text)
    assert len(record["quotes"]) <= 2
    assert any(q["speaker"] == "Maria Lopez" for q in record["quotes"])


def test_alternating_curly_marks_are_no_quotes():
    text = "Officials met in Baghdad on Monday. " + "“”" * 20_000 + " They left."
    with hang_guard(HANG_GUARD):
        record = record_of(text)
    assert record["quotes"] == []


# ---- long texts: chunks ---------------------------------------------------------------------------------


class RecordingModel:
    """The language model, recording the length of every text it is given."""

    def __init__(self, nlp):
        self.nlp, self.lengths = nlp, []

    def pipe(self, texts, **kwargs):
        def recorded():
            for t in texts:
                self.lengths.append(len(t))
                yield t

        return self.nlp.pipe(recorded(), **kwargs)


def test_a_long_text_is_parsed_in_chunks_into_one_doc_of_the_very_text(monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 3_000)
    model = RecordingModel(pipeline.load())
    monkeypatch.setattr(pipeline, "load", lambda model_name=pipeline.DEFAULT_MODEL: model)
    paras = paragraphs(40)
    text = "\n\n".join(paras)
    short = "A short one, said John Smith."
    docs = list(pipeline.pipe([short, text, short]))
    assert [d.text for d in docs] == [short, text, short]
    assert max(model.lengths) <= 3_000 and len(model.lengths) > 3
    # Sentences never run over a chunk's edge: each paragraph starts one.
    starts = {s.start_char for s in docs[1].sents}
    offset = 0
    for para in paras:
        assert offset in starts
        offset += len(para) + 2


def test_chunks_give_the_analysis_of_the_whole(monkeypatch):
    text = "\n\n".join(paragraphs(30))
    whole = record_of(text)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 2_500)
    chunked = record_of(text)
    for key in ("entities", "actors", "quotes", "timexes", "summary"):
        assert chunked[key] == whole[key], key
    assert whole["quotes"] and whole["actors"]


def test_chunks_cut_at_paragraphs_then_sentences_then_spaces():
    text = ("One two three. " * 40 + "\n\n") * 5 + "x" * 700
    pieces = pipeline.chunks(text, 1_000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1_000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    text = "One two three. " * 100 + "\n\nMore."
    pieces = pipeline.chunks(text, 1_000)
    assert "".join(pieces) == text and pieces[0].endswith(". ")  # no paragraph break: after a sentence
    line = "word " * 1_000
    assert all(p.endswith(" ") for p in pipeline.chunks(line, 999)[:-1])
    blob = "y" * 2_500
    assert [len(p) for p in pipeline.chunks(blob, 1_000)] == [1_000, 1_000, 500]


# ---- counted work ---------------------------------------------------------------------------------------


class CountingDoc:
    """A doc that counts how often its whole text is built (spaCy builds `doc.text` anew each time)."""

    def __init__(self, doc):
        self._doc, self.text_reads = doc, 0

    @property
    def text(self):
        self.text_reads += 1
        return self._doc.text

    def __getattr__(self, name):
        return getattr(self._doc, name)

    def __getitem__(self, key):
        return self._doc[key]

    def __len__(self):
        return len(self._doc)

    def __iter__(self):
        return iter(self._doc)


def text_reads(n: int) -> int:
    text = "\n\n".join(paragraphs(n))
    doc = CountingDoc(next(pipeline.pipe([text])))
    analysis = analyze_doc(text, doc)
    assert analysis.actors and analysis.quotes
    return doc.text_reads


def test_the_whole_text_is_built_a_few_times_whatever_the_length():
    small, large = text_reads(4), text_reads(16)
    assert large == small and large <= 5


def speech_verb_checks(monkeypatch, quotes: int) -> int:
    """Quotes one after another in one long sentence with no speech verb: each looks for a cue."""
    text = "Officials met on Monday.\n\n" + " and ".join(f"“the {i} plan is bad for us”" for i in range(quotes)) + "."
    doc = next(pipeline.pipe([text]))
    calls = 0
    real = quotes_module._is_speech_verb

    def counting(token):
        nonlocal calls
        calls += 1
        return real(token)

    monkeypatch.setattr(quotes_module, "_is_speech_verb", counting)
    found = quotes_module.find_quotes(doc, text, [])
    monkeypatch.setattr(quotes_module, "_is_speech_verb", real)
    assert len(found) == quotes
    return calls


def test_the_cue_search_is_linear_in_the_quotes(monkeypatch):
    few, many = speech_verb_checks(monkeypatch, 20), speech_verb_checks(monkeypatch, 60)
    assert many <= 4 * few  # three times the quotes: about three times the work (it was nine)


def test_many_quotes_over_many_paragraphs_are_all_found():
    text = "\n\n".join(f"“We have waited {i} days for this,” said Maria Lopez." for i in range(300))
    with hang_guard(HANG_GUARD):
        record = record_of(text)
    assert len(record["quotes"]) == 300
    assert all(q["speaker"] == "Maria Lopez" for q in record["quotes"])


# ---- clock times ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["EST", "GMT", "UTC", "hours"])
def test_a_clock_time_with_a_zone_is_no_year(zone):
    """Whatever the model makes of it, "1530 EST" is half past three, not the year 1530."""
    text = f"The attack began at 1530 {zone} on Monday."
    doc = next(pipeline.pipe([text]))
    start = text.index("1530")
    doc.ents = [Span(doc, doc.char_span(start, start + 4).start, doc.char_span(start, start + 4).end, "DATE")]
    values = [t.value for t in find_timexes(doc, text, date(2017, 9, 14))]
    assert "1530" not in values


def test_the_model_reading_of_a_clock_time_is_no_year():
    record = record_of("The polls close at 2000 GMT, officials said on Tuesday.", date(2017, 9, 14))
    assert "2000" not in [t["value"] for t in record["timexes"]]
    record = record_of("Troops moved in at 0600 hours, officials said.", date(2017, 9, 14))
    assert not any(t["value"] in ("0600", "PT600H") for t in record["timexes"])


def test_years_stay_years():
    record = record_of("In 1530 the king died, and in 2016 the museum opened.", date(2017, 9, 14))
    assert {"1530", "2016"} <= {t["value"] for t in record["timexes"]}

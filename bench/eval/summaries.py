"""Single-article summaries on CNN/DailyMail (100 test stories): ROUGE-1/2/Lsum of Newsdesk's three sentences,
beside Lead-3 and sumy's LexRank and TextRank choosing three of the same sentences.

Every system picks from the same sentence split (the pipeline's), so only the choice differs. ROUGE is
rouge-score's F-measure with stemming; ROUGE-Lsum is the summary-level LCS (rouge-score's rougeLsum),
sentences on lines in both the summary and the reference.
"""

from __future__ import annotations

import json
import re

from bench.eval.common import EVAL_DIR, require, run_contract

N = 3


def load() -> list[tuple[str, str]]:
    path = require(EVAL_DIR / "cnndm" / "dev.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        (r["article"], "\n".join(s.strip() for s in re.split(r"\s+\.\s+|\s+\.$", r["reference"]) if s.strip()))
        for r in rows
    ]


def _sentences(texts: list[str]) -> list[list[str]]:
    from bot.nlp import pipeline

    return [[s.text.strip() for s in doc.sents if s.text.strip()] for doc in pipeline.pipe(texts)]


def _sumy(sentences: list[str], method: str) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    class Words:  # sumy's own tokenizer needs NLTK data from the internet; the words are all it needs here
        @staticmethod
        def to_words(text: str) -> list[str]:
            return re.findall(r"[^\W_][\w'’-]*", text)

    document = ObjectDocumentModel([Paragraph([Sentence(s, Words) for s in sentences])])
    summarizer = (LexRankSummarizer if method == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    picked = {str(s) for s in summarizer(document, N)}
    return [s for s in sentences if s in picked]


def main() -> None:
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        print("skipped: rouge-score is not installed (make eval installs it)")
        return
    rows = load()
    articles = [a for a, _ in rows]
    ours = [r["summary"] for r in run_contract([{"id": i, "text": a} for i, a in enumerate(articles)])]
    split = _sentences(articles)
    systems = {"Lead-3": [s[:N] for s in split], "Newsdesk": ours}
    try:
        systems["LexRank (sumy)"] = [_sumy(s, "lexrank") for s in split]
        systems["TextRank (sumy)"] = [_sumy(s, "textrank") for s in split]
    except ImportError:
        print("  (sumy is not installed: make eval installs it)")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    print(f"CNN/DailyMail: {len(rows)} stories, {N} sentences each; ROUGE F1")
    print("  (Lead-3 published on the test set: 40.3 / 17.7 / 36.6)")
    figures = {}
    for name, summaries in systems.items():
        totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
        for summary, (_, reference) in zip(summaries, rows, strict=True):
            scores = scorer.score(reference, "\n".join(summary))
            for key in totals:
                totals[key] += scores[key].fmeasure
        figures[name] = [100 * totals[k] / len(rows) for k in ("rouge1", "rouge2", "rougeLsum")]
        r1, r2, rl = figures[name]
        print(f"  {name:16} ROUGE-1 {r1:5.2f}   ROUGE-2 {r2:5.2f}   ROUGE-Lsum {rl:5.2f}")
    gain = "  ".join(f"{a - b:+.2f}" for a, b in zip(figures["Newsdesk"], figures["Lead-3"], strict=True))
    same = sum(ours == lead for ours, lead in zip(systems["Newsdesk"], systems["Lead-3"], strict=True))
    print(f"  Newsdesk - Lead-3: {gain} (ROUGE-1, ROUGE-2, ROUGE-Lsum); the same sentences in {same} stories")

"""Shared pieces of the evaluation harness: where the data is, running the contract, scoring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

EVAL_DIR = Path(os.environ.get("NEWSDESK_EVAL_DIR", Path(__file__).resolve().parents[3] / "shared" / "eval"))


class Missing(Exception):
    """The development data is not here; the harness says so and skips."""


def require(path: Path) -> Path:
    if not path.exists():
        raise Missing(f"skipped: {path} is not here (the development data lives in ../shared/eval)")
    return path


def run_contract(docs: list[dict]) -> list[dict]:
    """Run `python -m bot analyze` on documents, exactly as a script would."""
    payload = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze"], input=payload, capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self) -> str:
        return f"P {100 * self.precision:5.1f}  R {100 * self.recall:5.1f}  F1 {100 * self.f1:5.1f}"

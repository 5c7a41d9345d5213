"""Provenance: what a result records about how it was made.

One home for the recorded command line (:func:`command_line`) and the model's hash
(:func:`model_sha256`), so the CSV of ``priorsearch phase``, of the Python API and of
``priorsearch figures`` describe their inputs the same way.
"""
from __future__ import annotations

__all__ = ["command_line", "model_sha256"]

import hashlib
from .model.toml_format import dump_model


def command_line(words) -> str:
    """The words of a command, joined by spaces (``None`` words are left out).

    Parameters
    ----------
    words : iterable
        The command's words (each converted with ``str``); ``None`` entries are skipped.
    """
    return " ".join(str(w) for w in words if w is not None)


def model_sha256(model) -> str:
    """SHA-256 of the model's canonical TOML form: equal models hash equally.

    Parameters
    ----------
    model : CostModel
        The model; hashed as the text :func:`priorsearch.model.toml_dump.dump_model` writes.

    Returns
    -------
    str
        The hex digest.
    """

    return hashlib.sha256(dump_model(model).encode("utf-8")).hexdigest()

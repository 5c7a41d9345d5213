"""Provenance: what a result records about how it was made.

One home for the recorded command line (:func:`command_line`) and the model's hash
(:func:`model_sha256`), so the CSV of ``priorsearch phase``, of the Python API and of
``priorsearch figures`` describe their inputs the same way.  Every recorded word is
printable UTF-8, losslessly (:func:`escape`): a file name with a byte that is not
UTF-8 is recorded as ``\\xNN`` instead of failing the write.
"""
from __future__ import annotations

__all__ = ["command_line", "model_sha256", "escape", "unescape"]

import hashlib
from .model.toml_format import dump_model


def command_line(words) -> str:
    """The words of a command, joined by spaces (``None`` words are left out).

    Each word is escaped by :func:`escape`, and a space inside a word becomes ``\\x20``,
    so splitting the line at spaces and unescaping gives the words back.

    Parameters
    ----------
    words : iterable
        The command's words (each converted with ``str``); ``None`` entries are skipped.

    Returns
    -------
    str
        Printable UTF-8, whatever bytes the words' file names hold.
    """
    return " ".join(escape(w).replace(" ", "\\x20") for w in words if w is not None)


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


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text) -> str:
    """Printable UTF-8 for text recorded in an output (a command line, a path).

    Lossless: a backslash becomes ``\\\\``, a byte that was not UTF-8 (a surrogate
    escape, as Python decodes such file names) ``\\xNN``, a control character ``\\n``,
    ``\\t``, ``\\r`` or ``\\xNN``; (:func:`unescape` inverts it).

    Parameters
    ----------
    text : str
        Any text (file names decoded with surrogate escapes included).

    Returns
    -------
    str
    """
    out = []
    for ch in str(text):
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # surrogateescape of the byte code - 0xDC00
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def unescape(text: str) -> str:
    """Inverse of :func:`escape` (non-UTF-8 bytes come back as surrogate escapes).

    Parameters
    ----------
    text : str
        Text written by :func:`escape`.

    Returns
    -------
    str
    """
    out, i = [], 0
    back = {v[1]: k for k, v in _ESCAPES.items()}
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        kind = text[i + 1]
        if kind in back:
            out.append(back[kind])
            i += 2
        elif kind == "x":
            code = int(text[i + 2:i + 4], 16)
            out.append(chr(code + 0xDC00) if code >= 0x80 else chr(code))
            i += 4
        elif kind == "u":
            out.append(chr(int(text[i + 2:i + 6], 16)))
            i += 6
        else:
            raise ValueError(f"bad escape at {i}: {text[i:i + 2]!r}")
    return "".join(out)

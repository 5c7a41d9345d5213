"""Program files: the packaged templates and loading user files or directories."""
from __future__ import annotations

__all__ = ["load_programs", "default_programs", "template", "TEMPLATE_NAMES", "POST_TEMPLATES"]

from importlib import resources
from pathlib import Path

from .dsl import Definition, parse_definitions, read_definitions
from ..errors import InputError, Location
from ..errors import suggest

#: every template of DESIGN 2.3, in order
TEMPLATE_NAMES = ("honest", "simple_deceptive", "fast_deceptive", "hybrid", "derive_and_pursue")
#: the post's three, scored by ``rank`` by default
POST_TEMPLATES = ("honest", "simple_deceptive", "fast_deceptive")


def template(name: str) -> Definition:
    """A packaged template by name (``honest``, ``simple_deceptive``, ...).

    Parameters
    ----------
    name : str
        One of ``TEMPLATE_NAMES``; an unknown name is an :class:`InputError` with a suggestion.

    Returns
    -------
    Definition
        The parsed ``programs/<name>.prog`` definition.
    """
    if name not in TEMPLATE_NAMES:
        raise InputError(f"unknown template {name!r}{suggest(name, TEMPLATE_NAMES)}")
    (definition,) = packaged_definitions(f"{name}.prog")
    return definition


def packaged_definitions(path: str) -> list[Definition]:
    """The definitions of a program file shipped in ``programs/`` (packaged as data).

    Parameters
    ----------
    path : str
        The file's path under ``programs/``, e.g. ``"camera/programs.prog"``; errors name
        it as ``programs/<path>``.

    Returns
    -------
    list of Definition
    """
    text = resources.files("priorsearch").joinpath(f"data/{path}").read_text(encoding="utf-8")
    return parse_definitions(text, f"programs/{path}")


def default_programs(names=POST_TEMPLATES) -> list[Definition]:
    """The packaged templates ``names`` as definitions, in that order.

    Parameters
    ----------
    names : sequence of str
        Template names; the default is the post's three (``POST_TEMPLATES``).

    Returns
    -------
    list of Definition
    """
    return [template(n) for n in names]


def load_programs(*paths) -> list[Definition]:
    """Definitions from files and directories (a directory: its ``*.prog`` files, sorted).

    A name defined in two places is an error naming both.

    Parameters
    ----------
    *paths : str or path-like
        ``.prog`` files or directories, read in the order given.

    Returns
    -------
    list of Definition
    """
    out: list[Definition] = []
    where: dict[str, Definition] = {}
    for path in paths:
        p = Path(path)
        files = sorted(p.glob("*.prog")) if p.is_dir() else [p]
        if p.is_dir() and not files:
            raise InputError(f"{path}: directory holds no .prog files")
        for f in files:
            if p.is_dir() and not f.is_file():  # a FIFO would block, a directory is not a file
                raise InputError("not a regular file, expected a .prog file (found in a --programs directory)",
                                 Location(str(f)))
            for d in read_definitions(f):
                if d.name in where:
                    first = where[d.name].loc
                    raise InputError(f"duplicate definition {d.name!r} (first defined at {first})", d.loc)
                where[d.name] = d
                out.append(d)
    return out

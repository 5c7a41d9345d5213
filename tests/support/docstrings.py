"""The docstring check (stumpy's docstring.py pattern): every public name has a
NumPy-style docstring, and where a callable takes parameters its ``Parameters``
section names exactly those parameters."""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import warnings

import priorsearch


def public_objects():
    """(qualified name, object) for every name in the ``__all__`` of every module."""
    seen = set()
    mods = [priorsearch] + [importlib.import_module(m.name) for m in
                            pkgutil.walk_packages(priorsearch.__path__, "priorsearch.")]
    for mod in mods:
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name, None)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or id(obj) in seen:
                continue
            if getattr(obj, "__module__", "").split(".")[0] != "priorsearch":
                continue
            seen.add(id(obj))
            yield f"{obj.__module__}.{obj.__qualname__}", obj


def problems(obj) -> list[str]:
    """What is wrong with ``obj``'s docstring (empty when nothing)."""
    from numpydoc.docscrape import ClassDoc, FunctionDoc

    doc = inspect.getdoc(obj)
    if not doc or not doc.strip():
        return ["no docstring"]
    if dataclasses.is_dataclass(obj) and obj.__doc__ == obj.__name__ + str(inspect.signature(obj)).replace(" -> None", ""):
        return ["no docstring"]  # @dataclass writes "Name(field: type, ...)" when there is none
    if inspect.isclass(obj) and (dataclasses.is_dataclass(obj) or issubclass(obj, BaseException)):
        return []  # fields are documented as attributes; the generated __init__ has no doc of its own
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    params = [p.name for p in sig.parameters.values() if p.name not in ("self", "cls")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = ClassDoc(obj, config={"show_class_members": False}) if inspect.isclass(obj) else FunctionDoc(obj)
    listed = [n.strip().lstrip("*") for p in parsed["Parameters"] for n in p.name.split(",")]
    if not params:
        return [] if not listed else [f"documents parameters {listed} but takes none"]
    if not listed:
        return [f"no Parameters section for {params}"]
    if set(listed) != set(params):
        return [f"Parameters section lists {listed}, the signature has {params}"]
    return []

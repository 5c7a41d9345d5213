"""The layer order of the package, enforced: data flows one way, the library never
imports the CLI, there are no import cycles, and function-level imports are only for
heavy optional dependencies."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from paths import REPO

PACKAGE = REPO / "priorsearch"

#: low to high; a module may import only from its own layer or lower ones
LAYERS = ["_version", "errors", "interrupts", "outputs", "inputs", "jit", "lang", "exchange", "model", "provenance", "features", "space",
          "scoring", "symbolic", "phase", "uncertainty", "plot", "experiments", "reproduce", "cli", "__main__"]
#: what may be imported inside a function: heavy or optional third-party libraries
HEAVY = {"sympy", "matplotlib", "mpl_toolkits", "scipy", "contourpy", "tqdm", "dask", "distributed", "SALib",
         "pandas", "xarray"}
MAX_LINES = 450
#: modules being split by work in flight (remove the entry when it lands)
TOO_LONG_FOR_NOW = set()


def modules():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0][:-3] if len(rel.parts) == 1 else rel.parts[0]


def target_of(path: Path, node: ast.ImportFrom) -> str | None:
    """The top-level priorsearch layer an import names (None: outside the package)."""
    if node.level == 0:
        mod = node.module or ""
        if not mod.startswith("priorsearch"):
            return None
        parts = mod.split(".")[1:]
    else:
        rel = list(path.relative_to(PACKAGE).parts[:-1])
        base = rel[: len(rel) - (node.level - 1)]
        parts = base + (node.module.split(".") if node.module else [])
        if not parts:  # "from .. import x" at the top: x is the layer
            parts = [node.names[0].name]
    return parts[0] if parts else None


def test_every_module_belongs_to_a_known_layer():
    unknown = {layer_of(p) for p in modules()} - set(LAYERS) - {"__init__", "data"}
    assert not unknown, f"add these to LAYERS in the right place: {unknown}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layer_order(path):
    own = layer_of(path)
    if own == "__init__":
        return  # the package's front door re-exports every layer
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = target_of(path, node)
            if target is None or target not in LAYERS:
                continue
            assert LAYERS.index(target) <= LAYERS.index(own), \
                f"{path.relative_to(PACKAGE)}:{node.lineno} ({own}) imports the higher layer {target}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_function_level_imports_are_only_for_heavy_dependencies(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]] if node.level == 0 else ["<relative>"]
            else:
                continue
            # a relative import of a heavy module (sympy-based symbolic) is allowed
            if names == ["<relative>"] and node.module and node.module.split(".")[0] == "symbolic":
                continue
            assert set(names) <= HEAVY, f"{path.relative_to(PACKAGE)}:{node.lineno} imports {names} inside {fn.name}()"


def test_the_library_never_imports_the_cli():
    for path in modules():
        if layer_of(path) in ("cli", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert target_of(path, node) != "cli", f"{path.relative_to(PACKAGE)}:{node.lineno} imports the CLI"


def test_no_import_cycles():
    graph = {}
    for path in modules():
        rel = path.relative_to(PACKAGE).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts)
        deps = set()
        for node in ast.iter_child_nodes(ast.parse(path.read_text(encoding="utf-8"))):  # module level only
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(path.relative_to(PACKAGE).parts[:-1])
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + (node.module.split(".") if node.module else []))
                for alias in node.names:
                    sub = f"{mod}.{alias.name}" if mod else alias.name
                    deps.add(sub if (PACKAGE / (sub.replace(".", "/") + ".py")).exists() or
                             (PACKAGE / sub.replace(".", "/")).is_dir() else mod)
        graph[name] = {d for d in deps if d != name}

    def packages_of(mod):  # importing a.b.c runs a/__init__ and a/b/__init__ first
        parts = mod.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts))}

    state = {}

    def visit(node, stack):
        state[node] = "open"
        for dep in graph.get(node, ()):
            if dep in packages_of(node):
                continue  # a module importing its own package's siblings through it
            if state.get(dep) == "open":
                raise AssertionError("import cycle: " + " -> ".join(stack + [node, dep]))
            if dep not in state:
                visit(dep, stack + [node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n} lines; split it by idea"

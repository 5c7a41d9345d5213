"""The documentation pages run: every ```python block and every ```console block of
docs/**/*.md is executed, page by page, and the console output must equal the output the
page shows (a line ``...`` stands for any number of lines).

Python blocks of one page share a namespace and assert the numbers the text states.
Pages run in a fresh directory holding copies of docs/examples/ and programs/, so their
relative paths work and their outputs (phase.png, ...) never land in the repository.
"""
import contextlib
import io
import linecache
import re
import shlex
import shutil

import pytest
from paths import REPO

from priorsearch.cli.main import main

ROOT = REPO
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(python|console)\n(.*?)^```$", re.S | re.M)


def pages():
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts and FENCE.search(p.read_text(encoding="utf-8")))


def blocks(page):
    return [(kind, body) for kind, body in FENCE.findall(page.read_text(encoding="utf-8"))]


def console_commands(body):
    """[(argv, expected output lines)] of a console block: ``$ priorsearch ...`` lines."""
    out = []
    for line in body.splitlines():
        if line.startswith("$ "):
            argv = shlex.split(line[2:])
            assert argv[0] == "priorsearch", f"console blocks run priorsearch only: {line}"
            out.append((argv[1:], []))
        else:
            assert out, f"output before any command: {line}"
            out[-1][1].append(line)
    return out


def matches(expected, actual):
    """``expected`` lines equal ``actual`` lines, a ``...`` line matching any lines."""
    pattern = "".join(r"(?:.*\n)*?" if line == "..." else re.escape(line) + r"\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def run_page(page, workdir, monkeypatch):
    shutil.copytree(DOCS / "examples", workdir / "docs" / "examples")
    shutil.copytree(ROOT / "programs", workdir / "programs")
    monkeypatch.chdir(workdir)
    namespace = {"__name__": f"docs_{page.stem}"}
    ran = 0
    for i, (kind, body) in enumerate(blocks(page)):
        where = f"{page.relative_to(ROOT)} block {i + 1}"
        if kind == "python":
            # registered so that a failing assert shows the page's line in the traceback
            linecache.cache[where] = (len(body), None, body.splitlines(True), where)
            exec(compile(body, where, "exec"), namespace)
        else:
            for argv, expected in console_commands(body):
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    status = main(argv)
                assert status == 0, f"{where}: priorsearch {' '.join(argv)} exited {status}: {err.getvalue()}"
                actual = [line.rstrip() for line in out.getvalue().rstrip("\n").splitlines()]
                assert matches([line.rstrip() for line in expected], actual), (
                    f"{where}: priorsearch {' '.join(argv)} printed\n{out.getvalue()}")
        ran += 1
    return ran


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_page_runs_and_states_what_the_code_gives(page, tmp_path, monkeypatch):
    assert run_page(page, tmp_path, monkeypatch) > 0


def test_every_tutorial_is_executed():
    tutorials = sorted((DOCS / "tutorials").glob("*.md"))
    executed = set(pages())
    assert {p.stem for p in tutorials} >= {"own_model", "phase_diagram", "counting", "python_api"}
    assert all(p in executed for p in tutorials if p.stem != "index")


def test_console_output_matching():
    assert matches(["a", "...", "c"], ["a", "b", "b2", "c"])
    assert matches(["a", "...", "c"], ["a", "c"])
    assert not matches(["a", "c"], ["a", "b", "c"])
    assert not matches(["a"], ["a", "b"])


def test_getting_started_has_the_readme_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    page = (DOCS / "getting_started.md").read_text(encoding="utf-8")
    shown = page.split("```sh\n", 1)[1].split("```", 1)[0]
    assert shown == quick

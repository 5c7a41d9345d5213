"""The README's Python example runs and prints what the README says it prints."""
import contextlib
import io
import re
from pathlib import Path
from paths import REPO

README = REPO / "README.md"


def test_readme_python_example_prints_documented_results():
    text = README.read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", text, re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(README), "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[0] == "honest"
    assert lines[1] == "[('honest', 180.0, 101.0), ('dated', 182.0, 101.1)]"
    assert lines[2] == "honest"


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in quick.splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()

"""The documentation site builds warning-free (sphinx-build -W) and has its key pages.

Sphinx, numpydoc, myst-parser and furo are in the ``test`` extra, so a missing one is a
failure here, not a skip.
"""
import re
import subprocess
import sys

import furo  # noqa: F401  (the theme; imported so a missing one fails clearly)
import myst_parser  # noqa: F401
import numpydoc  # noqa: F401
import sphinx  # noqa: F401

import priorsearch as ps
from paths import REPO

ROOT = REPO
DOCS = ROOT / "docs"
PAGES = ("index", "getting_started", "model", "model_format", "api", "tutorials/index",
         "tutorials/own_model", "tutorials/phase_diagram", "tutorials/counting", "tutorials/python_api")


def test_site_builds_without_warnings_and_has_the_key_pages(tmp_path):
    out = tmp_path / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-d", str(tmp_path / "doctrees"),
         str(DOCS), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert proc.stderr.strip() == "", proc.stderr
    for page in PAGES:
        assert (out / f"{page}.html").is_file(), page
    assert (out / "_images" / "post_phase.png").is_file()
    api = (out / "api.html").read_text(encoding="utf-8")
    for name in ("priorsearch.CostModel", "priorsearch.rank", "priorsearch.phase_diagram", "priorsearch.boundary"):
        assert f'id="{name}"' in api, name
    reference = (out / "model_format.html").read_text(encoding="utf-8")
    assert "per_objective" in reference and "misaligned_{i}" in reference   # the included examples


def test_api_reference_documents_every_public_name():
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\.\. auto(?:class|function):: (\w+)", text, re.M))
    documented |= set(re.findall(r"^\.\. data:: (\w+)", text, re.M))
    assert documented == set(ps.__all__)


def test_readme_links_the_site_and_the_build_output_is_ignored():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'python3 -m pip install -e ".[docs]" && sphinx-build -W docs docs/_build/html' in readme
    assert "docs/_build/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()

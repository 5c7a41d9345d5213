"""Sphinx configuration of the priorsearch documentation (build: sphinx-build -W docs docs/_build/html)."""
import sys
from pathlib import Path

# the package next to docs/ wins over any installed copy, so the pages document this tree
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import priorsearch  # noqa: E402

project = "priorsearch"
author = "priorsearch contributors"
release = version = priorsearch.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "examples"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

autosummary_generate = False
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "furo"
html_title = f"priorsearch {release}"

"""Where the repository's files are, for tests at any depth of tests/."""
from pathlib import Path

#: the repository root (holds priorsearch/, programs/, analysis/, README.md)
REPO = Path(__file__).resolve().parents[2]
PROGRAMS = REPO / "programs"

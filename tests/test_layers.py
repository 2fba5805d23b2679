"""Who may import whom: extraction stands on the data model alone, and only the CLI drives the flows.

Scanned with `ast` (no import runs, so the test costs milliseconds): every `import` and
`from ... import` of a package's modules, wherever it sits (lazy imports in functions included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _imported(package: str) -> dict[str, set[str]]:
    """Top-level packages each module of `package` imports, by module path."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPO))] = names
    return found


@pytest.mark.parametrize(("package", "forbidden"), [
    ("transforms", {"warehouse", "flows", "incidents", "expectations"}),  # extraction: pure functions
    ("model", {"warehouse", "flows", "incidents", "expectations", "transforms", "sources", "runtime"}),
    ("runtime", {"warehouse", "flows", "incidents", "expectations", "transforms"}),
    ("flows", {"incidents"}),  # the CLI is the only importer of the flows, never the other way
    ("warehouse", {"flows", "incidents"}),
    ("expectations", {"warehouse", "flows", "incidents"}),
])
def test_layers_import_only_what_they_stand_on(package, forbidden):
    wrong = {module: sorted(names & forbidden) for module, names in _imported(package).items() if names & forbidden}
    assert wrong == {}


def test_allowed_values_have_one_definition():
    from model import schema
    from transforms import language, lexicon, scoring

    assert scoring.EVENT_TYPES is schema.EVENT_TYPES
    assert language._LANGS.tolist() == list(schema.LANGUAGES) == ["en", "ru", "uk", "other"]  # _decide_all's order
    # the extractor's weapon patterns name exactly the allowed weapons (plus its pseudo-weapon)
    assert set(lexicon.WEAPON_PATTERNS) - {lexicon.AIR_STRIKE} == set(schema.WEAPONS)

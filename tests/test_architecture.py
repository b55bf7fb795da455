"""Each app imports only the ones below it (shared/architecture.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["ogp_portal", "plans", "commitments", "consultations", "forums", "records"]
# The root of the house and the tooling that seeds every app may import every app.
EXEMPT = [ROOT / "ogp_portal" / "urls.py", ROOT / "ogp_portal" / "seeding"]


def _is_exempt(path: Path) -> bool:
    return any(path == exempt or exempt in path.parents for exempt in EXEMPT)


def _imported_top_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("index", range(len(LAYERS)))
def test_lower_apps_do_not_import_higher_ones(index):
    app, higher = LAYERS[index], set(LAYERS[index + 1 :])
    offenders = []
    for path in (ROOT / app).rglob("*.py"):
        if _is_exempt(path):
            continue
        bad = _imported_top_packages(path) & higher
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, offenders

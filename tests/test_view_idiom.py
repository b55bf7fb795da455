"""One way from a request to a write (ogp_portal/core/form_views.py): views call a service
through run_service, ServiceFormMixin.call_service or run_action, and never catch a
service's refusal by hand, so every refusal is shown the same way."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VIEW_MODULES = (
    "plans/views.py",
    "plans/views_influence.py",
    "commitments/views.py",
    "commitments/views_team.py",
    "commitments/interchange_views.py",
    "consultations/views",
    "ogp_portal/organisations/views.py",
    "ogp_portal/organisations/views_profile.py",
    "records/views_dashboard.py",
    "ogp_portal/core/translation_views.py",
    "forums/views",
    "records/views.py",
    "records/views_opendata.py",
)
REFUSALS = {"DomainError", "ValidationError"}


def _files():
    for name in VIEW_MODULES:
        path = ROOT / name
        yield from sorted(path.glob("*.py")) if path.is_dir() else [path]


def _caught(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:  # a bare `except:` names nothing
        return set()
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = set()
    for node in types:
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_do_not_catch_service_refusals_by_hand(path):
    tree = ast.parse(path.read_text())
    hand_written = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and node.type is not None
        and _caught(node) & REFUSALS
    ]  # fmt: skip
    assert not hand_written, f"use run_service/call_service/run_action: {hand_written}"

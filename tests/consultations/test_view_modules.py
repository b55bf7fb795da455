"""The consultation view modules import one another in one direction only (no circle, and no
private function borrowed from a sibling)."""

import ast
from pathlib import Path

import consultations.views

VIEWS = Path(consultations.views.__file__).parent


def _sibling_imports() -> dict[str, set[str]]:
    imports: dict[str, set[str]] = {}
    for path in VIEWS.glob("*.py"):
        found = imports.setdefault(path.stem, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                found.add(node.module)
            elif isinstance(node, ast.ImportFrom) and node.module == "consultations.views":
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "consultations.views."
            ):
                found.add(node.module.rsplit(".", 1)[1])
    return imports


def test_view_modules_import_each_other_without_a_circle():
    imports = _sibling_imports()
    state: dict[str, str] = {}

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert state.get(module) != "open", f"import circle: {' -> '.join((*trail, module))}"
        if state.get(module) == "done":
            return
        state[module] = "open"
        for other in imports.get(module, ()):
            visit(other, (*trail, module))
        state[module] = "done"

    for module in imports:
        visit(module, ())


def test_no_view_module_borrows_a_private_name_from_a_sibling():
    for path in VIEWS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from .{node.module}"

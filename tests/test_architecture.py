"""Each app imports only the ones below it (shared/architecture.md), and does not reach a higher
one at run time either: no ``apps.get_model("<higher app>", ...)``, no string model reference
such as ``"consultations.Comment"`` (a ForeignKey string, a label comparison), no comparison
with a higher app's label (``_meta.app_label == "forums"``), no status value
that only a higher app defines (``.exclude(status="complete")`` on milestones from ``plans/``).
A lower app learns about higher ones through registries it owns, filled in the higher app's
``AppConfig.ready``.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Lowest first. A layer that does not exist (yet) is simply skipped.
LAYERS = ["ogp_portal", "plans", "commitments", "consultations", "forums", "records"]
# Django app labels found under each layer (ogp_portal holds several apps).
LABELS = {
    "ogp_portal": {"core", "users", "organisations", "guides"},
    "plans": {"plans"},
    "commitments": {"commitments"},
    "consultations": {"consultations"},
    "forums": {"forums"},
    "records": {"records"},
}
# The root of the house and the tooling that seeds every app may name every app.
EXEMPT = [ROOT / "ogp_portal" / "urls.py", ROOT / "ogp_portal" / "seeding"]


def _modules(layer: str) -> list[Path]:
    paths = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        if "migrations" in path.parts:
            continue  # migrations name models by string on purpose (apps.get_model)
        if any(path == e or e in path.parents for e in EXEMPT):
            continue
        paths.append(path)
    return paths


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(), filename=str(path))


def _imported_top_packages(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _model_label_pattern(labels: set[str]) -> re.Pattern:
    # "consultations.Comment", "commitments.Milestone": an app label and a model class name.
    return re.compile(rf"^({'|'.join(sorted(labels))})\.[A-Z]\w*$")


def _get_model_label(node: ast.Call) -> str | None:
    """The app label a ``get_model``/``get_app_config`` call names, if it is a constant."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in ("get_model", "get_app_config", "get_models") or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value.split(".")[0]
    return None


def _choice_values(layer: str) -> set[str]:
    """Every value of the TextChoices declared in a layer's choices modules."""
    values = set()
    for path in (ROOT / layer).rglob("choices.py"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
                first = node.value.elts[0] if node.value.elts else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    values.add(first.value)
    return values


def _is_status_name(name: str) -> bool:
    # status=..., status__in=..., milestones__status=..., milestone_status (a field copy).
    parts = name.split("__")
    return any(p == "status" or p.endswith("_status") for p in parts)


def _status_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants given as a status filter/assignment or compared with ``.status``."""
    found = []

    def constants(node):
        return [
            (n.lineno, n.value)
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]

    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg and _is_status_name(node.arg):
            found += constants(node.value)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and _is_status_name(s.attr) for s in sides):
                for side in sides:
                    if not isinstance(side, ast.Attribute):
                        found += constants(side)
    return found


def _app_label_comparisons(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants compared with an ``app_label`` (``obj._meta.app_label == "forums"``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "app_label" for s in sides):
                found += [
                    (n.lineno, n.value)
                    for side in sides
                    for n in ast.walk(side)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
    return found


def _layer_problems(index: int) -> list[str]:
    app = LAYERS[index]
    higher = LAYERS[index + 1 :]
    higher_labels = set().union(*(LABELS[layer] for layer in higher)) if higher else set()
    if not higher_labels:
        return []
    pattern = _model_label_pattern(higher_labels)
    # States only a higher app defines: a value this layer or a lower one also defines is its own.
    own_states = set().union(*(_choice_values(layer) for layer in LAYERS[: index + 1]))
    foreign_states = set().union(*(_choice_values(layer) for layer in higher)) - own_states
    problems = []
    for path in _modules(app):
        tree, where = _tree(path), path.relative_to(ROOT)
        bad = _imported_top_packages(tree) & set(higher)
        if bad:
            problems.append(f"{where} imports {sorted(bad)}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _get_model_label(node) in higher_labels:
                problems.append(f"{where}:{node.lineno} looks up {_get_model_label(node)!r}")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and pattern.match(node.value)
            ):
                problems.append(f"{where}:{node.lineno} names the model {node.value!r}")
        for lineno, label in _app_label_comparisons(tree):
            if label in higher_labels:
                problems.append(f"{where}:{lineno} compares with the app label {label!r}")
        for lineno, value in _status_literals(tree):
            if value in foreign_states:
                problems.append(f"{where}:{lineno} uses a higher app's state {value!r}")
    return problems


@pytest.mark.parametrize("index", range(len(LAYERS) - 1), ids=LAYERS[:-1])
def test_lower_apps_do_not_reach_higher_ones(index):
    if not (ROOT / LAYERS[index]).is_dir():
        pytest.skip(f"{LAYERS[index]}/ does not exist")
    problems = _layer_problems(index)
    assert not problems, "\n".join(problems)


def test_the_checks_catch_a_runtime_lookup(tmp_path):
    """The AST checks themselves, on a module written the way the layering forbids."""
    source = (
        "from django.apps import apps\n"
        "Milestone = apps.get_model('commitments', 'Milestone')\n"
        "rows = Milestone.objects.exclude(status='complete')\n"
        "author = models.ForeignKey('consultations.Comment', on_delete=models.CASCADE)\n"
        "if instance._meta.label == 'forums.ForumMeeting': pass\n"
        "if sender._meta.app_label in ('consultations', 'forums'): pass\n"
    )
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert "commitments" in {_get_model_label(c) for c in calls}
    pattern = _model_label_pattern({"consultations", "forums"})
    names = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    assert {"consultations.Comment", "forums.ForumMeeting"} <= set(filter(pattern.match, names))
    assert (3, "complete") in _status_literals(tree)
    assert {(6, "consultations"), (6, "forums")} <= set(_app_label_comparisons(tree))
    assert "complete" in _choice_values("commitments") - _choice_values("plans")


# Style guide §2: past about 500 lines a module becomes a package by sub-process.
MAX_MODULE_LINES = 500


def test_no_module_is_over_500_lines():
    too_long = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_MODULE_LINES:
                too_long.append(f"{path.relative_to(ROOT)} ({lines})")
    assert not too_long, too_long

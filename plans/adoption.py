"""Checks that must pass before a plan is adopted. Higher apps register their own at start-up
(consultations: windows closed and every input answered; commitments: every template
section written) without plans importing them.

Each check returns the problems it finds as `AdoptionProblem`s (text plus a link to what
blocks it); the plan page shows them as the "ready to adopt" checklist and the transition to
"adopted" refuses while any is left. A check may still return plain strings (older callers).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class AdoptionProblem:
    """One thing that keeps a plan from adoption, and where to fix it."""

    text: str
    url: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ChecklistItem:
    """One registered check on the plan page: its label and what it found (empty = done)."""

    label: str
    problems: list[AdoptionProblem]

    @property
    def done(self) -> bool:
        return not self.problems


AdoptionCheck = Callable[[Any], "Sequence[AdoptionProblem | str]"]
_CHECKS: list[tuple[AdoptionCheck, Any]] = []


def register_adoption_check(check: AdoptionCheck, *, label: Any = "") -> AdoptionCheck:
    """Add `check` to the list every adoption goes through; `label` names it on the checklist."""
    if all(check is not registered for registered, _label in _CHECKS):
        _CHECKS.append((check, label or check.__name__.replace("_", " ")))
    return check


def unregister_adoption_check(check: AdoptionCheck) -> None:
    """Take `check` off the list (tests that register a check of their own)."""
    _CHECKS[:] = [(c, label) for c, label in _CHECKS if c is not check]


def _as_problem(problem: "AdoptionProblem | str") -> AdoptionProblem:
    return problem if isinstance(problem, AdoptionProblem) else AdoptionProblem(str(problem))


def adoption_checklist(plan) -> list[ChecklistItem]:
    """Every registered check with what it found, in registration order."""
    return [
        ChecklistItem(str(label), [_as_problem(p) for p in check(plan)]) for check, label in _CHECKS
    ]


def adoption_blockers(plan) -> list[AdoptionProblem]:
    return [problem for item in adoption_checklist(plan) for problem in item.problems]


def adoption_problems(plan) -> list[str]:
    """The problems as sentences (the transition service joins them in its refusal)."""
    return [problem.text for problem in adoption_blockers(plan)]


PLAN_SECTIONS = (
    ("vision", gettext_lazy("Introduction and long-term vision")),
    ("efforts_to_date", gettext_lazy("Open government efforts to date")),
    ("development_process", gettext_lazy("Development process")),
)


def plan_sections_empty(plan) -> list[AdoptionProblem]:
    """The plan's own template sections (the PDF prints "Not written yet." for an empty one)."""
    url = reverse("plans:plan-edit", args=[plan.pk])
    return [
        AdoptionProblem(
            _("The plan section “%(section)s” is not written yet.") % {"section": label}, url
        )
        for field, label in PLAN_SECTIONS
        if not (getattr(plan, field) or "").strip()
    ]

"""The level of public influence the portal proposes for a plan, from what it sees.

plans/ cannot see consultations, forums or commitment teams; each of those apps registers
a function (`register_influence_evidence`) in its AppConfig.ready that looks at the plan and
returns what it found: the phase, the level it supports at least, and why. The proposal is
the highest level found per phase. It only proposes: the point of contact records the
self-assessed level (PlanInfluence), and the page shows both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .choices import InfluenceLevel, InfluencePhase


@dataclass(frozen=True)
class InfluenceSignal:
    """Something seen on the portal that supports at least `level` in `phase`."""

    phase: str  # InfluencePhase
    level: str  # InfluenceLevel
    reason: str
    url: str = ""


InfluenceEvidence = Callable[[Any], list[InfluenceSignal]]
_EVIDENCE: list[InfluenceEvidence] = []

_ORDER = list(InfluenceLevel.values)


def register_influence_evidence(fn: InfluenceEvidence) -> InfluenceEvidence:
    if fn not in _EVIDENCE:
        _EVIDENCE.append(fn)
    return fn


@dataclass(frozen=True)
class ProposedLevel:
    phase: str
    level: str  # "" when nothing was seen
    signals: list[InfluenceSignal]

    @property
    def phase_label(self) -> str:
        return str(InfluencePhase(self.phase).label)

    @property
    def level_label(self) -> str:
        return str(InfluenceLevel(self.level).label) if self.level else ""


def proposed_levels(plan: Any) -> list[ProposedLevel]:
    """Per phase (co-creation, implementation): the highest level the evidence supports,
    with every signal behind it, strongest first."""
    signals: list[InfluenceSignal] = []
    for fn in _EVIDENCE:
        signals.extend(fn(plan))
    proposals = []
    for phase in InfluencePhase.values:
        found = sorted(
            (s for s in signals if s.phase == phase),
            key=lambda s: _ORDER.index(s.level),
            reverse=True,
        )
        proposals.append(ProposedLevel(phase, found[0].level if found else "", found))
    return proposals


def level_rank(level: str) -> int:
    """Position on the spectrum (inform = 0); -1 for none."""
    return _ORDER.index(level) if level in _ORDER else -1

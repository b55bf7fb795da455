"""What the scale seed makes (Sizes) and what its steps share while making it (Context)."""

import datetime as dt
import random
from dataclasses import dataclass, field

from .writer import Writer

# Full size (--scale 1): a national-scale portal with many members.
FULL = {
    "members": 80,
    "plans": 300,
    "commitments": 6_000,
    "milestones": 30_000,
    "big_proposals": 200_000,
    "other_proposals": 20_000,
    "comments": 2_000_000,
    "big_comments": 20_000,
    "supports": 500_000,
    "users": 100_000,
    "documents": 50_000,
    "pending_deadlines": 100_000,
}
# Floors that keep every special case at tiny scales (tests run at 0.0005).
MINIMUM = {
    "members": 2,
    "plans": 5,
    "commitments": 12,
    "milestones": 36,
    "big_proposals": 60,
    "other_proposals": 30,
    "comments": 600,
    "big_comments": 60,
    "supports": 150,
    "users": 150,
    "documents": 20,
    "pending_deadlines": 0,
}

PASSWORD = "ogp-scale-2026"  # noqa: S105 -- documented login of every seeded account
EMAIL_DOMAIN = "example.org"
SLUG_PREFIX = "scale-"


@dataclass(frozen=True)
class Sizes:
    members: int
    plans: int
    commitments: int
    milestones: int
    big_proposals: int
    other_proposals: int
    comments: int
    big_comments: int
    supports: int
    users: int
    documents: int
    pending_deadlines: int
    # Future milestones on top of `milestones`; None: enough to reach pending_deadlines.
    extra_milestones: int | None = None

    @classmethod
    def at(
        cls,
        scale: float,
        *,
        users: int | None = None,
        comments: int | None = None,
        pending_deadlines: int | None = None,
    ) -> "Sizes":
        values = {name: max(MINIMUM[name], round(full * scale)) for name, full in FULL.items()}
        if users is not None:
            values["users"] = max(MINIMUM["users"], users)
        if comments is not None:
            values["comments"] = max(MINIMUM["comments"], comments)
        values["plans"] = max(values["plans"], 2 * values["members"] + 1)
        values["milestones"] = max(values["milestones"], 3 * values["commitments"])
        # The big proposal has the most comments, but never more than a tenth of them all.
        values["big_comments"] = min(values["big_comments"], values["comments"] // 10)
        return cls(**values, extra_milestones=pending_deadlines)


@dataclass
class Member:
    pk: int
    index: int
    slug: str
    name: str
    iso_code: str
    is_national: bool
    languages: list[str]
    time_zone: str
    agencies: list[tuple[int, str]] = field(default_factory=list)  # (pk, name)
    csos: list[int] = field(default_factory=list)
    academia: int = 0
    parliament: int = 0
    civil_servant: int = 0
    commitment_lead: int = 0
    moderator: int = 0
    forum_member: int = 0
    plans: list["Plan"] = field(default_factory=list)


@dataclass
class Plan:
    pk: int
    member: Member
    sequence_no: int
    start: dt.date
    end: dt.date
    status: str
    areas: list[tuple[int, tuple]] = field(default_factory=list)  # (pk, text.TOPICS entry)
    commitments: list[int] = field(default_factory=list)
    idea_consultation: int | None = None
    comment_consultation: int | None = None


@dataclass
class Context:
    seed: int
    sizes: Sizes
    today: dt.date
    writer: Writer
    log: object
    members: list[Member] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    citizens: tuple[int, int] = (0, 0)  # first pk, count
    cso_reps: list[tuple[int, int, int]] = field(default_factory=list)  # (user, org, member)
    big_consultation: int = 0
    big_proposal: int = 0
    pending: dict[str, int] = field(default_factory=dict)

    @property
    def now(self) -> dt.datetime:
        """The anchor moment: midnight UTC starting `today`. Every date derives from it."""
        return dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)

    def rng(self, step: str) -> random.Random:
        """One generator per step, seeded from (seed, step): steps stay reproducible apart."""
        # Test data, not secrets: a seeded, reproducible generator is the point.
        return random.Random(f"{self.seed}:{step}")  # noqa: S311

    def citizen(self, rng: random.Random) -> int:
        first, count = self.citizens
        return first + rng.randrange(count)

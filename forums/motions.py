"""How a motion is decided under the forum's rules (issue #16): a pure function of the
votes, the quorum and the sectors whose majority is needed, so that the service deciding a
motion and every page explaining its result say the same thing, in the reader's language.

- Quorum: at least `quorum_needed` seats present (a vote row, whatever its choice).
- Consensus: passed when nobody present objects (abstaining is standing aside).
- Vote: passed with more yes than no among those present and, for each sector listed in
  `sectors_needing_majority`, more yes than no among that sector's seats present.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import DecisionMethod, Sector, VoteChoice


@dataclass(frozen=True)
class Tally:
    passed: bool
    reason: str
    present: int
    yes: int
    no: int
    abstain: int


def quorum_for(quorum_count: int | None, quorum_percent: int | None, seats: int) -> int:
    """Seats that must be present: the count the rules give, else their share of the
    forum's seats (rounded up), else one."""
    if quorum_count:
        return quorum_count
    if quorum_percent:
        return max(1, math.ceil(seats * quorum_percent / 100))
    return 1


def _counts(votes: list[tuple[str, str]]) -> tuple[int, int, int]:
    choices = [choice for _sector, choice in votes]
    return (
        choices.count(VoteChoice.YES),
        choices.count(VoteChoice.NO),
        choices.count(VoteChoice.ABSTAIN),
    )


def tally(
    method: str,
    votes: Iterable[tuple[str, str]],
    *,
    quorum_needed: int,
    sectors_needing_majority: Iterable[str] = (),
) -> Tally:
    """The result of a motion from its (sector, choice) votes."""
    votes = list(votes)
    yes, no, abstain = _counts(votes)
    present = len(votes)

    def result(passed: bool, reason: str) -> Tally:
        return Tally(passed, reason, present, yes, no, abstain)

    if method == DecisionMethod.RECORDED:
        return result(True, _("Noted as decided in the minutes; no vote on record."))
    if present < quorum_needed:
        return result(
            False,
            ngettext(
                "No quorum: %(present)s seat present, %(needed)s needed.",
                "No quorum: %(present)s seats present, %(needed)s needed.",
                present,
            )
            % {"present": present, "needed": quorum_needed},
        )
    if method == DecisionMethod.CONSENSUS:
        if no:
            return result(
                False,
                ngettext("No consensus: %(no)s objection.", "No consensus: %(no)s objections.", no)
                % {"no": no},
            )
        return result(
            True,
            ngettext(
                "Agreed by consensus of the %(present)s seat present.",
                "Agreed by consensus of the %(present)s seats present.",
                present,
            )
            % {"present": present},
        )
    counts = _("%(yes)s yes, %(no)s no, %(abstain)s abstaining") % {
        "yes": yes,
        "no": no,
        "abstain": abstain,
    }
    if yes <= no:
        return result(False, _("Not carried: %(counts)s.") % {"counts": counts})
    sectors = list(sectors_needing_majority)
    for sector in sectors:
        s_yes, s_no, _s_abstain = _counts([v for v in votes if v[0] == sector])
        if s_yes <= s_no:
            return result(
                False,
                _(
                    "Not carried: no majority in %(sector)s (%(yes)s yes, %(no)s no); "
                    "overall %(counts)s."
                )
                % {"sector": Sector(sector).label, "yes": s_yes, "no": s_no, "counts": counts},
            )
    if sectors:
        return result(
            True, _("Carried with a majority in each sector: %(counts)s.") % {"counts": counts}
        )
    return result(True, _("Carried: %(counts)s.") % {"counts": counts})

"""Who may add to the public record (object: Member)."""

import rules

from forums.rules import is_member_civil_servant
from ogp_portal.organisations.rules import is_secretariat

# The repository: the secretariat and the member's own civil servants.
rules.add_perm("records.add_document", is_secretariat | is_member_civil_servant)

# The outreach log of a plan (object: ActionPlan): the same people who keep the repository.
rules.add_perm("records.add_outreach", is_secretariat | is_member_civil_servant)

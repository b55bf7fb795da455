"""The forum fixtures (tests/forums/conftest.py) serve the repository's tests too: a member's
forum publishes into its repository."""

from tests.exports.conftest import make_plan  # noqa: F401
from tests.forums.conftest import busy_forum, cso_reps, forum, other_forum  # noqa: F401

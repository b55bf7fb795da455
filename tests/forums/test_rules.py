"""The permission matrix: each role × each forum permission × own forum / another member's."""

import datetime as dt

import pytest
from django.utils import timezone

from forums.rules import forget_seats

from .factories import ForumSeatFactory

PERMS = [
    "forums.change_forum",
    "forums.open_selection_round",
    "forums.publish_results",
    "forums.nominate",
    "forums.vote",
    "forums.schedule_meeting",
    "forums.set_agenda",
    "forums.record_attendance",
    "forums.publish_minutes",
    "forums.record_decisions",
    "forums.cosign_minutes",
    "forums.post_in_forum",
    "forums.view_private_threads",
]
ALLOWED = {
    "secretariat": {"forums.change_forum", "forums.open_selection_round", "forums.publish_results"},
    "civil_servant": {
        "forums.change_forum",
        "forums.schedule_meeting",
        "forums.set_agenda",
        "forums.record_attendance",
        "forums.publish_minutes",
        "forums.record_decisions",
    },
    "cso_member": {"forums.nominate", "forums.vote"},
    "msf_member": {"forums.post_in_forum", "forums.view_private_threads"},
    "commitment_lead": set(),
    "moderator": set(),
    "citizen": set(),
    "unverified_cso_member": set(),
}
# The secretariat's rights are portal-wide; everybody else's stop at their own member.
PORTAL_WIDE = {"secretariat"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("perm", PERMS)
def test_forum_permission_matrix(request, role, perm, forum, other_forum):
    user = request.getfixturevalue(role)
    assert user.has_perm(perm, forum) is (perm in ALLOWED[role])
    expected_elsewhere = role in PORTAL_WIDE and perm in ALLOWED[role]
    assert user.has_perm(perm, other_forum) is expected_elsewhere


@pytest.mark.django_db
def test_a_current_seat_makes_a_participant_until_the_term_ends(forum, other_forum, citizen):
    seat = ForumSeatFactory.create(forum=forum, user=citizen)
    assert citizen.has_perm("forums.post_in_forum", forum)
    assert not citizen.has_perm("forums.post_in_forum", other_forum)
    # The term ended yesterday (a new request: the cached seats are forgotten).
    seat.term_starts_on = dt.date(2020, 1, 1)
    seat.term_ends_on = timezone.localdate() - dt.timedelta(days=1)
    seat.save()
    forget_seats(citizen)
    assert not citizen.has_perm("forums.post_in_forum", forum)


@pytest.mark.django_db
def test_setup_is_for_the_secretariat_only(secretariat, civil_servant, member):
    assert secretariat.has_perm("forums.setup_forum", member)
    assert not civil_servant.has_perm("forums.setup_forum", member)

"""A member's standing in OGP, recorded by the secretariat through `member_set_status`."""

import pytest

from ogp_portal.core.errors import DomainError
from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import MemberStatus
from ogp_portal.organisations.services import member_set_status

pytestmark = pytest.mark.django_db


def test_a_reason_is_required_and_nothing_changes_without_one(member, secretariat):
    with pytest.raises(DomainError, match="Say why"):
        member_set_status(member, actor=secretariat, status=MemberStatus.INACTIVE, reason=" ")
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert not AuditEvent.objects.exists()


def test_the_change_is_recorded_from_and_to(member, secretariat):
    member_set_status(member, actor=secretariat, status=MemberStatus.INACTIVE, reason="Lapsed")

    assert member.status == MemberStatus.INACTIVE
    event = AuditEvent.objects.get(action="organisations.member.status_changed")
    assert (event.actor, event.reason) == (secretariat, "Lapsed")
    assert event.data == {"from_state": MemberStatus.ACTIVE, "to_state": MemberStatus.INACTIVE}


def test_setting_the_same_status_again_records_nothing(member, secretariat):
    member_set_status(member, actor=secretariat, status=MemberStatus.ACTIVE, reason="Still")

    assert not AuditEvent.objects.exists()

"""The demo shows outside input to a working group: a pending and an accepted application,
and a draft with two comments from people outside the group."""

import pytest
from django.core.management import call_command
from django.test import Client

from forums.choices import GroupApplicationStatus
from forums.models import GroupDraft, WorkingGroup

pytestmark = pytest.mark.django_db


def test_demo_working_group_takes_outside_input():
    call_command("load_demo", quiet_logins=True)
    call_command("load_demo", quiet_logins=True)  # loading twice adds nothing
    group = WorkingGroup.objects.get(name="Access to Justice team")
    statuses = sorted(group.applications.values_list("status", flat=True))
    assert statuses == [GroupApplicationStatus.ACCEPTED, GroupApplicationStatus.PENDING]
    assert group.members.filter(is_convenor=True, user__isnull=False).count() == 1
    draft = GroupDraft.objects.get(group=group)
    assert draft.comments.count() == 2
    page = Client().get(draft.get_absolute_url()).content.decode()
    assert "evening hours" in page

"""Working-group input from outside, in a real browser: a citizen applies to join, the
group's convenor accepts, and the citizen (now a member) comments on the group's draft."""

import pytest

from forums import services
from forums.choices import Sector
from forums.models import WorkingGroupMember
from tests.factories import UserFactory
from tests.forums.factories import ForumFactory

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_applies_convenor_accepts_citizen_comments(page, live_server, member, citizen):
    civil_servant = UserFactory(email="cs.wg@example.org")
    forum = ForumFactory(member=member, name="Forum of A")
    group = services.working_group_create(forum, actor=civil_servant, name="Justice team")
    convenor = UserFactory(email="convenor@example.org", name="Connie Convenor")
    services.working_group_add_member(
        group,
        actor=civil_servant,
        name="Connie Convenor",
        sector=Sector.CIVIL_SOCIETY,
        user=convenor,
        is_convenor=True,
    )
    draft = services.group_draft_post(
        group, actor=convenor, title="Position on legal aid", body="Free legal aid for all."
    )

    # The citizen applies.
    sign_in(page, live_server, citizen)
    page.goto(group.get_absolute_url())
    page.get_by_label("Why do you want to join?").fill("I volunteer at a legal clinic.")
    page.get_by_role("button", name="Apply to join").click()
    main = page.locator("main")
    assert "Your application: Waiting for a decision." in main.inner_text()
    assert_no_serious_axe_violations(page)

    # The convenor accepts.
    sign_in(page, live_server, convenor)
    page.goto(group.get_absolute_url())
    assert "I volunteer at a legal clinic." in main.inner_text()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Record the decision").click()
    assert "The decision is recorded" in page.locator(".messages").inner_text()
    assert WorkingGroupMember.objects.filter(group=group, user=citizen).exists()

    # The citizen comments on the draft.
    sign_in(page, live_server, citizen)
    page.goto(group.get_absolute_url())
    assert "Your application: Accepted." in main.inner_text()
    page.get_by_role("link", name="Position on legal aid").click()
    page.get_by_label("Your comment").fill("Please add *evening* hours.")
    page.get_by_role("button", name="Post the comment").click()
    assert page.locator("main em", has_text="evening").count() == 1
    assert page.url.endswith(draft.get_absolute_url() + f"#draft-comment-{draft.comments.get().pk}")
    assert_no_serious_axe_violations(page)

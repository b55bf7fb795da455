"""Working groups take input from registered people outside them (issue #16, item 4):
applications to join, decided by the convenor or the member's civil servants, and comments on
the group's drafts, which the convenor may hide with a reason. All from the outside."""

import pytest
from django.urls import reverse

from forums import services
from forums.choices import GroupApplicationStatus, Sector
from forums.models import DraftComment, GroupApplication, GroupDraft, WorkingGroupMember
from ogp_portal.core.models import AuditEvent, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def convenor(db):
    return UserFactory(email="convenor@example.org", name="Connie Convenor")


@pytest.fixture
def group(forum, civil_servant, convenor):
    group = services.working_group_create(forum, actor=civil_servant, name="Justice team")
    services.working_group_add_member(
        group,
        actor=civil_servant,
        name="Connie Convenor",
        sector=Sector.CIVIL_SOCIETY,
        user=convenor,
        is_convenor=True,
    )
    return group


@pytest.fixture
def draft(group, convenor):
    return services.group_draft_post(
        group, actor=convenor, title="Position on legal aid", body="We propose **free** aid."
    )


def apply(client, group, motivation="I run a legal clinic."):
    return client.post(
        reverse("forums:group-apply", args=[group.pk]),
        {"motivation": motivation, "sector": Sector.CIVIL_SOCIETY},
    )


def decide(client, application, decision, reason=""):
    return client.post(
        reverse("forums:application-decide", args=[application.pk]),
        {"decision": decision, "reason": reason},
    )


def test_anonymous_visitor_is_asked_to_sign_in_to_apply_or_comment(client, group, draft):
    page = client.get(group.get_absolute_url())
    assert page.status_code == 200
    assert "Sign in to apply" in page.content.decode()
    assert "Position on legal aid" in page.content.decode()  # drafts are public

    response = apply(client, group)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(
        reverse("forums:group-draft-comment", args=[draft.pk]), {"body": "Hello"}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not GroupApplication.objects.exists()
    assert not DraftComment.objects.exists()


def test_citizen_applies_once_even_when_submitting_twice(client_for, citizen, group):
    client = client_for(citizen)
    assert "Apply to join" in client.get(group.get_absolute_url()).content.decode()

    assert apply(client, group).status_code == 302
    assert apply(client, group).status_code in (302, 403)

    assert GroupApplication.objects.filter(applicant=citizen).count() == 1
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Your application: Waiting for a decision." in page
    assert "Apply to join" not in page
    assert AuditEvent.objects.filter(action="forums.group_application.submitted").count() == 1


def test_a_member_cannot_apply(client_for, convenor, group):
    client = client_for(convenor)
    assert "Apply to join" not in client.get(group.get_absolute_url()).content.decode()
    assert apply(client, group).status_code == 403
    assert not GroupApplication.objects.exists()


def test_an_unverified_account_cannot_apply(client_for, group):
    person = UserFactory(verified=False)
    assert apply(client_for(person), group).status_code == 403


def test_convenor_accepts_and_the_applicant_becomes_a_member_and_is_told(
    client_for, citizen, convenor, group
):
    apply(client_for(citizen), group)
    application = GroupApplication.objects.get()

    client = client_for(convenor)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Applications waiting for a decision" in page
    assert "I run a legal clinic." in page
    assert decide(client, application, "accept").status_code == 302

    assert WorkingGroupMember.objects.filter(group=group, user=citizen).exists()
    assert Notification.objects.filter(recipient=citizen, kind="group_application.decided").exists()
    assert str(citizen) in client.get(group.get_absolute_url()).content.decode()


def test_outsiders_cannot_decide(
    client_for, citizen, cso_member, other_member_civil_servant, group
):
    apply(client_for(citizen), group)
    application = GroupApplication.objects.get()
    for outsider in (cso_member, other_member_civil_servant, citizen):
        client = client_for(outsider)
        assert "Applications waiting" not in client.get(group.get_absolute_url()).content.decode()
        assert decide(client, application, "accept").status_code == 403
    application.refresh_from_db()
    assert application.status == GroupApplicationStatus.PENDING
    assert not WorkingGroupMember.objects.filter(user=citizen).exists()


def test_member_civil_servant_may_decide(client_for, citizen, civil_servant, group):
    apply(client_for(citizen), group)
    application = GroupApplication.objects.get()
    assert decide(client_for(civil_servant), application, "accept").status_code == 302
    assert WorkingGroupMember.objects.filter(group=group, user=citizen).exists()


def test_decline_needs_a_reason_and_the_applicant_reads_it(client_for, citizen, convenor, group):
    apply(client_for(citizen), group)
    application = GroupApplication.objects.get()
    client = client_for(convenor)

    refused = decide(client, application, "decline", "")
    assert refused.status_code == 400
    assert "needs a reason" in refused.content.decode()

    decide(client, application, "decline", "The group is full until June.")
    application.refresh_from_db()
    assert application.status == GroupApplicationStatus.DECLINED
    assert not WorkingGroupMember.objects.filter(user=citizen).exists()

    page = client_for(citizen).get(group.get_absolute_url()).content.decode()
    assert "Your application: Declined." in page
    assert "The group is full until June." in page
    note = Notification.objects.get(recipient=citizen, kind="group_application.decided")
    assert "The group is full until June." in note.body
    assert "Apply to join" in page  # may apply again later


def test_a_decided_application_cannot_be_decided_again(client_for, citizen, convenor, group):
    apply(client_for(citizen), group)
    application = GroupApplication.objects.get()
    client = client_for(convenor)
    decide(client, application, "accept")
    again = decide(client, application, "decline", "Changed my mind")
    assert again.status_code == 400
    assert "already been decided" in again.content.decode()


def test_non_member_comment_appears_on_the_draft(client_for, citizen, group, draft):
    client = client_for(citizen)
    response = client.post(
        reverse("forums:group-draft-comment", args=[draft.pk]),
        {"body": "Add rural <script>x</script> courts, *please*."},
    )
    assert response.status_code == 302
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "<em>please</em>" in page
    assert "<script>x" not in page
    assert "<strong>free</strong>" in page  # the draft's Markdown is rendered too
    assert "(1 comment)" in client.get(group.get_absolute_url()).content.decode()


def test_only_members_and_the_people_running_the_group_post_drafts(
    client_for, citizen, convenor, group
):
    url = reverse("forums:group-draft-create", args=[group.pk])
    data = {"title": "Outsider draft", "body": "Text"}
    assert client_for(citizen).post(url, data).status_code == 403
    assert client_for(convenor).post(url, data).status_code == 302
    assert GroupDraft.objects.filter(title="Outsider draft").count() == 1


def test_convenor_hides_a_comment_and_its_reason_is_shown(
    client_for, citizen, cso_member, convenor, draft
):
    comment = services.draft_comment_post(draft, actor=citizen, body="Buy my product!")
    url = reverse("forums:draft-comment-hide", args=[comment.pk])

    assert client_for(cso_member).post(url, {"reason": "spam"}).status_code == 403
    assert client_for(citizen).post(url, {"reason": "spam"}).status_code == 403
    assert (
        client_for(convenor).post(url, {"reason": "Advertising, not about the draft."}).status_code
        == 302
    )

    page = client_for(citizen).get(draft.get_absolute_url()).content.decode()
    assert "Buy my product!" not in page
    assert "Advertising, not about the draft." in page
    assert AuditEvent.objects.filter(action="forums.draft_comment.hidden").exists()


def test_group_page_queries_are_bounded(
    client_for, convenor, citizen, group, django_assert_max_num_queries
):
    for i in range(30):
        person = UserFactory()
        services.group_application_submit(
            group, actor=person, motivation=f"Motivation {i}", sector=Sector.CIVIL_SOCIETY
        )
        draft = services.group_draft_post(group, actor=convenor, title=f"Draft {i}", body="x")
        for j in range(3):
            services.draft_comment_post(draft, actor=person, body=f"Comment {j}")
    client = client_for(convenor)
    client.get(group.get_absolute_url())  # warm the caches that every page shares
    with django_assert_max_num_queries(25):
        page = client.get(group.get_absolute_url())
    assert page.content.decode().count("Motivation ") == 30
    assert "Draft 29" in page.content.decode()
    anonymous = client_for(citizen)
    with django_assert_max_num_queries(25):
        anonymous.get(group.get_absolute_url())


def test_draft_page_queries_are_bounded(
    client_for, citizen, convenor, draft, django_assert_max_num_queries
):
    for i in range(60):
        services.draft_comment_post(draft, actor=UserFactory(), body=f"Comment {i}")
    client = client_for(convenor)
    client.get(draft.get_absolute_url())
    with django_assert_max_num_queries(20):
        page = client.get(draft.get_absolute_url())
    assert "Comment 59" in page.content.decode()


def test_a_decision_with_a_reason_too_long_says_why(client_for, citizen, convenor, group):
    """A field error (not only a refusal) reaches the person deciding, as plain text."""
    apply(client_for(citizen), group)
    application = GroupApplication.objects.get()
    refused = decide(client_for(convenor), application, "decline", "x" * 2001)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "at most 2000 characters" in html
    application.refresh_from_db()
    assert application.status == GroupApplicationStatus.PENDING


def test_hiding_without_a_reason_says_so_in_plain_text(client_for, citizen, convenor, draft):
    comment = services.draft_comment_post(draft, actor=citizen, body="Off topic")
    url = reverse("forums:draft-comment-hide", args=[comment.pk])
    page = client_for(convenor).post(url, {"reason": ""}, follow=True).content.decode()
    assert "This field is required." in page
    assert "&lt;ul" not in page  # the error list is not shown as escaped HTML
    comment.refresh_from_db()
    assert comment.is_hidden is False

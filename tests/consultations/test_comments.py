"""Comments from outside: post, reply, edit, delete, flag, abuse controls and moderation."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consultations.choices import Audience, ModerationState
from consultations.models import Comment, Flag
from consultations.services.comments import comment_delete, comment_post
from ogp_portal.core.models import AuditEvent
from tests.factories import CommitmentFactory, PlanFactory, UserFactory

from .test_services import close_window, make_consultation, make_proposal

CREATE = "consultations:comment-create"


def post_comment(client, proposal, body, **extra):
    return client.post(reverse(CREATE), {"proposal": proposal.pk, "body": body, **extra})


def test_a_comment_and_a_reply_appear_on_the_proposal(client_for, citizen, cso_member, proposal):
    citizen.name = "Chris Citizen"
    citizen.save()
    client = client_for(citizen)
    response = post_comment(client, proposal, "I would use this.", show_name="on")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{proposal.get_absolute_url()}?page=1#comment-{comment.pk}"

    other = client_for(cso_member)
    post_comment(other, proposal, "Thanks!", parent=str(comment.pk))  # no show_name: anonymous
    reply = Comment.objects.get(parent=comment)
    assert reply.show_name is False
    html = other.get(proposal.get_absolute_url()).content.decode()
    assert "Chris Citizen" in html
    assert "I would use this." in html
    assert "a participant" in html
    assert f'id="comment-{reply.pk}"' in html
    proposal.refresh_from_db()
    assert proposal.comment_count == 2


def test_honeypot_pretends_and_keeps_nothing(client_for, citizen, proposal):
    response = post_comment(
        client_for(citizen), proposal, "Buy cheap pills", website="http://spam.example"
    )
    assert response.status_code == 302
    assert not Comment.objects.exists()
    page = client_for(citizen).get(proposal.get_absolute_url()).content.decode()
    assert "Leave this empty" in page
    assert 'class="visually-hidden"' in page


def test_closed_window_refuses_with_the_text_kept(client_for, citizen, proposal, consultation):
    close_window(consultation)
    response = post_comment(client_for(citizen), proposal, "My late but careful thoughts")
    assert response.status_code == 200
    html = response.content.decode()
    assert "new input is no longer accepted" in html
    assert ">My late but careful thoughts</textarea>" in html
    assert not Comment.objects.exists()


def test_a_refused_reply_is_shown_again_in_its_thread(
    client_for, citizen, cso_member, proposal, consultation
):
    top = comment_post(consultation, actor=cso_member, proposal=proposal, body="Top")
    close_window(consultation)
    response = post_comment(client_for(citizen), proposal, "A reply kept", parent=str(top.pk))
    html = response.content.decode()
    assert f'id="reply-{top.pk}-body"' in html
    assert ">A reply kept</textarea>" in html


def test_audience_rules_for_comments(client_for, citizen, cso_member, unverified_cso_member, plan):
    cso_round = make_consultation(plan, audience=Audience.VERIFIED_CSOS)
    proposal = make_proposal(cso_member, cso_round)
    for outsider in (citizen, unverified_cso_member):
        response = post_comment(client_for(outsider), proposal, "Let me in")
        assert "verified civil-society organisations" in response.content.decode()
        assert ">Let me in</textarea>" in response.content.decode()
    assert not Comment.objects.exists()
    post_comment(client_for(cso_member), proposal, "We are in")
    assert Comment.objects.count() == 1


def test_the_eleventh_comment_within_five_minutes_is_refused(client_for, citizen, proposal):
    client = client_for(citizen)
    for i in range(10):
        assert post_comment(client, proposal, f"Point {i}").status_code == 302
    response = post_comment(client, proposal, "Point eleven")
    assert response.status_code == 429
    assert ">Point eleven</textarea>" in response.content.decode()
    assert Comment.objects.count() == 10


def test_thirty_comments_a_minute_per_network_address(client_for, proposal):
    writers = [UserFactory() for _ in range(4)]
    # django-ratelimit's minutes are fixed to the clock: start just after one begins, so a
    # slow machine's 31 posts cannot straddle two minutes (each with room for 30).
    now = timezone.now()
    minute_starts = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    with time_machine.travel(minute_starts + datetime.timedelta(seconds=1), tick=True):
        for i in range(30):
            response = post_comment(client_for(writers[i // 10]), proposal, f"Point {i}")
            assert response.status_code == 302
        response = post_comment(client_for(writers[3]), proposal, "One too many")
    assert response.status_code == 429
    assert "Too many comments from your network" in response.content.decode()
    assert ">One too many</textarea>" in response.content.decode()
    assert Comment.objects.count() == 30


def test_length_cap(client_for, citizen, proposal):
    response = post_comment(client_for(citizen), proposal, "x" * 5001)
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_html_in_comments_never_reaches_the_page(client_for, citizen, proposal):
    client = client_for(citizen)
    post_comment(
        client,
        proposal,
        "**Important** <script>alert(1)</script> <img src=x onerror=alert(2)>",
    )
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>Important</strong>" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "onerror=alert(2)>" not in html


def test_links_in_comments_are_marked_as_user_content(client, client_for, citizen, proposal):
    # Given a comment with a Markdown link and a bare-looking one
    post_comment(client_for(citizen), proposal, "See [the register](https://example.org/reg).")

    # When anyone reads the proposal
    html = client.get(proposal.get_absolute_url()).content.decode()

    # Then search engines are told it is user content, and the target gets no opener
    assert 'href="https://example.org/reg"' in html
    rel = html.split('href="https://example.org/reg"')[1].split(">")[0]
    assert 'rel="' in rel
    assert set(rel.split('rel="')[1].split('"')[0].split()) >= {"ugc", "nofollow", "noopener"}


def test_edit_own_comment_within_fifteen_minutes(
    client_for, citizen, cso_member, proposal, consultation
):
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Frist")
    url = reverse("consultations:comment-edit", args=[comment.pk])
    assert client_for(cso_member).get(url).status_code == 404
    client = client_for(citizen)
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "First"})
    assert response.status_code == 302
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "First" in html
    assert ">edited<" in html
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)):
        response = client.post(url, {"body": "Much later"})
        assert "15 minutes" in response.content.decode()
        assert "Much later" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "First"


def test_delete_leaves_a_placeholder(client_for, citizen, cso_member, proposal, consultation):
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Oops, wrong page")
    url = reverse("consultations:comment-delete", args=[comment.pk])
    assert client_for(cso_member).post(url).status_code == 404
    client = client_for(citizen)
    client.post(url)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "This comment was deleted." in html
    assert "Oops, wrong page" not in html


def test_flag_then_moderator_hides_with_a_public_reason_and_restores(
    client_for, client, citizen, cso_member, moderator, proposal, consultation
):
    comment = comment_post(
        consultation, actor=citizen, proposal=proposal, body="You are all idiots"
    )
    client_for(cso_member).post(
        reverse("consultations:comment-flag", args=[comment.pk]), {"reason": "Insulting"}
    )
    assert Flag.objects.get().reason == "Insulting"

    queue = reverse("consultations:moderation-queue", args=[consultation.pk])
    assert client_for(cso_member).get(queue).status_code == 403
    hide = reverse("consultations:comment-hide", args=[comment.pk])
    assert client_for(cso_member).post(hide, {"reason": "I dislike it"}).status_code == 403
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED

    mod = client_for(moderator)
    page = mod.get(queue).content.decode()
    assert "You are all idiots" in page
    assert "Insulting" in page
    response = mod.post(hide, {"reason": "Insults other participants", "next": queue})
    assert response["Location"] == queue
    event = AuditEvent.objects.get(action="consultations.comment.hidden")
    assert event.reason == "Insults other participants"
    assert event.actor == moderator

    client.logout()
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Insults other participants" in html
    assert "You are all idiots" not in html

    mod = client_for(moderator)
    mod.post(reverse("consultations:comment-restore", args=[comment.pk]), {"reason": "Appeal"})
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert AuditEvent.objects.get(action="consultations.comment.restored").reason == "Appeal"


def test_moderator_keeps_a_flagged_comment(
    client_for, citizen, cso_member, moderator, proposal, consultation
):
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Strong but fair")
    client_for(cso_member).post(
        reverse("consultations:comment-flag", args=[comment.pk]), {"reason": "Too strong"}
    )
    dismiss = reverse("consultations:comment-dismiss-flags", args=[comment.pk])
    assert client_for(cso_member).post(dismiss).status_code == 403
    queue = reverse("consultations:moderation-queue", args=[consultation.pk])
    mod = client_for(moderator)
    mod.post(dismiss, {"next": queue})
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert "Strong but fair" not in mod.get(queue).content.decode()
    event = AuditEvent.objects.get(action="consultations.comment.flags_dismissed")
    assert event.data == {"flags": 1}
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED


def test_other_members_moderator_cannot_hide(client_for, citizen, proposal, consultation):
    from ogp_portal.organisations.choices import Role
    from tests.factories import MemberFactory, grant

    outsider = UserFactory()
    grant(outsider, Role.MODERATOR, MemberFactory())
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Fine words")
    response = client_for(outsider).post(
        reverse("consultations:comment-hide", args=[comment.pk]), {"reason": "Because"}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="consultations.comment.hidden").exists()


def test_comments_on_a_draft_commitment_through_the_url(client_for, citizen, member):
    plan = PlanFactory(member=member, status="draft_public_comment")
    commitment = CommitmentFactory(plan=plan)
    consultation = make_consultation(plan, kind="draft_plan_comment")
    client = client_for(citizen)
    response = client.post(
        reverse(CREATE), {"commitment": commitment.ogp_id, "body": "Add a deadline"}
    )
    comment = Comment.objects.get()
    assert comment.commitment == commitment
    assert comment.consultation == consultation
    assert response["Location"].startswith(commitment.get_absolute_url())

    close_window(consultation)
    response = client.post(reverse(CREATE), {"commitment": commitment.ogp_id, "body": "Later"})
    html = response.content.decode()
    assert "new input is no longer accepted" in html
    assert ">Later</textarea>" in html
    assert "Add a deadline" in html


def test_draft_commitments_of_a_plan_in_drafting_stay_private(client_for, citizen, member):
    plan = PlanFactory(member=member, status="drafting")
    commitment = CommitmentFactory(plan=plan)
    make_consultation(plan)
    response = client_for(citizen).post(
        reverse(CREATE), {"commitment": commitment.ogp_id, "body": "Peek"}
    )
    assert response.status_code == 404


def test_anonymous_visitors_see_why_they_cannot_comment(client, proposal):
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Sign in to comment." in html
    response = post_comment(client, proposal, "Hello")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_commitment_page_shows_its_comments_and_the_form_while_open(client_for, citizen, member):
    """The draft plan is out for comment: the commitment page carries the discussion."""
    import datetime as dt

    from django.utils import timezone

    from consultations.choices import ConsultationKind
    from consultations.models import Consultation
    from consultations.services.comments import comment_post
    from plans.choices import PlanStatus
    from tests.factories import CommitmentFactory, PlanFactory

    plan = PlanFactory(member=member, status=PlanStatus.DRAFT_PUBLIC_COMMENT)
    commitment = CommitmentFactory(plan=plan)
    now = timezone.now()
    consultation = Consultation.objects.create(
        plan=plan, title="Draft plan", kind=ConsultationKind.DRAFT_PLAN_COMMENT,
        description="Comment on the draft", notice_published_at=now - dt.timedelta(days=20),
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10),
    )  # fmt: skip
    comment_post(consultation, actor=citizen, body="Add a **deadline**.", commitment=commitment)
    page = client_for(citizen).get(commitment.get_absolute_url()).content.decode()
    assert "Add a <strong>deadline</strong>." in page
    assert 'id="new-comment"' in page


def test_deleting_a_comment_lowers_the_count_once(citizen, member):
    import datetime as dt

    from django.utils import timezone

    from consultations.models import Consultation, Proposal
    from consultations.services.comments import comment_delete, comment_post
    from tests.factories import PlanFactory

    now = timezone.now()
    consultation = Consultation.objects.create(
        plan=PlanFactory(member=member, status="co_creation"), title="Ideas",
        kind="idea_collection", description="Ideas", notice_published_at=now - dt.timedelta(20),
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1),
    )  # fmt: skip
    proposal = Proposal.objects.create(
        consultation=consultation, author=citizen, submitter_type="citizen", title="P",
        status="submitted",
    )  # fmt: skip
    comment = comment_post(consultation, actor=citizen, body="First", proposal=proposal)
    comment_delete(comment, actor=citizen)
    comment_delete(comment, actor=citizen)
    proposal.refresh_from_db()
    assert proposal.comment_count == 0


def test_comment_cannot_target_a_proposal_of_another_consultation(citizen, member):
    import datetime as dt

    from django.utils import timezone

    from consultations.models import Consultation, Proposal
    from consultations.services.comments import comment_post
    from ogp_portal.core.errors import DomainError
    from tests.factories import PlanFactory

    now = timezone.now()
    plan = PlanFactory(member=member, status="co_creation")

    def window(title):
        return Consultation.objects.create(
            plan=plan, title=title, kind="idea_collection", description="x",
            notice_published_at=now - dt.timedelta(20), opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=1),
        )  # fmt: skip

    open_one, other = window("A"), window("B")
    proposal = Proposal.objects.create(
        consultation=other, author=citizen, submitter_type="citizen", title="P", status="submitted"
    )
    with pytest.raises(DomainError, match="submitted proposals of this consultation"):
        comment_post(open_one, actor=citizen, body="Hi", proposal=proposal)


def test_moderation_queue_lists_only_comments_with_open_flags(
    client_for, citizen, cso_member, moderator, proposal, consultation
):
    flagged = comment_post(consultation, actor=citizen, proposal=proposal, body="Flag me please")
    comment_post(consultation, actor=citizen, proposal=proposal, body="Nobody minds this one")
    client_for(cso_member).post(
        reverse("consultations:comment-flag", args=[flagged.pk]), {"reason": "Spam"}
    )
    page = (
        client_for(moderator)
        .get(reverse("consultations:moderation-queue", args=[consultation.pk]))
        .content.decode()
    )
    assert "Flag me please" in page
    assert "Nobody minds this one" not in page


def test_comments_are_anonymous_unless_the_author_chooses(client_for, citizen, proposal):
    client = client_for(citizen)
    url = reverse("consultations:comment-create")
    form = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="show_name" checked' not in form
    client.post(url, {"proposal": proposal.pk, "body": "Quiet voice"})
    assert not proposal.comments.get().show_name


def test_each_comment_says_who_and_when_in_the_readers_language(
    client, citizen, cso_member, proposal, consultation
):
    citizen.name = "Chris <Citizen>"
    citizen.save()
    named = comment_post(
        consultation, actor=citizen, proposal=proposal, body="Named", show_name=True
    )
    unnamed = comment_post(
        consultation, actor=cso_member, proposal=proposal, body="Quiet", show_name=False
    )
    gone = comment_post(consultation, actor=cso_member, proposal=proposal, body="Regret")
    comment_delete(gone, actor=cso_member)
    posted_at = datetime.datetime(2026, 3, 4, 15, 30, tzinfo=datetime.UTC)
    Comment.objects.update(created_at=posted_at)
    Comment.objects.filter(pk=named.pk).update(edited_at=posted_at)

    english = client.get(proposal.get_absolute_url()).content.decode()
    french = client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    def meta(html, comment):
        article = html.split(f'id="comment-{comment.pk}"')[1].split("</article>")[0]
        return " ".join(article.split('class="comment-meta">')[1].split("</p>")[0].split())

    when = '<time datetime="2026-03-04T15:30:00+00:00">'
    assert meta(english, named) == (
        f"<strong><bdi>Chris &lt;Citizen&gt;</bdi></strong> · {when}4 March 2026, 15:30 UTC"
        '</time> · <span class="badge">edited</span>'
    )
    assert (
        meta(english, unnamed)
        == f"<strong>a participant</strong> · {when}4 March 2026, 15:30 UTC</time>"
    )
    assert meta(english, gone) == f"{when}4 March 2026, 15:30 UTC</time>"
    assert when + "4 mars 2026" in meta(french, unnamed)
    assert meta(french, unnamed).startswith("<strong>un participant</strong>")

"""A CSO proposes, a citizen comments and supports, a civil servant answers with a reason;
after the window closes a late comment is refused and its text stays in the form."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Consultation, Proposal
from consultations.services.proposals import proposal_save
from tests.conftest import wait_for
from tests.factories import CommitmentFactory, PlanFactory, PolicyAreaFactory, UserFactory

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_proposal_from_submission_to_reasoned_response(
    page, live_server, celery_worker_thread, member, cso, cso_member, citizen, civil_servant
):
    # Given a plan with a policy area, a commitment and an open idea-collection consultation
    now = timezone.now()
    plan = PlanFactory(member=member, status="co_creation", title="Second National Action Plan")
    PolicyAreaFactory(plan=plan, name="Access to Justice")
    commitment = CommitmentFactory(plan=plan, title="Open justice data")
    consultation = Consultation.objects.create(
        plan=plan,
        title="Ideas for the second plan",
        kind="idea_collection",
        description="What should the plan do?",
        notice_published_at=now - timezone.timedelta(days=20),
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(days=7),
    )
    existing = proposal_save(
        consultation, actor=UserFactory(name="Early Bird"), submit=True, title="Court data portal"
    )
    citizen.name = "Chris Citizen"
    citizen.save()
    mail.outbox.clear()

    # A CSO representative submits a proposal with a PDF attachment
    sign_in(page, live_server, cso_member)
    page.goto(reverse("consultations:proposal-create", args=[consultation.pk]))
    page.get_by_label("Title").fill("Publish court registers as open data")
    page.get_by_label("What problem should be solved?").fill("Nobody can see the court backlog.")
    page.get_by_label("What do you propose?").fill("Publish the registers every week.")
    page.get_by_label("Access to information").check()
    page.get_by_label("Policy area").select_option(label="Access to Justice")
    page.get_by_label("On behalf of").select_option(label="Watchdog A")
    page.get_by_label("Attachments (optional)").set_input_files(
        [{"name": "idea.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("is submitted").wait_for()
    proposal = Proposal.objects.get(title="Publish court registers as open data")
    assert proposal.organisation == cso
    assert proposal.attachments.get().name == "idea.pdf"

    # A citizen comments on it and supports it
    sign_in(page, live_server, citizen)
    page.goto(proposal.get_absolute_url())
    page.get_by_label("Your comment", exact=True).fill("**Yes**, and include the *appeals*.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()
    assert page.locator(".comment-body strong", has_text="Yes").is_visible()
    page.get_by_role("button", name="Support this proposal").click()
    page.get_by_text("1 person supports this proposal.").wait_for()

    # A civil servant answers: merged into the existing proposal, linked to the commitment
    sign_in(page, live_server, civil_servant)
    page.goto(reverse("consultations:proposal-review", args=[proposal.pk]))
    page.get_by_role("button", name="Start review").click()
    page.get_by_text("The proposal is now under review.").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Merged into another proposal").check()
    page.get_by_label("Reasoned response").fill(
        "Same aim as the court data portal; we take both up in one commitment."
    )
    page.get_by_label(re.compile(r"^Merged into:?$")).select_option(
        label=f"{existing.reference} Court data portal"
    )
    page.get_by_label(f"{commitment.ogp_id} Open justice data").check()
    page.get_by_role("button", name="Publish the decision").click()
    page.get_by_text("The decision and its reasoned response are published").wait_for()

    # The CSO sees the decision and got an e-mail
    sign_in(page, live_server, cso_member)
    page.goto(proposal.get_absolute_url())
    response = page.locator("#response")
    # (the decisions ledger names this decision "Merged"; the target follows as "Merged into")
    assert "Decision\nMerged\n" in response.inner_text()
    assert "we take both up in one commitment" in response.inner_text()
    assert response.get_by_role("link", name=f"{existing.reference} Court data portal").count()
    assert commitment.ogp_id in response.inner_text()
    assert_no_serious_axe_violations(page)
    wait_for(lambda: any(m.to == [cso_member.email] for m in mail.outbox))
    message = next(m for m in mail.outbox if m.to == [cso_member.email])
    assert "we take both up in one commitment" in message.body

    # The window closes while the citizen writes: the comment is refused, the text stays
    sign_in(page, live_server, citizen)
    page.goto(proposal.get_absolute_url())
    box = page.get_by_label("Your comment", exact=True)
    box.fill("One more thought on the appeals.")
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("new input is no longer accepted").first.wait_for()
    assert page.get_by_label("Your comment", exact=True).input_value() == (
        "One more thought on the appeals."
    )
    assert Comment.objects.count() == 1

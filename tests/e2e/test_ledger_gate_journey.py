"""The civil servant's path to adoption through the ledger (issue #15, "Done when"): a plan
with every kind of input; each kind left unanswered blocks adoption and is named on the
"ready to adopt" checklist, whose link leads to what blocks it; an open and a scheduled
window block it; a draft response does not count; with everything answered in the browser
and every section written, the confirmation page leads to adoption.

Most of the plan is made in the database (fast); the steps a civil servant takes are driven
in the browser."""

import re

import pytest
from django.utils import timezone

from consultations.models import Consultation, GuidingQuestion, InputEntry
from consultations.services.answers import answer_submit
from consultations.services.comments import comment_post
from consultations.services.ledger import input_record
from plans.models import ActionPlan
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Each kind of input, the words its checklist link starts with, and the decision given.
KINDS = [
    ("answer", "Answer to a guiding question: 1 without", "Out of scope"),
    ("comment", "Comment on the draft plan: 1 without", "Accepted"),
    ("offline", "Offline input: 1 without", "Partly taken up"),
    ("forum", "Forum or working-group meeting: 1 without", "Accepted"),
    ("proposal", "These proposals still need a published reasoned response", "Accepted"),
]


def _plan_with_every_kind_of_input(member, citizen, cso_member, civil_servant):
    plan = PlanFactory(member=member, status="draft_public_comment", efforts_to_date="")
    commitment = CommitmentFactory(plan=plan, title="Open court registers")
    MilestoneFactory(commitment=commitment)
    window = make_consultation(plan, title="Comments on the draft plan", kind="draft_plan_comment")
    make_consultation(
        plan,
        title="Later window",
        opens_at=timezone.now() + timezone.timedelta(days=3),
        closes_at=timezone.now() + timezone.timedelta(days=9),
    )
    question = GuidingQuestion.objects.create(consultation=window, text="What matters most?")
    make_proposal(cso_member, window, title="Publish every court register")
    answer_submit(question, actor=citizen, body="Budgets, in plain words.")
    comment_post(window, actor=citizen, body="Add a deadline to C1.", commitment=commitment)
    today = timezone.localdate()
    input_record(
        plan,
        actor=civil_servant,
        channel="paper",
        text="A paper form asking for libraries to lend laptops.",
        received_on=today,
        author_name="Ana Example",
        consultation=window,
    )
    input_record(
        plan,
        actor=civil_servant,
        kind="forum",
        channel="meeting",
        text="The forum asked for a budget line for each commitment.",
        received_on=today,
        source_label="Forum meeting of 3 March",
    )
    ActionPlan.objects.filter(pk=plan.pk).update(status="reasoned_response")
    return plan, commitment


def _checklist(page):
    return page.locator(".checklist")


def test_every_kind_of_input_blocks_adoption_until_answered_then_the_plan_is_adopted(
    page, live_server, member, civil_servant, citizen, cso_member
):
    plan, commitment = _plan_with_every_kind_of_input(member, citizen, cso_member, civil_servant)
    assert InputEntry.objects.filter(plan=plan).values("kind").distinct().count() == 5
    sign_in(page, live_server, civil_servant)

    # Given: every kind unanswered, a window open, another scheduled, a section empty.
    page.goto(plan.get_absolute_url())
    checklist = _checklist(page)
    for text in [
        "“Comments on the draft plan” is still open",
        "“Later window” has not opened yet",
        "“Open government efforts to date” is not written yet",
        *(words for _kind, words, _decision in KINDS),
    ]:
        assert text in checklist.inner_text(), text
    assert_no_serious_axe_violations(page)

    # The confirmation page says what blocks it and offers no button.
    page.get_by_role("link", name="Move to “Adopted”").click()
    page.get_by_role("heading", name="What still blocks it").wait_for()
    assert page.get_by_role("button", name=re.compile("Yes, move the plan")).count() == 0
    assert_no_serious_axe_violations(page)

    # The window link leads to the window; both windows run their course.
    page.goto(plan.get_absolute_url())
    _checklist(page).get_by_role("link", name=re.compile("“Later window”")).click()
    page.get_by_role("heading", name=re.compile("Later window")).first.wait_for()
    past = timezone.now() - timezone.timedelta(minutes=1)
    Consultation.objects.filter(plan=plan).update(
        opens_at=past - timezone.timedelta(days=7), closes_at=past
    )

    # The empty section's link leads to the plan's text; the civil servant writes it.
    page.goto(plan.get_absolute_url())
    _checklist(page).get_by_role("link", name=re.compile("Open government efforts")).click()
    page.get_by_label("Open government efforts to date").fill("Two earlier plans, both adopted.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/$"))
    checklist_text = _checklist(page).inner_text()
    assert "is still open" not in checklist_text
    assert "has not opened yet" not in checklist_text
    assert "not written yet" not in checklist_text

    # Each kind, answered in turn through the ledger: until then it is named.
    for index, (kind, words, decision) in enumerate(KINDS):
        page.goto(plan.get_absolute_url())
        remaining = _checklist(page).inner_text()
        for _kind, later_words, _decision in KINDS[index:]:
            assert later_words in remaining, later_words
        for _kind, earlier_words, _decision in KINDS[:index]:
            assert earlier_words not in remaining, earlier_words

        # The checklist link leads to the blocking inputs in the ledger.
        _checklist(page).get_by_role("link", name=re.compile(re.escape(words))).click()
        page.wait_for_url(re.compile(rf"/plans/{plan.pk}/inputs/\?.*kind={kind}"))
        entry = InputEntry.objects.get(plan=plan, kind=kind)
        assert page.get_by_role("link", name=re.compile(re.escape(entry.title[:30]))).count() == 1
        if index == 0:
            assert_no_serious_axe_violations(page)

        page.get_by_label(f"Select {entry.reference}").check()
        page.get_by_role("button", name="Respond to the selected inputs").click()
        page.get_by_label("Decision").select_option(label=decision)
        page.get_by_label("Reasoned response").fill(f"Our answer to the {kind}: {decision}.")
        if decision != "Out of scope":
            page.get_by_label(re.compile(re.escape(commitment.ogp_id))).check()
        page.get_by_role("button", name="Save the draft response").click()
        page.get_by_text("The response is saved as a draft").wait_for()
        response_url = page.url

        if index == 0:
            # A draft response does not count: the kind is still named.
            page.goto(plan.get_absolute_url())
            assert words in _checklist(page).inner_text()
            page.goto(response_url)

        page.get_by_role("button", name="Publish the response").click()
        page.get_by_text("The response is published.").wait_for()

    # Everything answered, every section written: the checklist is all done.
    page.goto(plan.get_absolute_url())
    assert "(not yet)" not in _checklist(page).inner_text()
    assert_no_serious_axe_violations(page)

    # The confirmation page says what will happen, and leads to adoption.
    page.get_by_role("link", name="Move to “Adopted”").click()
    page.get_by_role("heading", name="What will happen").wait_for()
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Yes, move the plan to “Adopted”").click()
    page.get_by_text("The plan is now in “Adopted”.").wait_for()
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert not InputEntry.objects.filter(plan=plan).unanswered().exists()

"""Proposal pages from outside: write, draft, attach, list, find similar, support, review."""

import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.choices import Audience, ProposalStatus
from consultations.models import Consultation, Proposal, ProposalAttachment, Support
from consultations.services.proposals import proposal_decide, proposal_save, support_add
from ogp_portal.core.models import AuditEvent
from tests.conftest import wait_for
from tests.factories import CommitmentFactory, PlanFactory, PolicyAreaFactory, UserFactory

from .test_services import PDF_BYTES, bulk_comments, close_window, make_consultation, make_proposal


@pytest.fixture
def area(plan):
    return PolicyAreaFactory(plan=plan, name="Justice")


@pytest.fixture
def consultation(plan, area):
    return make_consultation(plan)


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan, title="Open justice data")


def form_data(**overrides):
    data = {
        "title": "Open the court registers",
        "problem": "Nobody can see who is waiting for trial.",
        "causes": "Paper files.",
        "proposed_solution": "Publish the registers as open data.",
        "expected_results": "Shorter waits.",
        "civic_participation": "on",
        "suggested_lead_agency": "Ministry of Justice",
        "on_behalf_of": "",
        "submission_token": str(uuid.uuid4()),
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create_url(consultation):
    return reverse("consultations:proposal-create", args=[consultation.pk])


# --- Writing ---


def test_the_form_offers_the_plans_policy_areas_and_ones_organisations(
    client_for, cso_member, cso, consultation, area
):
    PolicyAreaFactory(name="Elsewhere")  # another plan's area
    page = client_for(cso_member).get(create_url(consultation))
    assert page.status_code == 200
    form = page.context["form"]
    assert list(form.fields["policy_area"].queryset) == [area]
    assert [label for _, label in form.fields["on_behalf_of"].choices] == ["Myself", cso.name]
    html = page.content.decode()
    assert 'name="submission_token"' in html
    assert "Save draft" in html
    assert "Check for similar proposals" in html


def test_submit_on_behalf_of_an_organisation(client_for, cso_member, cso, consultation, area):
    client = client_for(cso_member)
    response = client.post(
        create_url(consultation),
        form_data(on_behalf_of=str(cso.pk), policy_area=str(area.pk)),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.organisation == cso
    assert proposal.civic_participation
    assert not proposal.access_to_information
    assert proposal.policy_area == area
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Watchdog A" in page
    assert "Nobody can see who is waiting for trial." in page


def test_a_double_submit_makes_one_proposal(client_for, citizen, consultation):
    client = client_for(citizen)
    data = form_data()
    first = client.post(create_url(consultation), data)
    second = client.post(create_url(consultation), data)
    assert Proposal.objects.count() == 1
    assert first["Location"] == second["Location"] == Proposal.objects.get().get_absolute_url()


def test_a_draft_is_private_then_finished_and_submitted(
    client_for, citizen, cso_member, consultation
):
    client = client_for(citizen)
    data = form_data(action="draft", title="Half an idea")
    response = client.post(create_url(consultation), data)
    draft = Proposal.objects.get()
    assert draft.status == ProposalStatus.DRAFT
    assert response["Location"] == reverse("consultations:proposal-edit", args=[draft.pk])
    # Saving the same form again changes the draft, it does not make a second one.
    client.post(create_url(consultation), {**data, "title": "Half an idea, better"})
    assert Proposal.objects.get().title == "Half an idea, better"

    listing = reverse("consultations:proposal-list", args=[consultation.pk])
    assert "Half an idea" in client.get(listing).content.decode()
    other = client_for(cso_member)
    assert "Half an idea" not in other.get(listing).content.decode()
    assert other.get(draft.get_absolute_url()).status_code == 404
    assert other.get(reverse("consultations:proposal-edit", args=[draft.pk])).status_code == 404

    client = client_for(citizen)
    edit = reverse("consultations:proposal-edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, form_data(title="A whole idea"))
    draft.refresh_from_db()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.status == ProposalStatus.SUBMITTED
    assert draft.title == "A whole idea"
    # A submitted proposal is no longer editable.
    assert client.get(edit).status_code == 404


def test_a_real_pdf_is_attached(client_for, citizen, consultation):
    pdf = SimpleUploadedFile("idea.pdf", PDF_BYTES, content_type="application/pdf")
    client = client_for(citizen)
    client.post(create_url(consultation), {**form_data(), "attachments": [pdf]})
    attachment = ProposalAttachment.objects.get()
    assert attachment.name == "idea.pdf"
    page = client.get(attachment.proposal.get_absolute_url()).content.decode()
    link = reverse("consultations:proposal-attachment", args=[attachment.pk])
    assert link in page
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "must match its name"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "the limit is"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_the_text_kept(
    client_for, citizen, consultation, name, content, message
):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_for(citizen).post(
        create_url(consultation), {**form_data(), "attachments": [upload]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"].errors["attachments"]
    assert message in html
    assert f"{name}: " in html
    assert "Publish the registers as open data." in html
    assert not Proposal.objects.exists()


def test_at_most_five_files(client_for, citizen, consultation):
    files = [
        SimpleUploadedFile(f"f{i}.pdf", PDF_BYTES, content_type="application/pdf") for i in range(6)
    ]
    response = client_for(citizen).post(
        create_url(consultation), {**form_data(), "attachments": files}
    )
    assert "You can add 5 more files." in response.content.decode()
    assert not Proposal.objects.exists()


def test_closed_window_keeps_everything_typed(client_for, citizen, consultation):
    close_window(consultation)
    client = client_for(citizen)
    assert "closed on" in client.get(create_url(consultation)).content.decode()
    response = client.post(create_url(consultation), form_data(title="Late but good"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "new input is no longer accepted" in html
    assert 'value="Late but good"' in html
    assert "Publish the registers as open data." in html
    assert not Proposal.objects.exists()


def test_cso_only_consultation_from_outside(
    client_for, citizen, cso_member, unverified_cso_member, plan
):
    cso_round = make_consultation(plan, audience=Audience.VERIFIED_CSOS)
    url = create_url(cso_round)
    for outsider in (citizen, unverified_cso_member):
        client = client_for(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data()).status_code == 403
    assert not Proposal.objects.exists()
    assert client_for(cso_member).post(url, form_data()).status_code == 302
    assert Proposal.objects.count() == 1


def test_anonymous_people_are_sent_to_sign_in(client, consultation):
    response = client.get(create_url(consultation))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_check_for_similar_proposals_keeps_the_text_and_saves_nothing(
    client_for, citizen, cso_member, consultation
):
    existing = make_proposal(cso_member, consultation, title="Open the court registers online")
    data = form_data(title="Court registers for everyone", check_similar="1")
    data.pop("civic_participation")
    response = client_for(citizen).post(create_url(consultation), data)
    html = response.content.decode()
    assert existing.reference in html
    assert 'value="Court registers for everyone"' in html
    assert "Please correct the errors" not in html
    assert Proposal.objects.count() == 1

    fragment = client_for(citizen).get(
        reverse("consultations:proposal-similar", args=[consultation.pk]),
        {"q": "court registers"},
    )
    assert existing.title in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


# --- Reading ---


def test_list_filters_searches_and_stays_bounded(
    client, citizen, consultation, civil_servant, django_assert_max_num_queries
):
    for i in range(30):
        make_proposal(UserFactory(name=f"Person {i}"), consultation, title=f"Idea number {i}")
    courts = make_proposal(citizen, consultation, title="Open courts")
    proposal_decide(
        courts, actor=civil_servant, decision=ProposalStatus.DEFERRED, reason="Next plan."
    )
    url = reverse("consultations:proposal-list", args=[consultation.pk])
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.context["page_obj"].paginator.count == 31
    assert len(page.context["proposals"]) == 25
    assert [p.title for p in client.get(url, {"status": "deferred"}).context["proposals"]] == [
        "Open courts"
    ]
    assert [p.title for p in client.get(url, {"q": "number 7"}).context["proposals"]] == [
        "Idea number 7"
    ]


def test_proposal_page_shows_the_decision_and_where_it_went(
    client, citizen, civil_servant, consultation, commitment, plan
):
    target = make_proposal(citizen, consultation, title="Court data portal")
    proposal = make_proposal(UserFactory(name="Ana Lima"), consultation)
    proposal_decide(
        proposal,
        actor=civil_servant,
        decision=ProposalStatus.MERGED,
        reason="The same idea as the data portal.",
        merged_into=target,
        commitments=[commitment],
    )
    # Commitments of a plan in co-creation are working drafts: named, not linked.
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Ana Lima" in html
    assert "Merged into another proposal" in html
    assert "The same idea as the data portal." in html
    assert f'<a href="{target.get_absolute_url()}">{target.reference} Court data portal</a>' in html
    assert commitment.ogp_id in html
    assert commitment.title not in html
    plan.status = "draft_public_comment"
    plan.save()
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert commitment.get_absolute_url() in html
    merged_here = client.get(target.get_absolute_url()).content.decode()
    assert f"{proposal.reference} {proposal.title}</a>" in merged_here
    assert "Merged into" not in merged_here  # the target itself went nowhere


def test_support_button_counts_people_not_clicks(client_for, citizen, cso_member, consultation):
    proposal = make_proposal(cso_member, consultation)
    url = reverse("consultations:proposal-support", args=[proposal.pk])
    client = client_for(citizen)
    assert "Support this proposal" in client.get(proposal.get_absolute_url()).content.decode()
    client.post(url, {"action": "add"})
    client.post(url, {"action": "add"})  # a double click
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.count()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "1 person supports this proposal." in page
    assert "Withdraw my support" in page
    client.post(url, {"action": "remove"})
    proposal.refresh_from_db()
    assert proposal.support_count == 0 == Support.objects.count()


def test_support_after_the_window_closes_is_refused(client_for, citizen, cso_member, consultation):
    proposal = make_proposal(cso_member, consultation)
    close_window(consultation)
    response = client_for(citizen).post(
        reverse("consultations:proposal-support", args=[proposal.pk]),
        {"action": "add"},
        follow=True,
    )
    assert "no longer accepted" in response.content.decode()
    assert not Support.objects.exists()


def test_proposal_page_with_2000_comments_stays_bounded(
    client_for, citizen, consultation, django_assert_max_num_queries
):
    proposal = make_proposal(citizen, consultation)
    authors = [UserFactory(name=f"Writer {i}") for i in range(10)]
    support_add(proposal, actor=authors[0])
    client = client_for(citizen)
    bulk_comments(proposal, authors, top_level=40, replies_each=0)
    with django_assert_max_num_queries(20) as small:
        client.get(proposal.get_absolute_url())
    bulk_comments(proposal, authors, top_level=500, replies_each=3)  # 2,040 in all
    with django_assert_max_num_queries(20) as large:
        response = client.get(proposal.get_absolute_url(), {"page": "3"})
    assert len(small.captured_queries) == len(large.captured_queries)
    page = response.context["comments_page"]
    assert page.number == 3
    assert len(page.object_list) == 20
    assert response.content.decode().count('class="comment"') > 20


# --- Review ---


def review_url(proposal):
    return reverse("consultations:proposal-review", args=[proposal.pk])


def test_civil_servant_starts_review_and_decides(
    client_for, citizen, civil_servant, consultation, commitment
):
    proposal = make_proposal(citizen, consultation)
    other = make_proposal(citizen, consultation, title="Court data portal")
    client = client_for(civil_servant)
    page = client.get(review_url(proposal))
    assert page.status_code == 200
    assert list(page.context["form"].fields["merged_into"].queryset) == [other]
    client.post(review_url(proposal), {"action": "start_review"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW

    # Accepted without a commitment: refused, input kept.
    response = client.post(
        review_url(proposal), {"decision": "accepted", "reason": "A good idea we take up."}
    )
    assert response.status_code == 200
    assert "Link the commitment(s)" in response.content.decode()
    assert "A good idea we take up." in response.content.decode()

    response = client.post(
        review_url(proposal),
        {
            "decision": "accepted",
            "reason": "A good idea we take up.",
            "commitments": [str(commitment.pk)],
        },
    )
    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.response.reason == "A good idea we take up."
    assert list(proposal.commitment_links.values_list("commitment", flat=True)) == [commitment.pk]


def test_a_domain_error_keeps_the_decision_form(client_for, citizen, civil_servant, consultation):
    proposal = make_proposal(citizen, consultation)
    # Someone else decided a moment before this form was sent.
    proposal_decide(
        proposal, actor=civil_servant, decision=ProposalStatus.DEFERRED, reason="Next plan."
    )
    response = client_for(civil_servant).post(
        review_url(proposal), {"decision": "not_accepted", "reason": "My own reason."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already been decided" in html
    assert "My own reason." in html
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DEFERRED


def test_other_members_civil_servant_cannot_review(
    client_for, client, citizen, other_member_civil_servant, cso_member, consultation
):
    proposal = make_proposal(citizen, consultation)
    for outsider in (other_member_civil_servant, cso_member):
        outside = client_for(outsider)
        assert outside.get(review_url(proposal)).status_code == 403
        assert outside.post(review_url(proposal), {"action": "start_review"}).status_code == 403
        response = outside.post(
            review_url(proposal), {"decision": "not_accepted", "reason": "Not yours to decide."}
        )
        assert response.status_code == 403
    client.logout()
    assert client.get(review_url(proposal)).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.response is None
    assert not AuditEvent.objects.filter(action__startswith="consultations.proposal.decided")


@pytest.mark.django_db(transaction=True)
def test_the_proposer_gets_an_email_through_the_worker(celery_worker_thread, member, client):
    plan = PlanFactory(member=member, status="co_creation")
    consultation = make_consultation(plan)
    proposer = UserFactory(email="proposer@example.org", name="Pat Proposer")
    servant = UserFactory(email="servant@example.org")
    from ogp_portal.organisations.choices import Role
    from tests.factories import grant

    grant(servant, Role.CIVIL_SERVANT, member)
    proposal = proposal_save(consultation, actor=proposer, submit=True, title="Open courts")
    mail.outbox.clear()
    client.force_login(servant)
    client.post(review_url(proposal), {"decision": "deferred", "reason": "For the next plan."})
    wait_for(lambda: len(mail.outbox) == 1)
    message = mail.outbox[0]
    assert message.to == ["proposer@example.org"]
    assert "For the next plan." in message.body
    assert proposal.get_absolute_url() in message.body


def test_a_proposal_page_is_there_only_while_its_consultation_is_visible(
    client, client_for, citizen, civil_servant, consultation
):
    proposal = make_proposal(citizen, consultation)
    url = proposal.get_absolute_url()
    assert client.get(url).status_code == 200
    Consultation.objects.filter(pk=consultation.pk).update(notice_published_at=None)
    # Not announced yet: hidden from the public, its author included, not from the member.
    assert client.get(url).status_code == 404
    assert client_for(citizen).get(url).status_code == 404
    assert client_for(civil_servant).get(url).status_code == 200

"""The lists under a proposal on its page, read in one statement
(consultations/proposal_page_sql.py): the same instances, in the same order, as the ORM
querysets that read them before, and on the page the co-sponsors, the invitations (with their
buttons for the invited organisation only), the attachments and the merged proposals, with
fewer queries than before."""

import pytest

from consultations.choices import ProposalStatus
from consultations.models import Proposal, ProposalAttachment, ProposalCosponsor
from consultations.proposal_page_sql import MERGED_FIELDS, page_relations
from consultations.services.proposals import proposal_decide
from ogp_portal.organisations.choices import OrganisationKind
from tests.factories import CommitmentFactory, OrganisationFactory, UserFactory, join

from .test_services import make_proposal

pytestmark = pytest.mark.django_db


def values(instance, names=None):
    fields = instance._meta.concrete_fields
    return {f.attname: getattr(instance, f.attname) for f in fields if not names or f.name in names}


@pytest.fixture
def busy(cso, cso_member, citizen, civil_servant, consultation, member, plan):
    """A proposal with two co-sponsors, an invitation, a declined one, two attachments, two
    published proposals and a draft merged into it; itself merged into another."""
    proposal = make_proposal(cso_member, consultation, organisation=cso)
    for name, status in (
        ("Zeta Watch", "accepted"),
        ("Alpha Lab", "accepted"),
        ("Mid Forum", "invited"),
        ("Gone Group", "declined"),
    ):
        organisation = OrganisationFactory(name=name, member=member, kind=OrganisationKind.CSO)
        ProposalCosponsor.objects.create(
            proposal=proposal, organisation=organisation, status=status
        )
    for name in ("budget.pdf", "annex.pdf"):
        ProposalAttachment.objects.create(proposal=proposal, file=f"a/{name}", name=name, size=9)
    for title in ("Merged B", "Merged A"):
        other = make_proposal(citizen, consultation, title=title)
        Proposal.objects.filter(pk=other.pk).update(merged_into=proposal)
    draft = make_proposal(citizen, consultation, title="Merged draft")
    Proposal.objects.filter(pk=draft.pk).update(merged_into=proposal, status=ProposalStatus.DRAFT)
    target = make_proposal(citizen, consultation, title="Court data portal")
    proposal_decide(
        proposal,
        actor=civil_servant,
        decision=ProposalStatus.MERGED,
        reason="The same idea.",
        merged_into=target,
        commitments=[CommitmentFactory(plan=plan, title="Open justice data")],  # type: ignore[list-item]
    )
    return Proposal.objects.select_related("consultation__plan", "response").get(pk=proposal.pk)


def test_the_same_instances_in_the_same_order_as_the_orm(busy, django_assert_num_queries):
    cosponsors = list(
        busy.cosponsors.select_related("organisation").order_by("organisation__name", "pk")
    )
    attachments = list(busy.attachments.all())
    merged = list(
        (busy.merged_proposals.published() | Proposal.objects.filter(pk=busy.merged_into_id))
        .only(*MERGED_FIELDS)
        .order_by("pk")
    )
    with django_assert_num_queries(1):
        read = page_relations(busy)
        assert [values(c) for c in read.cosponsors] == [values(c) for c in cosponsors]
        assert [values(c.organisation) for c in read.cosponsors] == [
            values(c.organisation) for c in cosponsors
        ]
        assert all(c.proposal is busy for c in read.cosponsors)
        assert [values(a) for a in read.attachments] == [values(a) for a in attachments]
        assert [values(p, MERGED_FIELDS) for p in read.merged] == [
            values(p, MERGED_FIELDS) for p in merged
        ]
    assert [c.organisation.name for c in read.cosponsors][:3] == [
        "Alpha Lab",
        "Gone Group",
        "Mid Forum",
    ]
    assert [p.title for p in read.merged] == ["Merged B", "Merged A", "Court data portal"]
    assert [a.name for a in read.attachments] == ["budget.pdf", "annex.pdf"]


def test_nothing_to_list(cso_member, consultation, django_assert_num_queries):
    proposal = make_proposal(cso_member, consultation)
    with django_assert_num_queries(1):
        assert page_relations(proposal) == ([], [], [])


def test_the_page_shows_the_lists_and_the_invitation_to_the_invited_only(
    busy, client, client_for, member, django_assert_max_num_queries
):
    # Anonymous: proposal, the lists, the commitment links (response out), the thread's page
    # with its count.
    with django_assert_max_num_queries(4):
        html = client.get(busy.get_absolute_url()).content.decode()
    assert "Co-sponsored by:" in html
    listed = html[html.index("Co-sponsored by:") :]
    assert listed.index("Alpha Lab</bdi></a>, <a") < listed.index("Zeta Watch</bdi>")
    assert "Invited, no answer yet: <bdi>Mid Forum</bdi>" in html
    assert "Gone Group" not in html
    assert "Merged A</a>" in html
    assert "Merged B</a>" in html
    assert "Merged draft" not in html
    assert "Court data portal</a>" in html  # where it went, with its response
    assert "budget.pdf</a>" in html
    assert "annex.pdf</a>" in html
    assert "is invited to co-sponsor this proposal" not in html
    invited = UserFactory(email="mid@example.org")
    join(invited, ProposalCosponsor.objects.get(status="invited").organisation)
    html = client_for(invited).get(busy.get_absolute_url()).content.decode()
    assert "Mid Forum is invited to co-sponsor this proposal." in html
    assert "Co-sponsor for Mid Forum" in html
    html = client_for(UserFactory(email="other@example.org")).get(busy.get_absolute_url())
    assert "is invited to co-sponsor this proposal" not in html.content.decode()

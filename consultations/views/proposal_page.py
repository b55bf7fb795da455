"""A proposal as the public sees it: which proposals (and consultations) a person may see,
why nothing can be submitted now, and the proposal page, which the comment views render again
to show a refused comment in place."""

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, render

from commitments.models import Commitment
from consultations import comment_post_sql, proposal_page_sql, proposal_sql
from consultations.choices import ProposalStatus
from consultations.models import Consultation, Proposal, Support
from consultations.services.windows import WindowClosed, require_open
from ogp_portal.core import page_cache

from .coalition_page import coalition_context
from .threads import comment_thread_context


def visible_consultation(request: HttpRequest, pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.visible_to(request.user).select_related("plan__member"), pk=pk
    )


def visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    """A published proposal of a visible consultation, or the viewer's own draft (404 else),
    with what its page shows.

    Whether its consultation is visible is asked of the loaded consultation and plan
    (Consultation.is_visible_to, the same rule as visible_to), not in SQL: in the WHERE
    clause PostgreSQL pulled the check's tables into the join search over the page's seven
    (2.8 ms to plan a query that runs in 0.15 ms), and even as a select-list EXISTS it cost
    0.4 ms more to plan and as much again for Django to build, on every page view. The
    proposal and its relations come in one written-out statement (proposal_sql.py) that
    PostgreSQL plans in a quarter of the time of the ORM's."""
    proposal = proposal_sql.proposal_for_page(pk)
    if proposal is None or not proposal.consultation.is_visible_to(request.user):
        raise Http404
    if proposal.status == ProposalStatus.DRAFT and proposal.author_id != request.user.pk:
        raise Http404
    return proposal


def proposal_to_comment_on(request: HttpRequest, pk: int) -> Proposal:
    """The same proposal as visible_proposal, with only what posting a comment reads (its
    consultation and plan, in one written-out statement: consultations/comment_post_sql.py):
    the comment flood posts hundreds a second, and the page's other relations are wanted only
    when a refused comment shows the page again. The consultation's visibility is asked of
    the loaded rows (Consultation.is_visible_to, the same rule as visible_to) rather than in
    the query: a subquery costs the post more to build than to run."""
    proposal = comment_post_sql.proposal_to_comment_on(pk)
    if proposal is None or not proposal.consultation.is_visible_to(request.user):
        raise Http404
    if proposal.status == ProposalStatus.DRAFT and proposal.author_id != request.user.pk:
        raise Http404
    return proposal


def _visible(request: HttpRequest, pk: int, related: tuple[str, ...]) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.filter(
            consultation__in=Consultation.objects.visible_to(request.user)
        ).select_related(*related),
        pk=pk,
    )
    if proposal.status == ProposalStatus.DRAFT and proposal.author_id != request.user.pk:
        raise Http404
    return proposal


def window_problem(consultation: Consultation) -> str:
    """Why nothing can be submitted now ("" while the window is open)."""
    try:
        require_open(consultation)
    except WindowClosed as error:
        return str(error)
    return ""


def _merged_proposals(proposal: Proposal, rows: list[Proposal]) -> list[Proposal]:
    """The proposals merged into this one, of `rows` (proposal_page_sql.page_relations: they
    and, when its response is out, the proposal this one was merged into, which is set here
    for the page to name with the response). Read with the page's other lists: joining it to
    the page's main query instead, a second join to the proposal table, made that query cost
    PostgreSQL more to plan than the rest of the page's queries together."""
    if proposal.response_id is not None and proposal.merged_into_id is not None:
        merged_into_id = proposal.merged_into_id
        proposal.merged_into = next((row for row in rows if row.pk == merged_into_id), None)
    # Drafts merged into it are not among the rows (the statement leaves them out).
    return [row for row in rows if row.merged_into_id == proposal.pk]


def render_proposal_detail(request, proposal: Proposal, *, status: int = 200, **thread_kwargs):
    """The proposal page; comment views call it again to show a refused comment in place."""
    user = request.user
    consultation = proposal.consultation
    # The page shows where a proposal went only with its response: none yet, nothing to read.
    # Whether the viewer may open each commitment comes in the same query.
    links = (
        list(
            proposal.commitment_links.select_related("commitment")
            .annotate(
                visible=Exists(
                    Commitment.objects.visible_to(user).filter(pk=OuterRef("commitment_id"))
                )
            )
            .order_by("pk")
        )
        if proposal.response_id is not None
        else []
    )
    supported = (
        user.is_authenticated and Support.objects.filter(proposal=proposal, user=user).exists()
    )
    problem = window_problem(consultation)
    relations = proposal_page_sql.page_relations(proposal)
    page_cache.valid_until(request, consultation.opens_at, consultation.closes_at)
    context = {
        "proposal": proposal,
        "consultation": consultation,
        "plan": consultation.plan,
        "attachments": relations.attachments,
        "commitment_links": [(link.commitment, link.visible) for link in links],
        "merged_here": _merged_proposals(proposal, relations.merged),
        "supported": supported,
        "can_support": (
            proposal.status != ProposalStatus.DRAFT
            and not problem
            and user.has_perm("consultations.take_part", consultation)
        ),
        "window_problem": problem,
        "may_review": user.has_perm("consultations.review_proposal", proposal),
        "may_moderate": user.has_perm("consultations.moderate", consultation),
        **coalition_context(request, proposal, relations.cosponsors),
        **comment_thread_context(
            request, consultation=consultation, proposal=proposal, **thread_kwargs
        ),
    }
    return render(request, "consultations/proposal_detail.html", context, status=status)

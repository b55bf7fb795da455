"""Who may take part in a consultation and who runs it."""

import rules

from commitments.rules import is_commitment_civil_servant, is_commitment_lead
from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.rules import may_act_for
from ogp_portal.users.types import AnyUser
from plans.choices import PlanStatus
from plans.models import ActionPlan
from plans.rules import is_plan_civil_servant

from .choices import Audience
from .models import Comment, Consultation, InputEntry, Proposal, ProposalCosponsor


def may_take_part(user: AnyUser, consultation: Consultation) -> bool:
    """Verified users; for a CSO-only consultation, representatives of a verified CSO of the
    plan's member."""
    access = access_for(user)
    if not access.email_verified:
        return False
    if consultation.audience == Audience.VERIFIED_CSOS:
        return consultation.plan.member_id in access.cso_member_ids
    return True


def refusal_message(user: AnyUser, consultation: Consultation) -> str:
    """Why `user` may not take part (for messages), assuming may_take_part() said no."""
    from django.utils.translation import gettext as _

    if not access_for(user).email_verified:
        return _("Sign in with a verified e-mail address to take part.")
    return _("This consultation is open to verified civil-society organisations.")


# A plan takes new consultations from its planning until the end of its implementation
# (ideas, the draft, the self-assessment); not once it is adopted as final, ended or archived.
CONSULTABLE_PLAN_STATUSES = frozenset(
    {
        PlanStatus.PLANNING,
        PlanStatus.NOTICE,
        PlanStatus.CO_CREATION,
        PlanStatus.DRAFTING,
        PlanStatus.DRAFT_PUBLIC_COMMENT,
        PlanStatus.REASONED_RESPONSE,
        PlanStatus.IMPLEMENTATION,
    }
)


@rules.predicate
def plan_takes_consultations(user: AnyUser, plan: ActionPlan | None) -> bool:
    return plan is not None and plan.status in CONSULTABLE_PLAN_STATUSES


@rules.predicate
def can_take_part(user: AnyUser, consultation: Consultation | None) -> bool:
    return consultation is not None and may_take_part(user, consultation)


@rules.predicate
def runs_consultation(user: AnyUser, consultation: Consultation | None) -> bool:
    return consultation is not None and bool(is_plan_civil_servant(user, consultation.plan))


@rules.predicate
def moderates_consultation(user: AnyUser, consultation: Consultation | None) -> bool:
    return consultation is not None and access_for(user).has_role(
        consultation.plan.member_id, Role.MODERATOR
    )


@rules.predicate
def moderates_comment(user: AnyUser, comment: Comment | None) -> bool:
    """A moderator of the member whose plan the comment is about: through its consultation,
    or, for a monitoring comment (no consultation), through its commitment's plan."""
    if comment is None:
        return False
    if comment.consultation_id is not None:
        return bool(moderates_consultation(user, comment.consultation))
    return comment.commitment is not None and access_for(user).has_role(
        comment.commitment.plan.member_id, Role.MODERATOR
    )


@rules.predicate
def wrote_input(user: AnyUser, entry: InputEntry | None) -> bool:
    return entry is not None and user.is_authenticated and entry.author_id == user.pk


@rules.predicate
def runs_plan_of_input(user: AnyUser, entry: InputEntry | None) -> bool:
    return entry is not None and bool(is_plan_civil_servant(user, entry.plan))


@rules.predicate
def reviews_proposal(user: AnyUser, proposal: Proposal | None) -> bool:
    return proposal is not None and bool(runs_consultation(user, proposal.consultation))


@rules.predicate
def speaks_for_proposing_organisation(user: AnyUser, proposal: Proposal | None) -> bool:
    """May act for the organisation that submitted the proposal (acting-for rule)."""
    if proposal is None or proposal.organisation is None:
        return False
    return may_act_for(user, proposal.organisation, proposal.consultation.plan.member_id)


@rules.predicate
def speaks_for_invited_organisation(user: AnyUser, invitation: ProposalCosponsor | None) -> bool:
    """May act for the organisation invited to co-sponsor (acting-for rule)."""
    if invitation is None:
        return False
    member_id = invitation.proposal.consultation.plan.member_id
    return may_act_for(user, invitation.organisation, member_id)


# object: the plan
rules.add_perm("consultations.add_consultation", is_plan_civil_servant & plan_takes_consultations)
rules.add_perm("consultations.change_consultation", runs_consultation)
rules.add_perm("consultations.take_part", can_take_part)
rules.add_perm("consultations.review_proposal", reviews_proposal)
rules.add_perm("consultations.moderate", moderates_consultation)
rules.add_perm("consultations.moderate_comment", moderates_comment)


@rules.predicate
def moderates_plan(user: AnyUser, plan: ActionPlan | None) -> bool:
    return plan is not None and access_for(user).has_role(plan.member_id, Role.MODERATOR)


# Object: the plan; its monitoring comments (no consultation) have their own queue.
rules.add_perm("consultations.moderate_monitoring", moderates_plan)
# Object: the commitment. Its lead (or a civil servant of the member) answers monitoring
# comments publicly for the government.
rules.add_perm("consultations.answer_monitoring", is_commitment_lead | is_commitment_civil_servant)
# Object: the ledger entry. Its author asks (the service checks once / within the days);
# the plan's civil servants answer in public.
rules.add_perm("consultations.request_reconsideration", wrote_input)
rules.add_perm("consultations.answer_reconsideration", runs_plan_of_input)


# The ledger of a plan (object: the plan): its civil servants record inputs and answer them.
rules.add_perm("consultations.manage_ledger", is_plan_civil_servant)
# Coalitions: the proposing organisation invites, an invited organisation answers.
rules.add_perm("consultations.invite_cosponsor", speaks_for_proposing_organisation)
rules.add_perm("consultations.answer_cosponsorship", speaks_for_invited_organisation)

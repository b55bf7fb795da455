"""Every write to commitments, milestones and progress updates."""

import uuid
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError, require_editable
from ogp_portal.core.idempotency import create_once
from ogp_portal.core.locking import save_if_unchanged
from ogp_portal.core.stored_files import StoredFiles, stored_files
from ogp_portal.organisations.models import Organisation
from ogp_portal.organisations.rules import acting_refusal, organisation_refusal
from ogp_portal.users.models import User
from plans.models import ActionPlan

from .choices import CommitmentStatus, MilestoneStatus
from .models import Commitment, CommitmentPartner, Milestone, ProgressUpdate, ShadowAssessment


def next_ogp_id(iso_code: str) -> str:
    """The next free OGP ID for a member's ISO code: XV0001, XV0002, …"""
    last = (
        Commitment.objects.filter(ogp_id__startswith=iso_code)
        .order_by("-ogp_id")
        .values_list("ogp_id", flat=True)
        .first()
    )
    serial = int(last[2:]) + 1 if last else 1
    if serial > 9999:
        raise DomainError(_("No OGP IDs are left for %(code)s.") % {"code": iso_code})
    return f"{iso_code}{serial:04d}"


def commitment_create(
    plan: ActionPlan,
    *,
    actor: User,
    submission_token: uuid.UUID | None = None,
    **fields: Any,
) -> Commitment:
    """Add a commitment at the end of `plan` with the next OGP ID (unique, retried on a race).
    The same `submission_token` again (a double submit) returns the commitment it created."""
    return create_once(
        submission_token, Commitment, partial(_commitment_create, plan, actor=actor, **fields)
    )


def _commitment_create(plan: ActionPlan, *, actor: User, **fields: Any) -> Commitment:
    require_editable(plan)
    commitment = Commitment(plan=plan, **fields)
    commitment.full_clean(exclude=["ogp_id", "position"])
    for _attempt in range(5):
        try:
            with transaction.atomic():
                commitment.ogp_id = next_ogp_id(plan.member.iso_code)
                last = plan.commitments.aggregate(n=Max("position"))["n"]
                commitment.position = (last if last is not None else -1) + 1
                commitment.save()
                record_event(actor, "commitments.commitment.created", commitment)
                return commitment
        except IntegrityError:
            commitment.pk = None  # the ID was taken at the same moment: take the next one
    raise DomainError(_("No OGP ID could be assigned; please try again."))


def commitment_update(
    commitment: Commitment, *, actor: User, expected_version: int, **fields: Any
) -> Commitment:
    """Save edits unless someone saved since the form was opened (ConcurrentEditError)."""
    require_editable(commitment.plan)
    for name, value in fields.items():
        setattr(commitment, name, value)
    commitment.full_clean(exclude=["ogp_id"])
    # A second, identical save from the same person (a double click) was this one: no new event.
    if save_if_unchanged(commitment, expected_version, list(fields), actor=actor):
        record_event(actor, "commitments.commitment.edited", commitment, version=commitment.version)
    return commitment


@transaction.atomic
def commitment_move(commitment: Commitment, *, actor: User, direction: int) -> None:
    """Swap the commitment with its neighbour above (-1) or below (+1) in the plan's order."""
    require_editable(commitment.plan)
    siblings = list(commitment.plan.commitments.order_by("position", "ogp_id"))
    index = next(i for i, c in enumerate(siblings) if c.pk == commitment.pk)
    other_index = index + direction
    if not 0 <= other_index < len(siblings):
        return
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    for position, item in enumerate(siblings):
        if item.position != position:
            Commitment.objects.filter(pk=item.pk).update(position=position)
    record_event(actor, "commitments.commitment.moved", commitment, direction=direction)


@transaction.atomic
def commitment_withdraw(commitment: Commitment, *, actor: User, reason: str) -> Commitment:
    """Withdraw a commitment; OGP expects a public reason."""
    require_editable(commitment.plan)
    if not reason.strip():
        raise DomainError(_("Say publicly why the commitment is withdrawn."))
    if commitment.status == CommitmentStatus.WITHDRAWN:
        raise DomainError(_("This commitment is already withdrawn."))
    from_status = commitment.status
    commitment.status = CommitmentStatus.WITHDRAWN
    commitment.withdrawn_reason = reason
    commitment.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    record_event(
        actor, "commitments.commitment.withdrawn", commitment, reason=reason,
        from_state=from_status, to_state=CommitmentStatus.WITHDRAWN,
    )  # fmt: skip
    return commitment


def derived_status(milestone_statuses: list[str], current: str) -> str:
    """The implementation status the milestones imply (a withdrawn commitment stays so)."""
    if current == CommitmentStatus.WITHDRAWN or not milestone_statuses:
        return current
    if all(s == MilestoneStatus.COMPLETE for s in milestone_statuses):
        return CommitmentStatus.COMPLETE
    if any(s != MilestoneStatus.NOT_STARTED for s in milestone_statuses):
        return CommitmentStatus.IN_PROGRESS
    return CommitmentStatus.NOT_STARTED


def commitment_refresh_status(commitment: Commitment) -> Commitment:
    statuses = list(commitment.milestones.values_list("status", flat=True))
    status = derived_status(statuses, commitment.status)
    if status != commitment.status:
        Commitment.objects.filter(pk=commitment.pk).update(status=status)
        commitment.status = status
    return commitment


def milestone_create(
    commitment: Commitment,
    *,
    actor: User,
    submission_token: uuid.UUID | None = None,
    **fields: Any,
) -> Milestone:
    """Add a milestone at the end of `commitment`'s. The same `submission_token` again (a
    double submit) returns the milestone it created."""
    return create_once(
        submission_token, Milestone, partial(_milestone_create, commitment, actor=actor, **fields)
    )


def _milestone_create(commitment: Commitment, *, actor: User, **fields: Any) -> Milestone:
    require_editable(commitment.plan)
    milestone = Milestone(commitment=commitment, **fields)
    milestone.full_clean(exclude=["position"])
    with transaction.atomic():
        last = commitment.milestones.aggregate(n=Max("position"))["n"]
        milestone.position = (last if last is not None else -1) + 1
        milestone.save()
        commitment_refresh_status(commitment)
        record_event(actor, "commitments.milestone.created", milestone)
    return milestone


def milestone_update(
    milestone: Milestone, *, actor: User, expected_version: int, **fields: Any
) -> Milestone:
    require_editable(milestone.commitment.plan)
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.full_clean(exclude=["position"])
    with transaction.atomic():
        if save_if_unchanged(milestone, expected_version, list(fields), actor=actor):
            commitment_refresh_status(milestone.commitment)
            record_event(actor, "commitments.milestone.edited", milestone)
    return milestone


def progress_post(commitment: Commitment, *, actor: User, **fields: Any) -> ProgressUpdate:
    """A commitment lead of the lead organisation (or a civil servant of the member) reports
    progress; a milestone status given with it is applied. Anyone else: NotAllowedToReport.
    An evidence file that cannot be stored raises FileStorageError and saves nothing."""
    with stored_files() as files, transaction.atomic():
        return _progress_post(commitment, actor=actor, files=files, **fields)


class NotAllowedToReport(DomainError):
    """The actor may not report progress on this commitment (not its lead organisation)."""


def _progress_post(
    commitment: Commitment, *, actor: User, files: StoredFiles, **fields: Any
) -> ProgressUpdate:
    require_editable(commitment.plan)
    # The views check the same rule; checked here too, so no other caller can skip it.
    if not actor.has_perm("commitments.post_progress", commitment):
        raise NotAllowedToReport(
            _(
                "Only the commitment's team (commitment leads of the lead organisation and "
                "its civil-society partners) and civil servants of the member may report "
                "progress on this commitment."
            )
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        raise DomainError(_("This commitment was withdrawn; no more progress can be posted."))
    evidence = fields.pop("evidence_file", None)
    update = ProgressUpdate(commitment=commitment, author=actor, **fields)
    try:
        update.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    if update.milestone and update.milestone.commitment_id != commitment.pk:
        raise DomainError(_("Choose a milestone of this commitment."))
    if evidence:
        files.save(update.evidence_file, evidence)
    update.save()
    if update.milestone and update.milestone_status:
        Milestone.objects.filter(pk=update.milestone.pk).update(
            status=update.milestone_status, version=F("version") + 1
        )
        milestone = Milestone.objects.get(pk=update.milestone.pk)
        # django-simple-history reads this undeclared attribute as the version's change reason.
        milestone._change_reason = "progress update"  # type: ignore[attr-defined]
        milestone.save(update_fields=["status"])  # records the status change as a version
        commitment_refresh_status(commitment)
    record_event(actor, "commitments.progress.posted", commitment, update_id=update.pk)
    return update


@transaction.atomic
def commitment_partner_add(
    commitment: Commitment, *, actor: User, organisation: Organisation
) -> CommitmentPartner:
    """Put a civil-society organisation on the commitment's team. Only the member's civil
    servants and the commitment's lead may; the organisation must be one that may be acted
    for in the member's processes (verified, of the member, of a kind that takes part).
    Adding a partner twice returns the existing one."""
    require_editable(commitment.plan)
    if not actor.has_perm("commitments.manage_team", commitment):
        raise DomainError(_("Only the member's civil servants and the lead may change the team."))
    reason = organisation_refusal(organisation, commitment.plan.member_id)
    if reason:
        raise DomainError(reason)
    partner, created = CommitmentPartner.objects.get_or_create(
        commitment=commitment, organisation=organisation, defaults={"added_by": actor}
    )
    if created:
        record_event(actor, "commitments.partner.added", commitment, organisation=organisation.pk)
    return partner


@transaction.atomic
def commitment_partner_remove(partner: CommitmentPartner, *, actor: User) -> None:
    """Take a partner off the commitment's team; what it posted stays on record."""
    commitment = partner.commitment
    require_editable(commitment.plan)
    if not actor.has_perm("commitments.manage_team", commitment):
        raise DomainError(_("Only the member's civil servants and the lead may change the team."))
    organisation_id = partner.organisation_id
    partner.delete()
    record_event(actor, "commitments.partner.removed", commitment, organisation=organisation_id)


def assessment_publish(
    commitment: Commitment, *, actor: User, organisation: Organisation, **fields: Any
) -> ShadowAssessment:
    """Publish `organisation`'s own assessment of the commitment (status, note, evidence),
    replacing its earlier one. The actor must be allowed to act for the organisation in the
    commitment's member's processes, and the commitment must be public. An evidence file
    that cannot be stored raises FileStorageError and saves nothing."""
    with stored_files() as files, transaction.atomic():
        return _assessment_publish(
            commitment, actor=actor, organisation=organisation, files=files, **fields
        )


def _assessment_publish(
    commitment: Commitment,
    *,
    actor: User,
    organisation: Organisation,
    files: StoredFiles,
    **fields: Any,
) -> ShadowAssessment:
    require_editable(commitment.plan)
    if not actor.has_perm("commitments.publish_assessment", commitment):
        raise DomainError(
            _("Only civil-society organisations of the member may assess a public commitment.")
        )
    reason = acting_refusal(actor, organisation, commitment.plan.member_id)
    if reason:
        raise DomainError(reason)
    evidence = fields.pop("evidence_file", None)
    assessment = ShadowAssessment.objects.filter(
        commitment=commitment, organisation=organisation
    ).first() or ShadowAssessment(commitment=commitment, organisation=organisation)
    from_status = assessment.status if assessment.pk else ""
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.author = actor
    assessment.published_at = timezone.now()
    try:
        assessment.full_clean(exclude=["evidence_file"])
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    if evidence:
        files.save(assessment.evidence_file, evidence)
    assessment.save()
    record_event(
        actor, "commitments.assessment.published", commitment,
        organisation=organisation.pk, from_state=from_status, to_state=assessment.status,
        government_status=commitment.status,
    )  # fmt: skip
    return assessment

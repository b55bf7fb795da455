"""Every write that matters for organisations, memberships and roles."""

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.names import forbidden_characters, name_skeleton
from ogp_portal.core.notifications import notify
from ogp_portal.core.reminders import lazy_format
from ogp_portal.users.models import User

from .access import forget_access
from .choices import MembershipStatus, MemberStatus, Role
from .models import (
    Member,
    Organisation,
    OrganisationMembership,
    PersonProfile,
    Region,
    RoleGrant,
)


def organisation_look_alike(
    name: str, *, member: Member | None, exclude_pk: int | None = None
) -> Organisation | None:
    """An organisation of the same member (or an international one) whose name looks like
    `name` (the same confusable skeleton), other than the row `exclude_pk`; rejected
    organisations do not count."""
    skeleton = name_skeleton(name)
    candidates = (
        Organisation.objects.filter(Q(member=member) | Q(member__isnull=True), rejected_at=None)
        .exclude(pk=exclude_pk or 0)
        .only("pk", "name", "member_id")
    )
    for organisation in candidates:
        if name_skeleton(organisation.name) == skeleton:
            return organisation
    return None


@transaction.atomic
def organisation_register(*, actor: User, **fields: Any) -> Organisation:
    """Register an organisation; it waits for the secretariat's verification, and the person
    who registered it becomes its first (approved) admin.

    Refuses (DomainError) a name with invisible or bidi control characters, and a look-alike
    of a name already registered for the member or internationally."""
    name = str(fields.get("name", ""))
    if forbidden_characters(name):
        raise DomainError(_("The name contains invisible or text-direction control characters."))
    look_alike = organisation_look_alike(name, member=fields.get("member"))
    if look_alike is not None:
        raise DomainError(
            _("The name looks like that of %(org)s, already registered. Choose another name.")
            % {"org": look_alike.name}
        )
    organisation = Organisation.objects.create(**fields)
    OrganisationMembership.objects.create(
        user=actor,
        organisation=organisation,
        is_admin=True,
        status=MembershipStatus.APPROVED,
        decided_at=timezone.now(),
    )
    record_event(actor, "organisations.organisation.registered", organisation)
    forget_access(actor)
    return organisation


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _roles_of(user: User, *, exclude: RoleGrant | None = None) -> list[str]:
    """The person's roles as the audit trail shows them: "role@member" or "role" (portal-wide)."""
    grants = RoleGrant.objects.filter(user=user).select_related("member").order_by("role", "pk")
    if exclude is not None:
        grants = grants.exclude(pk=exclude.pk)
    return [f"{g.role}@{g.member.slug}" if g.member else g.role for g in grants]


@transaction.atomic
def organisation_verify(organisation: Organisation, *, actor: User) -> Organisation:
    """The secretariat confirms an organisation is who it says (a CSO may then act as one).
    Verifying twice changes nothing."""
    # Verifying a rejected organisation (the secretariat changed its mind) lifts the rejection.
    updated = Organisation.objects.filter(pk=organisation.pk, verified_at__isnull=True).update(
        verified_at=timezone.now(), verified_by=actor, rejected_at=None, rejection_reason=""
    )
    organisation.refresh_from_db()
    if updated:
        record_event(
            actor, "organisations.organisation.verified", organisation,
            before={"verified": False, "verified_at": None},
            after={"verified": True, "verified_at": _instant(organisation.verified_at)},
        )  # fmt: skip
    return organisation


@transaction.atomic
def organisation_reject(organisation: Organisation, *, actor: User, reason: str) -> Organisation:
    """The secretariat refuses a pending organisation, saying why; its admins are told.

    Errors: no reason; the organisation is verified or rejected already (a lost race or a
    double submit changes nothing twice)."""
    if not reason.strip():
        raise DomainError(_("Say why the organisation is rejected."))
    updated = Organisation.objects.filter(
        pk=organisation.pk, verified_at__isnull=True, rejected_at__isnull=True
    ).update(rejected_at=timezone.now(), rejection_reason=reason.strip())
    organisation.refresh_from_db()
    if not updated:
        raise DomainError(_("This organisation is no longer waiting for verification."))
    record_event(actor, "organisations.organisation.rejected", organisation, reason=reason)
    admins = [
        m.user
        for m in organisation.memberships.filter(
            is_admin=True, status=MembershipStatus.APPROVED, user__is_active=True
        ).select_related("user")
    ]
    notify(
        admins,
        "organisation.rejected",
        lazy_format(
            gettext_lazy("%(organisation)s was not verified"), {"organisation": organisation.name}
        ),
        "organisations/emails/organisation_rejected.txt",
        {"organisation": organisation, "reason": organisation.rejection_reason},
        target=organisation,
        url=organisation.get_absolute_url(),
    )
    return organisation


@transaction.atomic
def organisation_unverify(organisation: Organisation, *, actor: User, reason: str) -> Organisation:
    """Withdraw verification (it stops acting as a CSO at once). A reason is required."""
    if not reason.strip():
        raise DomainError(_("Say why the verification is withdrawn."))
    was_verified_at = _instant(organisation.verified_at)
    Organisation.objects.filter(pk=organisation.pk).update(verified_at=None, verified_by=None)
    organisation.refresh_from_db()
    record_event(
        actor, "organisations.organisation.unverified", organisation, reason=reason,
        before={"verified": was_verified_at is not None, "verified_at": was_verified_at},
        after={"verified": False, "verified_at": None},
    )  # fmt: skip
    return organisation


def membership_request(organisation: Organisation, *, actor: User) -> OrganisationMembership:
    """Ask to join an organisation. Asking again while pending (or a double submit) returns the
    same request; after a decline, asking again reopens it."""
    with transaction.atomic():
        membership, created = OrganisationMembership.objects.get_or_create(
            user=actor, organisation=organisation
        )
        if membership.status == MembershipStatus.APPROVED:
            raise DomainError(_("You are already a member of %(org)s.") % {"org": organisation})
        reopened = not created and membership.status == MembershipStatus.REJECTED
        if reopened:
            membership.status = MembershipStatus.PENDING
            membership.decided_at = None
            membership.decided_by = None
            membership.save(update_fields=["status", "decided_at", "decided_by"])
        if created or membership.status == MembershipStatus.PENDING:
            record_event(actor, "organisations.membership.requested", membership)
        if created or reopened:  # a double submit does not notify the admins twice
            _notify_join_request(membership)
    return membership


def _notify_join_request(membership: OrganisationMembership) -> None:
    """The organisation's approved admins hear of a new (or reopened) join request; an
    organisation without any admin falls back to the portal secretariat, who may decide too.
    """
    organisation = membership.organisation
    admins = [
        m.user
        for m in organisation.memberships.filter(
            is_admin=True, status=MembershipStatus.APPROVED, user__is_active=True
        )
        .exclude(user=membership.user)
        .select_related("user")
    ]
    if not admins:
        admins = [
            grant.user
            for grant in RoleGrant.objects.filter(
                role=Role.SECRETARIAT, user__is_active=True
            ).select_related("user")
        ]
    notify(
        admins,
        "organisation.join_requested",
        lazy_format(
            gettext_lazy("%(person)s asks to join %(organisation)s"),
            {
                "person": membership.user.name or membership.user.email,
                "organisation": organisation.name,
            },
        ),
        "organisations/emails/join_requested.txt",
        {"requester": membership.user, "organisation": organisation},
        target=membership,
        url=organisation.get_absolute_url(),
    )


@transaction.atomic
def membership_decide(
    membership: OrganisationMembership,
    *,
    actor: User,
    approve: bool,
    make_admin: bool = False,
    reason: str = "",
) -> OrganisationMembership:
    """An organisation admin (or the secretariat) approves or declines a join request.

    Declining needs a reason, and the person is told of it. Errors: decided already; a
    decline without a reason."""
    if membership.status != MembershipStatus.PENDING:
        raise DomainError(_("This request has already been decided."))
    if not approve and not reason.strip():
        raise DomainError(_("Say why the request is declined."))
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
    membership.is_admin = approve and make_admin
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.decision_reason = "" if approve else reason.strip()
    membership.save(
        update_fields=["status", "is_admin", "decided_at", "decided_by", "decision_reason"]
    )
    action = "approved" if approve else "declined"
    record_event(
        actor, f"organisations.membership.{action}", membership, reason=membership.decision_reason
    )
    forget_access(membership.user)
    if not approve:
        notify(
            [membership.user],
            "organisation.join_declined",
            lazy_format(
                gettext_lazy("Your request to join %(organisation)s was declined"),
                {"organisation": membership.organisation.name},
            ),
            "organisations/emails/join_declined.txt",
            {"organisation": membership.organisation, "reason": membership.decision_reason},
            target=membership,
            url=membership.organisation.get_absolute_url(),
        )
    return membership


def role_grant(user: User, *, actor: User, role: str, member: Member | None) -> RoleGrant:
    """Give `user` a role for `member` (or the portal-wide secretariat role, member=None).
    Granting a role the person already holds returns the existing grant."""
    if role == Role.SECRETARIAT and member is not None:
        raise DomainError(_("The secretariat role is portal-wide; choose no member."))
    if role != Role.SECRETARIAT and member is None:
        raise DomainError(_("Choose the member this role is for."))
    try:
        with transaction.atomic():
            grant, created = RoleGrant.objects.get_or_create(
                user=user, member=member, role=role, defaults={"granted_by": actor}
            )
            if created:
                record_event(
                    actor, "organisations.role.granted", grant, role=role,
                    user=user.email, member=member.name if member else None,
                    before={"roles": _roles_of(user, exclude=grant)},
                    after={"roles": _roles_of(user)},
                )  # fmt: skip
    except IntegrityError:
        # A concurrent identical grant won the race; the unique constraint kept one row.
        grant = RoleGrant.objects.get(user=user, member=member, role=role)
    forget_access(user)
    return grant


@transaction.atomic
def role_revoke(grant: RoleGrant, *, actor: User) -> None:
    if grant.role == Role.SECRETARIAT and grant.user_id == getattr(actor, "pk", None):
        raise DomainError(
            _("You cannot remove your own secretariat role; ask another secretariat member.")
        )
    before = _roles_of(grant.user)
    record_event(
        actor, "organisations.role.revoked", grant, role=grant.role,
        user=grant.user.email, member=grant.member.name if grant.member else None,
        before={"roles": before}, after={"roles": _roles_of(grant.user, exclude=grant)},
    )  # fmt: skip
    grant.delete()
    forget_access(grant.user)


@transaction.atomic
def member_set_status(member: Member, *, actor: User, status: str, reason: str) -> Member:
    """Record the member's standing in OGP (active, under procedural review, inactive,
    suspended), as OGP decided it. A reason is required; setting the status it already has
    changes nothing. Raises DomainError if the status changed meanwhile."""
    if not reason.strip():
        raise DomainError(_("Say why the member's status changes."))
    from_status = Member.objects.values_list("status", flat=True).get(pk=member.pk)
    if from_status == status:
        member.refresh_from_db()
        return member
    MemberStatus(status)  # an unknown status is a programming error: ValueError
    if not Member.objects.filter(pk=member.pk, status=from_status).update(status=status):
        raise DomainError(_("The member changed meanwhile; reload the page."))
    member.refresh_from_db()
    record_event(
        actor, "organisations.member.status_changed", member, reason=reason,
        from_state=from_status, to_state=status,
    )  # fmt: skip
    return member


@transaction.atomic
def person_profile_update(
    user: User,
    *,
    actor: User,
    region: Region | None,
    consent: bool,
    gender: str = "",
    age_band: str = "",
) -> PersonProfile:
    """Save a person's optional profile (issue #18: who is missing).

    Preconditions: `actor` is `user`. Effects: the region is saved; gender and age band are
    kept only when `consent` is given (its time recorded the first time); without consent
    they are erased, so unticking the box withdraws consent and deletes them. The audit event
    records whether consent is held, never the values.
    Errors: DomainError when someone else edits the profile, or gives gender or age band
    without consent."""
    if actor.pk != user.pk:
        raise DomainError(_("Only the person themselves can change their profile."))
    if not consent and (gender or age_band):
        raise DomainError(
            _("Tick the consent box to save your gender or age band, or leave them empty.")
        )
    profile, _created = PersonProfile.objects.get_or_create(user=user)
    had_consent = profile.consent_at is not None
    profile.region = region
    if consent:
        profile.gender = gender
        profile.age_band = age_band
        profile.consent_at = profile.consent_at or timezone.now()
    else:
        profile.withdraw_consent()
    profile.save()
    record_event(
        actor,
        "organisations.person_profile.updated",
        profile,
        before={"consent": had_consent},
        after={"consent": consent, "region": region.pk if region else None},
    )
    return profile

"""Input to a working group from outside it: applications to join and comments on drafts.

Who may act is in forums/rules.py (views check it); the services enforce the process: one
pending application per person and group, members do not apply, a decline and a hidden
comment each need a reason, and every act leaves an audit event.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.text import MAX_COMMENT_LENGTH, render_user_text
from forums.choices import GroupApplicationStatus
from forums.models import DraftComment, GroupApplication, GroupDraft, WorkingGroup
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User

from .groups import working_group_add_member

PENDING = GroupApplicationStatus.PENDING


def _is_member(group: WorkingGroup, user: User) -> bool:
    return group.members.filter(user=user).exists()


def _required(text: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError(message)
    return text


def group_application_submit(
    group: WorkingGroup, *, actor: User, motivation: str, sector: str
) -> GroupApplication:
    """Ask to join `group`. A person already in the group is refused; a second submit while
    one is pending (a double click) returns the pending one instead of a second."""
    if _is_member(group, actor):
        raise DomainError(_("You are already a member of this group."))
    motivation = _required(motivation, _("Say in a few words why you want to join."))
    pending = group.applications.filter(applicant=actor, status=PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            application = GroupApplication.objects.create(
                group=group, applicant=actor, motivation=motivation, sector=sector
            )
            record_event(actor, "forums.group_application.submitted", application, group=group.pk)
    except IntegrityError:  # the same form sent twice at once: the other request won
        return group.applications.get(applicant=actor, status=PENDING)
    return application


def _decide(
    application: GroupApplication, *, actor: User, status: str, reason: str
) -> GroupApplication:
    """Compare-and-set from pending to `status`; 0 rows means someone decided first."""
    now = timezone.now()
    changed = GroupApplication.objects.filter(pk=application.pk, status=PENDING).update(
        status=status, decision_reason=reason, decided_by=actor, decided_at=now
    )
    if not changed:
        raise DomainError(_("This application has already been decided."))
    application.refresh_from_db()
    return application


@transaction.atomic
def group_application_accept(
    application: GroupApplication, *, actor: User, reason: str = ""
) -> GroupApplication:
    """Accept: the applicant joins the group (working_group_add_member) and is told."""
    application = _decide(
        application, actor=actor, status=GroupApplicationStatus.ACCEPTED, reason=reason.strip()
    )
    applicant = application.applicant
    working_group_add_member(
        application.group,
        actor=actor,
        name=str(applicant),
        sector=application.sector,
        user=applicant,
    )
    record_event(
        actor,
        "forums.group_application.accepted",
        application,
        reason=application.decision_reason,
        from_state=PENDING,
        to_state=application.status,
    )
    _notify_decision(application)
    return application


@transaction.atomic
def group_application_decline(
    application: GroupApplication, *, actor: User, reason: str
) -> GroupApplication:
    """Decline with a reason, which the applicant reads (inbox and group page)."""
    reason = _required(
        reason, _("Declining an application needs a reason; the applicant reads it.")
    )
    application = _decide(
        application, actor=actor, status=GroupApplicationStatus.DECLINED, reason=reason
    )
    record_event(
        actor,
        "forums.group_application.declined",
        application,
        reason=reason,
        from_state=PENDING,
        to_state=application.status,
    )
    _notify_decision(application)
    return application


def _notify_decision(application: GroupApplication) -> None:
    from ogp_portal.core.notifications import notify
    from ogp_portal.core.reminders import lazy_format

    notify(
        [application.applicant],
        "group_application.decided",
        lazy_format(
            gettext_lazy("Your application to “%(group)s”: %(decision)s"),
            {"group": application.group.name, "decision": application.get_status_display()},
        ),
        "forums/emails/group_application_decided.txt",
        {"application": application, "group": application.group},
        target=application,
        url=application.group.get_absolute_url(),
    )


@transaction.atomic
def group_draft_post(group: WorkingGroup, *, actor: User, title: str, body: str) -> GroupDraft:
    """A member (or whoever runs the group) puts a draft up for comment."""
    title = _required(title, _("Give the draft a title."))
    body = _required(body, _("Write the draft’s text first."))
    draft = GroupDraft.objects.create(
        group=group, author=actor, title=title, body=body, body_html=render_user_text(body)
    )
    record_event(actor, "forums.group_draft.posted", draft, group=group.pk)
    return draft


@transaction.atomic
def draft_comment_post(draft: GroupDraft, *, actor: User, body: str) -> DraftComment:
    """Comment on a draft (members and registered non-members alike)."""
    body = _required(body, _("Write a comment first."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(
            _("Comments are limited to %(max)s characters; yours has %(n)s.")
            % {"max": MAX_COMMENT_LENGTH, "n": len(body)}
        )
    comment = DraftComment.objects.create(
        draft=draft, author=actor, body=body, body_html=render_user_text(body)
    )
    record_event(actor, "forums.draft_comment.posted", comment, draft=draft.pk)
    return comment


@transaction.atomic
def draft_comment_hide(comment: DraftComment, *, actor: User, reason: str) -> DraftComment:
    """Hide a comment; the reason is shown in its place."""
    reason = _required(reason, _("Hiding a comment needs a reason; it is shown in its place."))
    DraftComment.objects.filter(pk=comment.pk).update(is_hidden=True, hidden_reason=reason)
    comment.refresh_from_db()
    record_event(actor, "forums.draft_comment.hidden", comment, reason=reason)
    return comment

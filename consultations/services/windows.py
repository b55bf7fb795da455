"""Consultation windows: the notice rule, and the open-window check every input goes through."""

import datetime as dt
import zoneinfo
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import ConsultationKind, WindowState
from consultations.models import (
    Consultation,
    ConsultationDocument,
    GuidingQuestion,
    NoticeChange,
    ReminderSignup,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.ogp_rules import earliest_after_notice, rule, wall_clock_days_later
from ogp_portal.core.stored_files import stored_files
from ogp_portal.users.models import User
from plans.choices import PlanStatus
from plans.models import ActionPlan

# Statuses in which a plan takes no more co-creation input (see ledger.CLOSED_TO_INPUT).
CLOSED_TO_INPUT = (
    PlanStatus.ADOPTED,
    PlanStatus.IMPLEMENTATION,
    PlanStatus.ENDED,
    PlanStatus.ARCHIVED,
)


class WindowClosed(DomainError):
    """Input outside the window: the view shows the message and gives the typed text back."""


def member_tz(plan: ActionPlan) -> zoneinfo.ZoneInfo:
    """The time zone the member's people read and type times in (``Member.zone``)."""
    return plan.member.zone


def _local(moment: dt.datetime, consultation: Consultation) -> str:
    tz = member_tz(consultation.plan)
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M %Z")


def require_open(consultation: Consultation, moment: dt.datetime | None = None) -> None:
    if consultation.plan.status in CLOSED_TO_INPUT:
        # Adoption is refused while a window is open, so this only catches a window set up
        # after adoption: input the adopted plan could never answer.
        raise WindowClosed(_("This plan has been adopted; its consultations take no more input."))
    state = consultation.window_state(moment)
    if state == WindowState.SCHEDULED:
        raise WindowClosed(
            _("This consultation opens on %(when)s; nothing can be submitted before then.")
            % {"when": _local(consultation.opens_at, consultation)}
        )
    if state == WindowState.CLOSED:
        raise WindowClosed(
            _("This consultation closed on %(when)s; new input is no longer accepted.")
            % {"when": _local(consultation.closes_at, consultation)}
        )


def notice_errors(
    opens_at: dt.datetime | None,
    notice_published_at: dt.datetime | None,
    standards_version: str,
    tz: dt.tzinfo | None = None,
) -> dict[str, str]:
    """Field errors if the window would open before the notice period is over: the notice
    counts calendar days in `tz` (the member's zone), so a notice given on D at 14:37 allows
    opening from D+14 at 00:00 (ogp_rules.earliest_after_notice). Times in the message are
    shown in `tz`."""
    if not (opens_at and notice_published_at):
        return {}
    days = rule("notice_days", standards_version)
    earliest = earliest_after_notice(notice_published_at, days, tz)
    shown = "%Y-%m-%d %H:%M %Z" if tz else "%Y-%m-%d %H:%M"
    if opens_at < earliest:
        return {
            "opens_at": _(
                "The notice must be public for %(days)s days before the consultation opens: "
                "with notice given on %(notice)s it can open on %(earliest)s at the earliest."
            )
            % {
                "days": days,
                "notice": timezone.localtime(notice_published_at, tz).strftime(shown),
                "earliest": timezone.localtime(earliest, tz).strftime(shown),
            }
        }
    return {}


class NoticeRuleError(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


# A change to any of these after the notice is public is material: people planned around
# them. Before the window opens it restarts the notice period; it is always logged publicly.
MATERIAL_FIELDS = ("opens_at", "closes_at", "channels")


def _material_value(name: str, value: Any) -> Any:
    if name == "channels":
        return sorted(value or [])
    return value.isoformat() if value else None


def self_assessment_window_errors(
    consultation: Consultation, standards_version: str, tz: dt.tzinfo
) -> dict[str, str]:
    """A self-assessment is open for comment at least the rule set's number of calendar days
    (two weeks): closing no earlier than the same local time that many days after opening."""
    if consultation.kind != ConsultationKind.SELF_ASSESSMENT_COMMENT:
        return {}
    days = rule("self_assessment_comment_days", standards_version)
    earliest = wall_clock_days_later(consultation.opens_at, days, tz)
    if consultation.closes_at >= earliest:
        return {}
    return {
        "closes_at": _(
            "A self-assessment is open for comment for at least %(days)s days: opening on "
            "%(opens)s, it can close on %(earliest)s at the earliest."
        )
        % {
            "days": days,
            "opens": timezone.localtime(consultation.opens_at, tz).strftime("%Y-%m-%d %H:%M %Z"),
            "earliest": timezone.localtime(earliest, tz).strftime("%Y-%m-%d %H:%M %Z"),
        }
    }


def consultation_save(
    plan: ActionPlan, *, actor: User, consultation: Consultation | None = None, **fields: Any
) -> Consultation:
    """Create or edit a consultation; its times must respect the notice already given.

    Editing the dates or channels of a consultation whose notice is public leaves a public
    NoticeChange; if the window has not opened yet the notice period starts again from now
    (the new opening must be the full period away). Self-assessment windows last at least
    the rule set's `self_assessment_comment_days`."""
    consultation = consultation or Consultation(plan=plan, created_by=actor)
    now = timezone.now()
    before = {name: _material_value(name, getattr(consultation, name, None))
              for name in MATERIAL_FIELDS} if consultation.pk else {}  # fmt: skip
    not_open_yet = consultation.pk is not None and consultation.opens_at > now
    for name, value in fields.items():
        setattr(consultation, name, value)
    if (
        consultation.closes_at
        and consultation.opens_at
        and (consultation.closes_at <= consultation.opens_at)
    ):
        raise NoticeRuleError({"closes_at": _("The window must close after it opens.")})
    tz = member_tz(plan)
    errors = self_assessment_window_errors(consultation, plan.standards_version, tz)
    if errors:
        raise NoticeRuleError(errors)
    changes = {}
    if consultation.pk and consultation.notice_published_at:
        for name in MATERIAL_FIELDS:
            after = _material_value(name, getattr(consultation, name))
            if after != before[name]:
                changes[name] = [before[name], after]
    previous_notice = consultation.notice_published_at
    restart = bool(changes) and not_open_yet
    if restart:
        consultation.notice_published_at = now
    errors = notice_errors(
        consultation.opens_at, consultation.notice_published_at, plan.standards_version, tz
    )
    if errors:
        if restart:
            errors["opens_at"] = " ".join(
                [
                    _(
                        "The notice was already public: changing its dates or channels "
                        "starts the notice period again from now."
                    ),
                    errors["opens_at"],
                ]
            )
        raise NoticeRuleError(errors)
    created = consultation.pk is None
    with transaction.atomic():
        consultation.save()
        if changes:
            NoticeChange.objects.create(
                consultation=consultation,
                changed_at=now,
                changes=changes,
                restarted_notice=restart,
                previous_notice_at=previous_notice,
            )
        record_event(
            actor,
            "consultations.consultation.created"
            if created
            else "consultations.consultation.edited",
            consultation,
            **({"notice_changes": changes, "notice_restarted": restart} if changes else {}),  # type: ignore[arg-type]
        )
    return consultation


def consultation_publish_notice(consultation: Consultation, *, actor: User) -> Consultation:
    """Announce the consultation now (its timeline becomes public); the window must still be
    at least the notice period away."""
    if consultation.notice_published_at:
        return consultation
    now = timezone.now()
    errors = notice_errors(
        consultation.opens_at,
        now,
        consultation.plan.standards_version,
        member_tz(consultation.plan),
    )
    if errors:
        raise NoticeRuleError(errors)
    Consultation.objects.filter(pk=consultation.pk, notice_published_at__isnull=True).update(
        notice_published_at=now
    )
    consultation.refresh_from_db()
    record_event(actor, "consultations.consultation.announced", consultation)
    return consultation


def consultation_add_document(
    consultation: Consultation, *, actor: User, title: str, file: File
) -> ConsultationDocument:
    """Publish a background document with the consultation (the upload is checked by the form
    with ogp_portal.core.uploads.validate_document). A file that cannot be stored raises
    FileStorageError and saves nothing."""
    with stored_files() as files, transaction.atomic():
        document = ConsultationDocument(consultation=consultation, title=title)
        files.save(document.file, file)
        document.save()
        record_event(actor, "consultations.document.added", document, consultation=consultation.pk)
    return document


def question_add(consultation: Consultation, *, actor: User, text: str) -> GuidingQuestion:
    """Add a guiding question at the end. Questions cannot be added once the window has
    closed: the answers already given would not have seen them."""
    if consultation.window_state() == WindowState.CLOSED:
        raise DomainError(_("The consultation has closed; its questions can no longer change."))
    if not text.strip():
        raise DomainError(_("Write the question first."))
    last = consultation.questions.order_by("-position").values_list("position", flat=True).first()
    question = GuidingQuestion.objects.create(
        consultation=consultation, text=text.strip(), position=(last or 0) + 1
    )
    record_event(actor, "consultations.question.added", question, consultation=consultation.pk)
    return question


def reminder_signup(consultation: Consultation, *, actor: User) -> bool:
    """Follow a consultation: be told when it opens (if it has not yet) and before it
    closes. Idempotent: returns False if the person already followed it (the unique
    constraint settles a double click)."""
    if consultation.window_state() == WindowState.CLOSED:
        raise DomainError(_("This consultation has closed; there is nothing left to follow."))
    try:
        with transaction.atomic():
            ReminderSignup.objects.create(consultation=consultation, user=actor)
    except IntegrityError:
        return False
    return True


def reminder_cancel(consultation: Consultation, *, actor: User) -> bool:
    """Stop following a consultation; returns False if the person did not follow it."""
    deleted, _rows = ReminderSignup.objects.filter(consultation=consultation, user=actor).delete()
    return bool(deleted)

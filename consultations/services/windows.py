"""Consultation windows: the notice rule, and the open-window check every input goes through."""

import datetime as dt
import zoneinfo
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import WindowState
from consultations.models import (
    Consultation,
    ConsultationDocument,
    GuidingQuestion,
    ReminderSignup,
)
from ogp_portal.core import page_cache
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.ogp_rules import rule
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
    """Field errors if the window would open less than the notice period after the notice.
    Times in the message are shown in `tz` (the member's zone) when given."""
    if not (opens_at and notice_published_at):
        return {}
    days = rule("notice_days", standards_version)
    earliest = notice_published_at + dt.timedelta(days=days)
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


def consultation_save(
    plan: ActionPlan, *, actor: User, consultation: Consultation | None = None, **fields: Any
) -> Consultation:
    """Create or edit a consultation; its times must respect the notice already given."""
    consultation = consultation or Consultation(plan=plan, created_by=actor)
    for name, value in fields.items():
        setattr(consultation, name, value)
    if (
        consultation.closes_at
        and consultation.opens_at
        and (consultation.closes_at <= consultation.opens_at)
    ):
        raise NoticeRuleError({"closes_at": _("The window must close after it opens.")})
    errors = notice_errors(
        consultation.opens_at,
        consultation.notice_published_at,
        plan.standards_version,
        member_tz(plan),
    )
    if errors:
        raise NoticeRuleError(errors)
    created = consultation.pk is None
    consultation.save()
    record_event(
        actor,
        "consultations.consultation.created" if created else "consultations.consultation.edited",
        consultation,
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
    page_cache.changed("site")
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

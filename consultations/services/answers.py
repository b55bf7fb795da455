"""Answers to guiding questions, and the reasoned response that covers a group of them."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import (
    DECISIONS,
    RESPONSE_DECISION_OF_STATUS,
    Audience,
    ProposalStatus,
    ResponseStatus,
)
from consultations.models import (
    Answer,
    Consultation,
    GuidingQuestion,
    InputEntry,
    ReasonedResponse,
)
from consultations.rules import may_take_part
from consultations.text import MAX_COMMENT_LENGTH
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import OrganisationKind
from ogp_portal.organisations.models import Organisation
from ogp_portal.organisations.rules import organisations_to_act_for
from ogp_portal.users.models import User
from ogp_portal.users.types import AnyUser

from .ledger import entry_for_answer
from .windows import require_open

MAX_ANSWER_LENGTH = MAX_COMMENT_LENGTH
# An answer is not merged into a proposal: every other decision applies to a group of answers.
ANSWER_DECISIONS = tuple(d for d in DECISIONS if d != ProposalStatus.MERGED)


class NotAllowedToTakePart(DomainError):
    """The person may not answer this consultation (audience or unverified address)."""


def participation_refusal(user: AnyUser, consultation: Consultation) -> str:
    """Why `user` may not take part, as a sentence; "" when they may."""
    if not getattr(user, "is_authenticated", False):
        return _("Sign in to take part.")
    if may_take_part(user, consultation):
        return ""
    if not access_for(user).email_verified:
        return _("Confirm your e-mail address to take part.")
    if consultation.audience == Audience.VERIFIED_CSOS:
        return _(
            "This consultation is open to representatives of verified civil-society "
            "organisations of %(member)s only."
        ) % {"member": consultation.plan.member.name}
    return _("You cannot take part in this consultation.")


def _answer_organisation(user: User, consultation: Consultation) -> Organisation | None:
    """The verified CSO the person answers for in a CSO-only consultation, else None."""
    if consultation.audience != Audience.VERIFIED_CSOS:
        return None
    return (
        organisations_to_act_for(user, consultation.plan.member_id, kinds={OrganisationKind.CSO})
        .order_by("pk")
        .first()
    )


def answer_submit(question: GuidingQuestion, *, actor: User, body: str) -> tuple[Answer, bool]:
    """Answer a guiding question while the window is open.

    Preconditions: the window is open (WindowClosed otherwise), the person may take part
    (NotAllowedToTakePart), the text is not empty and not too long (DomainError).
    Idempotent: the same text sent again by the same person for the same question (double
    click, reload, second tab) returns the first answer with created=False. The check and the
    insert run under a lock on the question row (PostgreSQL) or inside SQLite's IMMEDIATE
    write transaction, so two simultaneous identical posts cannot both insert.
    Returns (answer, created)."""
    consultation = question.consultation
    require_open(consultation)
    refusal = participation_refusal(actor, consultation)
    if refusal:
        raise NotAllowedToTakePart(refusal)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your answer first."))
    if len(body) > MAX_ANSWER_LENGTH:
        raise DomainError(
            _("Answers are limited to %(max)s characters; yours has %(n)s.")
            % {"max": MAX_ANSWER_LENGTH, "n": len(body)}
        )
    with transaction.atomic():
        # Serialise answers to this question for the duplicate check below.
        list(GuidingQuestion.objects.select_for_update().filter(pk=question.pk).values("pk"))
        existing = Answer.objects.filter(question=question, author=actor, body=body).first()
        if existing is not None:
            return existing, False
        answer = Answer.objects.create(
            question=question,
            author=actor,
            organisation=_answer_organisation(actor, consultation),
            body=body,
        )
        entry_for_answer(answer)  # in the plan's ledger from the start
        record_event(actor, "consultations.answer.submitted", answer, consultation=consultation.pk)
    return answer, True


@transaction.atomic
def answers_respond(
    consultation: Consultation,
    *,
    actor: User,
    answers: Iterable[Answer],
    decision: str,
    reason: str,
) -> ReasonedResponse:
    """Publish one reasoned response covering a group of similar answers to one question.

    Preconditions: at least one answer, all of this consultation and of the same question,
    none already answered; a decision from ANSWER_DECISIONS and a written reason
    (DomainError otherwise). The answers are claimed with a conditional UPDATE (only those
    still without a response), so two civil servants answering the same group at once cannot
    both attach a response: the second gets a DomainError and nothing is saved.
    Effects: a published ReasonedResponse, attached to every answer; one audit event."""
    ids = sorted({a.pk for a in answers})
    if not ids:
        raise DomainError(_("Select the answers this response covers."))
    if decision not in ANSWER_DECISIONS:
        raise DomainError(_("Choose a decision."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Every decision needs a written reasoned response."))
    rows = list(
        Answer.objects.filter(pk__in=ids).values_list("question__consultation_id", "question_id")
    )
    if len(rows) != len(ids) or any(c != consultation.pk for c, _q in rows):
        raise DomainError(_("Select answers of this consultation only."))
    if len({q for _c, q in rows}) != 1:
        raise DomainError(_("A response covers answers to one question; select them per question."))
    now = timezone.now()
    response = ReasonedResponse.objects.create(
        plan_id=consultation.plan_id,
        consultation=consultation,
        status=ResponseStatus.PUBLISHED,
        decision=RESPONSE_DECISION_OF_STATUS[ProposalStatus(decision)],
        reason=reason,
        responder=actor,
        reviewed_by=actor,
        reviewed_at=now,
        published_at=now,
    )
    claimed = Answer.objects.filter(pk__in=ids, response__isnull=True).update(response=response)
    InputEntry.objects.filter(answer_id__in=ids).update(response=response)
    if claimed != len(ids):
        # Some answer got a response meanwhile: the exception rolls the response back too.
        raise DomainError(
            _("Some of these answers already have a response; reload the page and select again.")
        )
    record_event(
        actor, "consultations.answers.responded", response, reason=reason,
        to_state=decision, answers=ids, consultation=consultation.pk,
    )  # fmt: skip
    return response

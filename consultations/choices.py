from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsultationKind(models.TextChoices):
    IDEA_COLLECTION = "idea_collection", _("Idea and proposal collection")
    DRAFT_PLAN_COMMENT = "draft_plan_comment", _("Comments on the draft plan")
    SELF_ASSESSMENT_COMMENT = "self_assessment_comment", _("Comments on a self-assessment")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    VERIFIED_USERS = "verified_users", _("Anyone with a verified account")
    VERIFIED_CSOS = "verified_csos", _("Verified civil-society organisations only")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In-person meetings")
    WORKSHOP = "workshop", _("Workshops")
    EMAIL = "email", _("E-mail")
    SURVEY = "survey", _("Survey")


class WindowState(models.TextChoices):
    SCHEDULED = "scheduled", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not submitted)")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
    MERGED = "merged", _("Merged into another proposal")
    DEFERRED = "deferred", _("Deferred to a future plan")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


# Decisions that close a proposal; each needs a published reasoned response.
DECISIONS = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.PARTIALLY_ACCEPTED,
    ProposalStatus.MERGED,
    ProposalStatus.DEFERRED,
    ProposalStatus.NOT_ACCEPTED,
    ProposalStatus.OUT_OF_SCOPE,
)
# Decisions whose proposal became (part of) a commitment.
DECISIONS_WITH_COMMITMENT = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.PARTIALLY_ACCEPTED,
    ProposalStatus.MERGED,
)


class SubmitterType(models.TextChoices):
    CSO = "cso", _("Civil-society organisation")
    CITIZEN = "citizen", _("Citizen")
    ACADEMIA = "academia", _("Academia")
    PRIVATE = "private", _("Private sector")
    GOVERNMENT = "government", _("Government")


class ModerationState(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("comment", "Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class InputKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    ANSWER = "answer", _("Answer to a guiding question")
    COMMENT = "comment", _("Comment on the draft plan")
    OFFLINE = "offline", _("Offline input")
    FORUM = "forum", _("Forum or working-group meeting")
    MONITORING = "monitoring", _("Comment during implementation")


class InputChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form or letter")
    PHONE = "phone", _("Phone")
    WORKSHOP = "workshop", _("Workshop or meeting")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Forum meeting")


# Channels staff type input in from (online input comes in through the portal itself).
TYPED_CHANNELS = (
    InputChannel.PAPER,
    InputChannel.PHONE,
    InputChannel.WORKSHOP,
    InputChannel.EMAIL,
    InputChannel.MEETING,
)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("response", "Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", pgettext_lazy("response", "Published")


class ResponseDecision(models.TextChoices):
    """The decision a reasoned response records. The stored values are those of the proposal
    statuses they stand for, so a proposal's status and its response's decision agree."""

    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged")
    PARTLY = "partially_accepted", _("Partly taken up")
    NOT_TAKEN_UP = "not_accepted", _("Not taken up")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")


# The proposal status each decision gives, and the response decision of each proposal status
# (deferring to a future plan is "not taken up" in this plan).
RESPONSE_DECISION_OF_STATUS = {
    ProposalStatus.ACCEPTED: ResponseDecision.ACCEPTED,
    ProposalStatus.MERGED: ResponseDecision.MERGED,
    ProposalStatus.PARTIALLY_ACCEPTED: ResponseDecision.PARTLY,
    ProposalStatus.NOT_ACCEPTED: ResponseDecision.NOT_TAKEN_UP,
    ProposalStatus.DEFERRED: ResponseDecision.NOT_TAKEN_UP,
    ProposalStatus.OUT_OF_SCOPE: ResponseDecision.OUT_OF_SCOPE,
}

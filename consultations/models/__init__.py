"""Consultation windows, the input they collect (proposals, answers, comments, offline events)
and the reasoned responses the government publishes to every input.

One module per sub-process; this package re-exports the models so that
`from consultations.models import Proposal` keeps working.
"""

from .clusters import (
    ClusterEvent,
    ClusterEventKind,
    ClusteringJob,
    ClusteringStatus,
)
from .comments import Comment, Flag, ReminderSignup
from .ledger import InputCluster, InputEntry, InputEntryQuerySet
from .proposals import (
    Proposal,
    ProposalAttachment,
    ProposalCommitmentLink,
    ProposalQuerySet,
    ReasonedResponse,
    ReasonedResponseQuerySet,
    Support,
    attachment_upload_to,
)
from .reconsideration import ReconsiderationOutcome, ReconsiderationRequest
from .windows import (
    Answer,
    Consultation,
    ConsultationDocument,
    ConsultationQuerySet,
    GuidingQuestion,
    OfflineEvent,
)

__all__ = [
    "ClusterEvent",
    "ClusterEventKind",
    "ClusteringJob",
    "ClusteringStatus",
    "Answer",
    "Comment",
    "Consultation",
    "ConsultationDocument",
    "ConsultationQuerySet",
    "Flag",
    "InputCluster",
    "InputEntry",
    "InputEntryQuerySet",
    "GuidingQuestion",
    "OfflineEvent",
    "Proposal",
    "ProposalAttachment",
    "ProposalCommitmentLink",
    "ProposalQuerySet",
    "ReasonedResponse",
    "ReconsiderationOutcome",
    "ReconsiderationRequest",
    "ReasonedResponseQuerySet",
    "ReminderSignup",
    "Support",
    "attachment_upload_to",
]

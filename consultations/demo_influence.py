"""Demo data for how input shaped the plans (issue #15): monitoring comments on Port Lumen's
plan in implementation with the city's answers, an e-mail campaign on Valdoria's fourth plan
grouped and answered by one response, and a reconsideration asked and answered. Loaded by
load_demo after consultations/demo.py; running it twice adds nothing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from commitments.models import Commitment

from .choices import InputChannel, InputKind, ProposalStatus, ResponseStatus
from .models import (
    ClusterEvent,
    ClusterEventKind,
    Comment,
    InputCluster,
    InputEntry,
    ReasonedResponse,
    ReconsiderationOutcome,
    ReconsiderationRequest,
)
from .text import render_user_text

MONITORING = [
    (
        "XV0012",
        "citizen@demo.example.org",
        "The first district assembly was announced only four days ahead. Will the next ones "
        "be announced earlier?",
        "Yes: from March on, every assembly is announced three weeks ahead on the city's site "
        "and in the district newsletters.",
    ),
    (
        "XV0013",
        "cso@demo.example.org",
        "Milestone 2 is marked complete, but the data portal still has no budget files. Where "
        "are they?",
        "",  # not answered yet: the lead's answer is awaited
    ),
]

CAMPAIGN_LABEL = "E-mail campaign: publish every court judgment"
CAMPAIGN_TEXT = (
    "Dear Minister, I ask the government to publish every court judgment online, free of "
    "charge and within thirty days, so that anyone can see how justice is done. "
)
CAMPAIGN_SIGNERS = ["A. Petrov", "B. Okafor", "C. Lindqvist", "D. Haddad", "E. Moreau", "F. Ito"]


def _user(email: str):
    return get_user_model().objects.filter(email=email).first()


def load(plans: dict) -> dict:
    _monitoring(plans["port-lumen-1"])
    _campaign(plans["valdoria-4"])
    _reconsideration(plans["valdoria-4"])
    return {}


def _monitoring(plan) -> None:
    from .services.monitoring import _answer_in_ledger, _enter_in_ledger

    lead = _user("local.civil.servant@demo.example.org")
    for ogp_id, email, question, answer in MONITORING:
        commitment = Commitment.objects.filter(ogp_id=ogp_id, plan=plan).first()
        if commitment is None or Comment.objects.filter(commitment=commitment, body=question):
            continue
        comment = Comment.objects.create(
            consultation=None, commitment=commitment, author=_user(email), show_name=True,
            body=question, body_html=render_user_text(question),
        )  # fmt: skip
        _enter_in_ledger(comment, commitment)
        if answer and lead is not None:
            reply = Comment.objects.create(
                consultation=None, commitment=commitment, parent=comment, author=lead,
                show_name=True, body=answer, body_html=render_user_text(answer),
                is_lead_answer=True,
            )  # fmt: skip
            _answer_in_ledger(comment, reply)


def _campaign(plan) -> None:
    """Six copies of one e-mail, typed in by staff, grouped (suggested then confirmed) and
    answered by one published response naming the commitment it shaped."""
    if InputCluster.objects.filter(plan=plan, label=CAMPAIGN_LABEL).exists():
        return
    civil_servant = _user("civil.servant@demo.example.org")
    received = dt.date(2020, 3, 2)
    entries = [
        InputEntry.objects.create(
            plan=plan,
            kind=InputKind.OFFLINE,
            channel=InputChannel.EMAIL,
            title="E-mail: publish every court judgment",
            text=CAMPAIGN_TEXT + signer,
            author_name=signer,
            received_on=received + dt.timedelta(days=i),
            recorded_by=civil_servant,
        )  # fmt: skip
        for i, signer in enumerate(CAMPAIGN_SIGNERS)
    ]
    ids = [e.pk for e in entries]
    when = dt.datetime(2020, 8, 20, 9, tzinfo=dt.UTC)
    cluster = InputCluster.objects.create(
        plan=plan, label=CAMPAIGN_LABEL, created_by=civil_servant, confirmed_at=when
    )
    InputEntry.objects.filter(pk__in=ids).update(cluster=cluster)
    for kind, actor in (
        (ClusterEventKind.SUGGESTED, None),
        (ClusterEventKind.CONFIRMED, civil_servant),
    ):
        ClusterEvent.objects.create(
            plan=plan, cluster=cluster, cluster_label=cluster.label, kind=kind,
            entry_ids=ids, actor=actor,
        )  # fmt: skip
    response = ReasonedResponse.objects.create(
        plan=plan, status=ResponseStatus.PUBLISHED, decision=ProposalStatus.ACCEPTED,
        responder=civil_servant, reviewed_by=civil_servant, reviewed_at=when, published_at=when,
        reason="Six people wrote the same request. It became the open court registers "
        "commitment: judgments are published online within 30 days, free of charge.",
    )  # fmt: skip
    commitment = Commitment.objects.filter(plan=plan).order_by("ogp_id").first()
    if commitment is not None:
        response.commitments.add(commitment)
    InputEntry.objects.filter(pk__in=ids).update(response=response)


def _reconsideration(plan) -> None:
    """The CSO asked for one of its answered proposals to be reconsidered; the ministry kept
    its decision and said why."""
    entry = (
        InputEntry.objects.filter(
            plan=plan,
            kind=InputKind.PROPOSAL,
            author__email="cso@demo.example.org",
            response__published_at__isnull=False,
        )
        .select_related("response")
        .order_by("pk")
        .first()
    )
    if entry is None or ReconsiderationRequest.objects.filter(entry=entry).exists():
        return
    response = entry.response
    if response is None:
        return
    ReconsiderationRequest.objects.create(
        entry=entry, requested_by=entry.author, response=response,
        reason="The response says the registers cost too much, but the courts' own IT plan "
        "already budgets the database. Please look at the figures again.",
        previous_decision=response.decision, previous_reason=response.reason,
        outcome=ReconsiderationOutcome.UPHELD,
        answer="We checked the courts' IT plan with the Ministry of Justice: the database is "
        "budgeted, the anonymisation work is not. The decision stands for this plan; the "
        "anonymisation budget is requested for the next one.",
        answered_by=_user("civil.servant@demo.example.org"), answered_at=timezone.now(),
    )  # fmt: skip

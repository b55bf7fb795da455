"""create_once: the one double-submit guard, used inside the creating services."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError

from commitments import services
from commitments.models import Commitment
from ogp_portal.core.idempotency import create_once
from ogp_portal.core.models import AuditEvent, FormSubmission
from plans.choices import PlanStatus
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def _commitment_fields():
    return {
        "title": "Open court data",
        "summary": "Courts publish how long cases take.",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2027, 6, 30),
        "lead_institution": "Ministry of Justice",
        "problem": "Nobody knows how long cases take.",
    }


def test_the_service_creates_once_per_token(civil_servant, member):
    plan = PlanFactory(member=member, status=PlanStatus.DRAFTING)
    token = uuid.uuid4()

    first = services.commitment_create(
        plan, actor=civil_servant, submission_token=token, **_commitment_fields()
    )
    again = services.commitment_create(
        plan, actor=civil_servant, submission_token=token, **_commitment_fields()
    )

    assert again == first
    assert Commitment.objects.count() == 1
    assert FormSubmission.objects.get().object_id == first.pk
    assert AuditEvent.objects.filter(action="commitments.commitment.created").count() == 1


def test_without_a_token_each_call_creates(civil_servant, member):
    plan = PlanFactory(member=member, status=PlanStatus.DRAFTING)

    services.commitment_create(plan, actor=civil_servant, **_commitment_fields())
    services.commitment_create(plan, actor=civil_servant, **_commitment_fields())

    assert Commitment.objects.count() == 2
    assert not FormSubmission.objects.exists()


def test_a_lost_race_returns_the_record_the_winner_made():
    # Given a token column that another request filled between our look-up and our insert
    winner = Commitment()  # never saved: only its identity matters
    lookups = iter([None, winner])

    def create():
        raise IntegrityError("duplicate submission token")

    # When our insert fails on the unique constraint, the winner's record is the answer
    assert create_once("t", Commitment, create, find=lambda: next(lookups)) is winner


def test_a_failure_that_is_not_a_duplicate_is_raised():
    def create():
        raise IntegrityError("something else")

    with pytest.raises(IntegrityError):
        create_once("t", Commitment, create, find=lambda: None)

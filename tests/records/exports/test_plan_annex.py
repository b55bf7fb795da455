"""The plan PDF's annex takes its list from the ledger: every published response with the
inputs it answers, whatever their kind; drafts, hidden input and monitoring comments stay out."""

import pytest
from django.utils import timezone

from consultations.choices import InputChannel, InputKind, ResponseDecision, ResponseStatus
from consultations.models import InputEntry, ReasonedResponse
from ogp_portal.core.exports import build_html, get_export
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def respond(plan, reason, *, published=True):
    return ReasonedResponse.objects.create(
        plan=plan,
        status=ResponseStatus.PUBLISHED if published else ResponseStatus.DRAFT,
        decision=ResponseDecision.ACCEPTED,
        reason=reason,
        published_at=timezone.now() if published else None,
    )


def test_the_annex_lists_ledger_inputs_of_every_kind_with_their_response(member):
    plan = PlanFactory(member=member, status="adopted")
    shared = respond(plan, "Taken up in commitment 3.")
    InputEntry.objects.create(
        plan=plan, kind=InputKind.PROPOSAL, title="Open courts", response=shared
    )
    InputEntry.objects.create(
        plan=plan,
        kind=InputKind.OFFLINE,
        channel=InputChannel.PAPER,
        title="Paper form from Tarsa",
        response=shared,
    )
    InputEntry.objects.create(
        plan=plan,
        kind=InputKind.ANSWER,
        title="Draft only",
        response=respond(plan, "Not yet", published=False),
    )
    InputEntry.objects.create(
        plan=plan, kind=InputKind.COMMENT, title="Hidden", is_public=False, response=shared
    )
    InputEntry.objects.create(
        plan=plan,
        kind=InputKind.MONITORING,
        title="Progress question",
        response=respond(plan, "Lead answer"),
    )

    html = build_html(get_export("plan"), plan, "en", lambda *_args: None)

    annex = html[html.index('id="annex"') :]
    assert "Paper form from Tarsa" in annex
    assert "Open courts" in annex
    assert "Offline input" in annex
    assert "Taken up in commitment 3." in annex
    assert "Draft only" not in annex
    assert "Hidden" not in annex
    assert "Progress question" not in annex

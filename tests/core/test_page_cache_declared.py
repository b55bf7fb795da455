"""Declared invalidation: every content model an app registers with the page cache, written
through save, QuerySet.update, bulk_create and delete, never leaves a cached public page
showing the old state (ogp_portal/core/page_cache.py).

The test walks the registry, so a model registered later is covered at once; it fails when a
registered model has no witness here (a cached public page that shows the model's rows) and
when any write path leaves the witness served from the cache. Rows come from `make demo`.
"""

import copy

import pytest
from django.core.management import call_command
from django.db import models, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from ogp_portal.core import page_cache

pytestmark = pytest.mark.django_db


def _home(row):
    return reverse("core:home")


def _plan_list(row):
    return reverse("plans:plan-list")


def _commitment_list(row):
    return reverse("commitments:commitment-list")


def _consultation_list(row):
    return reverse("consultations:consultation-list")


def _consultation(row):
    return reverse("consultations:consultation-detail", args=[row.consultation_id])


def _proposal(row):
    return reverse("consultations:proposal-detail", args=[row.proposal_id])


def _commitment(row):
    return row.commitment.get_absolute_url()


def _ledger(row):
    return reverse("influence:plan-influence", args=[row.plan_id])


def _comment(row):
    if row.proposal_id:
        return _proposal(row)
    if row.consultation_id:
        return _consultation(row)
    return _commitment(row)


# The cached public page on which each registered model's rows show (a list, not the row's
# own page, so that the page still exists after the row is deleted).
WITNESS = {
    "core.Translation": _home,
    "organisations.Region": _plan_list,
    "organisations.PersonProfile": _home,
    "organisations.Member": _plan_list,
    "organisations.Organisation": _home,
    "organisations.OrganisationMembership": _home,
    "organisations.RoleGrant": _home,
    "guides.Resource": lambda row: reverse("guides:resource-list"),
    "plans.ActionPlan": _plan_list,
    "plans.PolicyArea": _commitment_list,
    "plans.PlanInfluence": _plan_list,
    "commitments.Commitment": _commitment_list,
    "commitments.Milestone": _commitment,
    "commitments.ProgressUpdate": _commitment,
    "commitments.CommitmentImport": _commitment_list,
    "commitments.CommitmentImportLock": _commitment_list,
    "commitments.CommitmentPartner": _commitment,
    "commitments.ShadowAssessment": _commitment,
    "consultations.Consultation": _consultation_list,
    "consultations.NoticeChange": _consultation,
    "consultations.ConsultationDocument": _consultation,
    "consultations.GuidingQuestion": _consultation,
    "consultations.Answer": lambda row: _consultation(row.question),
    "consultations.OfflineEvent": _consultation,
    "consultations.ReasonedResponse": _ledger,
    "consultations.Proposal": lambda row: reverse(
        "consultations:proposal-list", args=[row.consultation_id]
    ),
    "consultations.ProposalAttachment": _proposal,
    "consultations.ProposalCommitmentLink": _proposal,
    "consultations.ProposalCosponsor": _proposal,
    "consultations.Comment": _comment,
    "consultations.InputCluster": _ledger,
    "consultations.InputEntry": _ledger,
    "consultations.ClusteringJob": _ledger,
    "consultations.ClusterEvent": _ledger,
    "consultations.ReconsiderationRequest": lambda row: _ledger(row.entry),
    "forums.Forum": _home,
    "forums.SeatAllocation": _home,
    "forums.ForumSeat": _home,
    "forums.WorkingGroup": _home,
    "forums.WorkingGroupMember": _home,
    "forums.ForumMeeting": _home,
    "forums.MeetingAttendance": _home,
    "forums.ActionItem": _home,
    "forums.Decision": _plan_list,
    "forums.SeatVote": _home,
    "forums.SelectionRound": _home,
    "forums.Nomination": _home,
    "forums.Ballot": _home,
    "forums.BallotChoice": _home,
    "forums.TechnicalSecretariatMember": _home,
    "forums.MinutesSignature": _home,
    "forums.Thread": _home,
    "forums.Post": _home,
    "records.RepositoryDocument": _plan_list,
    "records.OutreachActivity": _plan_list,
    "records.DashboardSnapshot": _home,
}

# Registered, but no public page shows their rows (what they change shows elsewhere).
NOT_SHOWN = {
    "consultations.Support": "counted in Proposal.support_count, written with it",
    "consultations.Flag": "seen by moderators only",
    "consultations.ReminderSignup": "a reader's own reminder, never on a public page",
}


# `make demo` has no row of these yet (add one there, then drop it here): only the registry
# covers them. A model missing from the demo and from this list fails the test.
NO_DEMO_ROW = {
    "commitments.CommitmentImport",
    "commitments.CommitmentImportLock",
    "consultations.NoticeChange",
    "consultations.ConsultationDocument",
    "consultations.ProposalAttachment",
    "consultations.ClusteringJob",
}


def test_every_registered_model_has_a_witness_page():
    labels = {model._meta.label for model in page_cache.registered_models()}
    missing = sorted(labels - set(WITNESS) - set(NOT_SHOWN))
    assert not missing, (
        f"Registered with the page cache but no witness page in {__file__}: {missing}. "
        "Add the cached public page that shows each model's rows to WITNESS."
    )
    assert set(WITNESS) | set(NOT_SHOWN) <= labels, "a witness names a model not registered"


def _first_field(model) -> str:
    return next(
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, models.FileField)
    )


def _write_paths(model, row):
    """Each way to write a row: save, QuerySet.update, delete, then bulk_create (the deleted
    row back, so no unique constraint stands in the way)."""
    field = _first_field(model)
    kept = copy.copy(row)
    yield "save", row.save
    yield "QuerySet.update", lambda: model.objects.filter(pk=row.pk).update(**{field: F(field)})
    yield "delete", row.delete
    yield "bulk_create", lambda: model.objects.bulk_create([kept])


def _stored(url: str) -> bool:
    Client().get(url)
    again = Client().get(url)
    return again.status_code == 200 and again.get("X-Page-Cache") == "hit"


def _shown_row(model, witness):
    """A demo row whose witness page is public (the first rows may be drafts)."""
    for row in model.objects.order_by("pk")[:25]:
        url = witness(row)
        if _stored(url):
            return row, url
    return None, None


def test_every_write_of_every_content_model_refreshes_the_pages_that_show_it(settings):
    settings.PAGE_CACHE_SECONDS = 600
    call_command("load_demo", quiet_logins=True)
    stale, unchecked = [], []
    for model in page_cache.registered_models():
        label = model._meta.label
        if label in NOT_SHOWN:
            continue
        row, url = _shown_row(model, WITNESS[label])
        if row is None:
            if label not in NO_DEMO_ROW:
                unchecked.append(f"{label}: no demo row shows on a cached public page")
            continue
        with transaction.atomic():
            for how, write in _write_paths(model, row):
                assert _stored(url), f"{label}: witness {url} is not a cached public page"
                try:
                    with transaction.atomic():
                        write()
                except models.ProtectedError:
                    break  # nothing written (a member with plans): no page can be stale
                if Client().get(url).get("X-Page-Cache") == "hit":
                    stale.append(f"{label}: after {how}, {url} still served from the cache")
            transaction.set_rollback(True)
    assert not stale, "\n".join(stale)
    assert not unchecked, "\n".join(unchecked)

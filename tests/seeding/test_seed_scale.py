"""The scale seed (manage.py seed_scale) at a tiny scale: reproducible, consistent counters,
the special cases the benchmarks need, and pages that render over the seeded data."""

import datetime as dt
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, Milestone
from consultations.models import Comment, Consultation, Proposal, ReasonedResponse, Support
from forums.models import ForumMeeting
from ogp_portal.organisations.models import Member
from ogp_portal.seeding.scale import PASSWORD
from plans.models import ActionPlan
from records.models import RepositoryDocument

pytestmark = pytest.mark.django_db

SCALE = 0.0005
TODAY = dt.date(2026, 3, 1)

DIGESTED = [
    (get_user_model(), ("id", "email", "name")),
    (Member, ("id", "slug", "iso_code", "member_type")),
    (ActionPlan, ("id", "member_id", "title", "period_start", "period_end", "status")),
    (Commitment, ("id", "ogp_id", "plan_id", "title", "status", "start_date")),
    (Milestone, ("id", "commitment_id", "due_date", "status")),
    (Consultation, ("id", "plan_id", "title", "opens_at", "closes_at", "audience")),
    (
        Proposal,
        (
            "id",
            "consultation_id",
            "author_id",
            "title",
            "status",
            "submission_token",
            "support_count",
            "comment_count",
            "submitted_at",
        ),
    ),  # fmt: skip
    (
        Comment,
        ("id", "proposal_id", "commitment_id", "parent_id", "author_id", "body", "created_at"),
    ),  # fmt: skip
    (Support, ("id", "proposal_id", "user_id")),
    (ForumMeeting, ("id", "forum_id", "title", "starts_at", "status")),
    (RepositoryDocument, ("id", "member_id", "title", "published_at")),
]


def _seed(**options):
    call_command("seed_scale", scale=SCALE, today=options.pop("today", TODAY), **options)


def _digest() -> str:
    digest = hashlib.sha256()
    for model, fields in DIGESTED:
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _seeded_digest(**options) -> str:
    """Seed, digest, and roll the seed back: the next run starts from the same database."""
    with transaction.atomic():
        _seed(**options)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


def test_same_seed_gives_the_same_data_and_another_seed_differs():
    first = _seeded_digest(seed=7)
    assert _seeded_digest(seed=7) == first
    assert _seeded_digest(seed=8) != first
    assert _seeded_digest(seed=7, today=TODAY + dt.timedelta(days=1)) != first


@pytest.fixture
def seeded(db):
    """Seeded at the real date, as the benchmarks run it."""
    _seed(seed=1, today=timezone.now().date())


def test_counters_equal_the_rows(seeded):
    proposals = Proposal.objects.annotate(
        n_supports=Count("supports", distinct=True),
        n_comments=Count("comments", filter=Q(comments__deleted_at__isnull=True), distinct=True),
    )
    assert proposals.exists()
    for proposal in proposals:
        assert proposal.support_count == proposal.n_supports
        assert proposal.comment_count == proposal.n_comments
    assert Support.objects.count() > 0
    assert Comment.objects.filter(parent__isnull=False).exists()
    # Replies answer a top-level comment of the same proposal (one level of replies).
    assert not Comment.objects.filter(parent__parent__isnull=False).exists()
    replies = Comment.objects.exclude(parent=None)
    assert not replies.exclude(proposal=F("parent__proposal")).exists()


def test_special_cases_exist(seeded):
    now = timezone.now()
    big = Consultation.objects.annotate(n=Count("proposals")).order_by("-n", "pk").first()
    assert big.pk == Consultation.objects.order_by("pk").first().pk
    assert big.opens_at <= now < big.closes_at  # open for the comment/support benchmark
    top = Proposal.objects.order_by("-comment_count", "pk").first()
    assert top.pk == Proposal.objects.order_by("pk").first().pk
    assert top.consultation_id == big.pk
    assert (
        top.comment_count
        > Proposal.objects.exclude(pk=top.pk)
        .order_by("-comment_count")
        .values_list("comment_count", flat=True)
        .first()
    )
    # Closed consultations with reasoned responses, some commitment links, every decision
    # in a closed window answered.
    closed = Consultation.objects.filter(closes_at__lte=now)
    assert ReasonedResponse.objects.filter(consultation__in=closed).exists()
    decided = Proposal.objects.exclude(status__in=["draft", "submitted", "under_review"])
    assert not decided.filter(response__isnull=True).exists()
    # Deadlines around today: overdue, within 14 days, far ahead; meetings coming up.
    today = timezone.localdate()
    pending = Milestone.objects.exclude(status="complete")
    assert pending.filter(due_date__lt=today).exists()
    assert pending.filter(due_date__range=(today, today + dt.timedelta(days=14))).exists()
    assert pending.filter(due_date__gt=today + dt.timedelta(days=180)).exists()
    assert pending.filter(due_date__gte=today).count() >= 100_000 * SCALE
    assert ForumMeeting.objects.filter(starts_at__gt=now, status="scheduled").exists()
    assert ForumMeeting.objects.filter(status="minutes_published").exists()
    # Unique constraints held (the inserts bypass the ORM).
    assert Support.objects.values("proposal", "user").distinct().count() == Support.objects.count()


def test_pages_render_and_seeded_people_can_take_part(seeded, client):
    big = Consultation.objects.order_by("pk").first()
    proposal = Proposal.objects.order_by("pk").first()
    commitment = Commitment.objects.filter(plan__status="implementation").first()
    member = Member.objects.order_by("pk").first()
    for url in (
        reverse("consultations:consultation-list"),
        reverse("consultations:consultation-detail", args=[big.pk]),
        reverse("consultations:proposal-list", args=[big.pk]),
        reverse("consultations:proposal-list", args=[big.pk]) + "?page=2",
        reverse("consultations:proposal-detail", args=[proposal.pk]),
        reverse("commitments:commitment-list") + "?q=open+data",
        reverse("commitments:commitment-detail", args=[commitment.ogp_id]),
        reverse("plans:plan-detail", args=[commitment.plan_id]),
        reverse("forums:forum-detail", args=[member.slug]),
        reverse("records:repository", args=[member.slug]),
        reverse("forums:meeting-list", args=[member.slug]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.login(email="scale-user-000001@example.org", password=PASSWORD)
    response = client.post(
        reverse("consultations:comment-create"),
        {"proposal": proposal.pk, "body": "Benchmark comment.", "show_name": "on"},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body="Benchmark comment.").exists()


def test_refuses_a_database_with_other_data_or_scale_data_already(db):
    get_user_model().objects.create_user(email="dev@example.org", password="x")
    with pytest.raises(CommandError, match="already holds data"):
        _seed(seed=1)
    _seed(seed=1, force=True)
    with pytest.raises(CommandError, match="already holds scale data"):
        _seed(seed=1, force=True)

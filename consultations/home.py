"""The consultations' part of the home page: windows open now and coming (with their
deadlines), and the latest published reasoned responses."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from consultations.models import Consultation, Proposal

SHOWN = 6


def home_consultations(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    visible = Consultation.objects.visible_to(request.user).filter(
        notice_published_at__isnull=False
    )
    windows = list(
        visible.filter(closes_at__gt=now)
        .select_related("plan__member")
        .order_by("closes_at", "pk")[:SHOWN]
    )
    return {"windows": windows, "now": now}


def home_responses(request: HttpRequest) -> dict[str, Any]:
    visible = Consultation.objects.visible_to(request.user).filter(
        notice_published_at__isnull=False
    )
    responses = list(
        Proposal.objects.published()
        .filter(consultation__in=visible, response__published_at__isnull=False)
        .select_related("response", "consultation__plan__member")
        .order_by("-response__published_at", "-pk")[:SHOWN]
    )
    return {"responses": responses}

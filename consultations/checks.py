"""The adoption checks consultations register with plans (OGP minimum requirement 4.1): no
window of the plan is open or scheduled, and every input has a published reasoned response
(a draft or one in review does not count)."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from plans.adoption import AdoptionProblem

from .choices import InputKind
from .models import Consultation, InputEntry, Proposal


def _ledger_url(plan, **query: str) -> str:
    url = reverse("ledger:input-list", args=[plan.pk])
    return f"{url}?{urlencode(query)}" if query else url


def windows_open_or_scheduled(plan) -> list[AdoptionProblem]:
    """A window still open or not yet open could bring input the adopted plan never answers."""
    now = timezone.now()
    problems = []
    for consultation in Consultation.objects.filter(plan=plan, closes_at__gt=now).order_by(
        "opens_at", "pk"
    ):
        text = (
            _("The consultation “%(title)s” is still open.")
            if consultation.opens_at <= now
            else _("The consultation “%(title)s” has not opened yet.")
        ) % {"title": consultation.title}
        problems.append(AdoptionProblem(text, consultation.get_absolute_url()))
    return problems


def proposals_without_response(plan) -> list[AdoptionProblem]:
    missing = list(
        Proposal.objects.published()
        .filter(consultation__plan=plan)
        .filter(response__published_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "title")[:50]
    )
    if not missing:
        return []
    listed = "; ".join(f"P-{pk} “{title}”" for pk, title in missing)
    return [
        AdoptionProblem(
            _("These proposals still need a published reasoned response: %(list)s.")
            % {"list": listed},
            _ledger_url(plan, kind=InputKind.PROPOSAL, decision="none"),
        )
    ]


def inputs_without_response(plan) -> list[AdoptionProblem]:
    """One problem per kind of input (proposals have their own check, which reads the
    proposals themselves) that still lacks a published response."""
    counts = dict(
        InputEntry.objects.counted()
        .filter(plan=plan)
        .exclude(kind=InputKind.PROPOSAL)
        .unanswered()
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [
        AdoptionProblem(
            _("%(kind)s: %(n)s without a published response.")
            % {"kind": InputKind(kind).label, "n": n},
            _ledger_url(plan, kind=kind, decision="none"),
        )
        for kind, n in sorted(counts.items(), key=lambda kv: list(InputKind).index(kv[0]))
    ]

"""The collections of the public read API. Each reads through records/api/selectors.py (what
an anonymous visitor of the site sees) and filters with records/api/filters.py."""

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request

from . import filters, selectors, serializers
from .base import PublicReadViewSet

# Rows that every site-wide page shows (plans, commitments, members, organisations, forums):
# any write of them changes the "site" scope of the page cache.
SITE = ("site",)


def _one_id(request: Request, name: str) -> int | None:
    """The value of a filter given once as a plain id, else None."""
    values = request.query_params.getlist(name)
    if len(values) == 1 and values[0].isascii() and values[0].isdigit():
        return int(values[0])
    return None


def _described(name: str, plural: str) -> Callable[[type], type]:
    """Schema summaries for a collection's list and detail operations."""
    return extend_schema_view(
        list=extend_schema(summary=f"List {plural}"),
        retrieve=extend_schema(summary=f"One {name}"),
    )


@_described("member", "members")
class MemberViewSet(PublicReadViewSet):
    """OGP members (national and local governments). A member is named by its slug."""

    cache_scopes = SITE
    serializer_class = serializers.MemberSerializer
    filterset_class = filters.MemberFilter
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        return selectors.api_members()


@_described("organisation", "organisations")
class OrganisationViewSet(PublicReadViewSet):
    """Verified organisations: public fields only (no contact details)."""

    cache_scopes = SITE
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.ApiOrganisationFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_organisations()


@_described("action plan", "action plans")
class PlanViewSet(PublicReadViewSet):
    """Action plans past their internal draft, with their narrative sections."""

    cache_scopes = SITE
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_plans()


@_described("policy area", "policy areas")
class PolicyAreaViewSet(PublicReadViewSet):
    cache_scopes = SITE
    serializer_class = serializers.PolicyAreaSerializer
    filterset_class = filters.PolicyAreaFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_policy_areas()


@_described("commitment", "commitments")
class CommitmentViewSet(PublicReadViewSet):
    """Public commitments in the OGP template. A commitment is named by its OGP ID."""

    cache_scopes = SITE
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filters.ApiCommitmentFilter
    lookup_field = "ogp_id"

    def get_queryset(self) -> QuerySet:
        return selectors.api_commitments().select_related("lead_organisation")


@_described("milestone", "milestones")
class MilestoneViewSet(PublicReadViewSet):
    cache_scopes = SITE
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_milestones()


@_described("progress update", "progress updates")
class ProgressUpdateViewSet(PublicReadViewSet):
    cache_scopes = SITE
    serializer_class = serializers.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_progress_updates()


@_described("consultation", "consultations")
class ConsultationViewSet(PublicReadViewSet):
    """Announced consultation windows."""

    serializer_class = serializers.ConsultationSerializer
    filterset_class = filters.ConsultationFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_consultations()


@_described("proposal", "proposals")
class ProposalViewSet(PublicReadViewSet):
    """Submitted proposals, each with its reasoned response once published."""

    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter

    def list_scopes(self, request: Request) -> tuple[str, ...] | None:
        """One consultation's proposals (a proposal's save or support count changes its
        consultation's scope); the list across consultations is not kept."""
        consultation = _one_id(request, "consultation")
        return None if consultation is None else ("site", f"consultation:{consultation}")

    def get_queryset(self) -> QuerySet:
        return selectors.api_proposals()


@_described("answer", "answers")
class AnswerViewSet(PublicReadViewSet):
    """Answers to consultations' guiding questions, each with its response once published."""

    cache_scopes = SITE
    serializer_class = serializers.AnswerSerializer
    filterset_class = filters.AnswerFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_answers()


@_described("input", "inputs")
class InputViewSet(PublicReadViewSet):
    """Every public input of a plan's ledger (proposals, answers, comments, offline and forum
    input, monitoring comments), each with its response once published."""

    serializer_class = serializers.InputSerializer
    filterset_class = filters.InputFilter

    def list_scopes(self, request: Request) -> tuple[str, ...] | None:
        """One plan's ledger (an input saved changes its plan's ledger scope); the ledger
        across plans is not kept."""
        plan = _one_id(request, "plan")
        return None if plan is None else ("site", "ledger", f"ledger:{plan}")

    def get_queryset(self) -> QuerySet:
        return selectors.api_inputs()


@_described("forum", "forums")
class ForumViewSet(PublicReadViewSet):
    """Multi-stakeholder forums with their seats per sector."""

    cache_scopes = SITE
    serializer_class = serializers.ForumSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.api_forums()


@_described("meeting", "meetings")
class MeetingViewSet(PublicReadViewSet):
    """Forum and working-group meetings; minutes and decisions once published."""

    cache_scopes = SITE
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_meetings()


@_described("decision", "decisions")
class DecisionViewSet(PublicReadViewSet):
    """Decisions recorded in published minutes."""

    cache_scopes = SITE
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_decisions()


@_described("seat", "seats")
class SeatViewSet(PublicReadViewSet):
    """Who sits on each forum today."""

    serializer_class = serializers.SeatSerializer
    filterset_class = filters.SeatFilter

    def get_queryset(self) -> QuerySet:
        return selectors.api_seats()

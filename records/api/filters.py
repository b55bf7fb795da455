"""Filters of the API's collections: the site's own FilterSets where a list page has one
(commitments, organisations), small ones in the same style for the other collections.

Members are named by their slug everywhere in the API (`?member=member-a`), as in open data.
"""

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from commitments.choices import MilestoneStatus
from commitments.filters import CommitmentFilter
from commitments.models import Milestone, ProgressUpdate
from consultations.choices import (
    ConsultationKind,
    InputChannel,
    InputKind,
    ProposalStatus,
    ResponseDecision,
    SubmitterType,
)
from consultations.models import Answer, Consultation, InputEntry, Proposal
from forums.choices import MeetingKind, MeetingStatus, SeatRole, Sector
from forums.models import Decision, ForumMeeting, ForumSeat
from ogp_portal.organisations.choices import MemberStatus, MemberType
from ogp_portal.organisations.filters import OrganisationFilter
from ogp_portal.organisations.models import Member
from plans.choices import PlanStatus, StandardsVersion
from plans.models import ActionPlan, PolicyArea


def _member(field_name: str) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, label=_("Member (short name)"))


class WholeNumberField(forms.IntegerField):
    """An integer; present but empty (`?plan=`) is refused: the schema says integer."""

    def to_python(self, value: Any) -> int | None:
        if value == "":
            raise forms.ValidationError(_("Enter a whole number."), code="invalid")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (the schema says "integer"). One outside [low, high] matches nothing
    rather than failing: no record has it, and the database never sees a number too large
    for its column."""

    field_class = WholeNumberField

    def __init__(self, *args: Any, low: int = 1, high: int = 2**63 - 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.low, self.high = low, high

    def filter(self, qs: Any, value: Any) -> Any:
        if value is not None and not self.low <= value <= self.high:
            return qs.none()
        return super().filter(qs, value)


def _id(field_name: str, label: Any) -> IntegerFilter:
    """A related record by its id. A number, not a choice of rows: an id that is not public
    gives an empty list, exactly as an id that does not exist."""
    return IntegerFilter(field_name=field_name, label=label)


class ApiCommitmentFilter(CommitmentFilter):
    """The commitments page's filters, for an anonymous reader, with the member by slug."""

    member = _member("plan__member__slug")
    plan = _id("plan_id", _("Plan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("user", None)
        super().__init__(*args, user=AnonymousUser(), **kwargs)


class ApiOrganisationFilter(OrganisationFilter):
    member = _member("member__slug")


class MemberFilter(django_filters.FilterSet):
    member_type = django_filters.ChoiceFilter(choices=MemberType.choices, label=_("Type"))
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("Status"))

    class Meta:
        model = Member
        fields = ["member_type", "status"]


class PlanFilter(django_filters.FilterSet):
    member = _member("member__slug")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("Status"))
    standards_version = django_filters.ChoiceFilter(
        choices=StandardsVersion.choices, label=_("Rule set")
    )

    class Meta:
        model = ActionPlan
        fields = ["member", "status", "standards_version"]


class PolicyAreaFilter(django_filters.FilterSet):
    plan = _id("plan_id", _("Plan"))
    member = _member("plan__member__slug")

    class Meta:
        model = PolicyArea
        fields = ["plan", "member"]


class MilestoneFilter(django_filters.FilterSet):
    commitment = django_filters.CharFilter(field_name="commitment__ogp_id", label=_("OGP ID"))
    plan = _id("commitment__plan_id", _("Plan"))
    member = _member("commitment__plan__member__slug")
    status = django_filters.ChoiceFilter(choices=MilestoneStatus.choices, label=_("Status"))

    class Meta:
        model = Milestone
        fields = ["commitment", "plan", "member", "status"]


class ProgressUpdateFilter(django_filters.FilterSet):
    milestone = _id("milestone_id", _("Milestone"))
    commitment = django_filters.CharFilter(field_name="commitment__ogp_id", label=_("OGP ID"))
    plan = _id("commitment__plan_id", _("Plan"))
    member = _member("commitment__plan__member__slug")

    class Meta:
        model = ProgressUpdate
        fields = ["commitment", "milestone", "plan", "member"]


class ConsultationFilter(django_filters.FilterSet):
    plan = _id("plan_id", _("Plan"))
    member = _member("plan__member__slug")
    kind = django_filters.ChoiceFilter(choices=ConsultationKind.choices, label=_("Kind"))

    class Meta:
        model = Consultation
        fields = ["plan", "member", "kind"]


class ProposalFilter(django_filters.FilterSet):
    """The proposal list page's filters (status), with the consultation, plan and member."""

    consultation = _id("consultation_id", _("Consultation"))
    plan = _id("consultation__plan_id", _("Plan"))
    member = _member("consultation__plan__member__slug")
    status = django_filters.ChoiceFilter(
        choices=[c for c in ProposalStatus.choices if c[0] != ProposalStatus.DRAFT],
        label=_("Status"),
    )
    submitter_type = django_filters.ChoiceFilter(
        choices=SubmitterType.choices, label=_("Submitted as")
    )

    class Meta:
        model = Proposal
        fields = ["consultation", "plan", "member", "status", "submitter_type"]


class AnswerFilter(django_filters.FilterSet):
    consultation = _id("question__consultation_id", _("Consultation"))
    question = _id("question_id", _("Question"))

    class Meta:
        model = Answer
        fields = ["consultation", "question"]


class InputFilter(django_filters.FilterSet):
    """The ledger page's filters (kind, decision, policy area, consultation), with the plan,
    the member and the channel."""

    plan = _id("plan_id", _("Plan"))
    member = _member("plan__member__slug")
    consultation = _id("consultation_id", _("Consultation"))
    policy_area = _id("policy_area_id", _("Policy area"))
    kind = django_filters.ChoiceFilter(choices=InputKind.choices, label=_("Kind of input"))
    channel = django_filters.ChoiceFilter(choices=InputChannel.choices, label=_("Channel"))
    decision = django_filters.ChoiceFilter(
        choices=ResponseDecision.choices, method="filter_decision", label=_("Decision")
    )

    class Meta:
        model = InputEntry
        fields = ["plan", "member", "consultation", "policy_area", "kind", "channel", "decision"]

    def filter_decision(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.answered().filter(response__decision=value)


class MeetingFilter(django_filters.FilterSet):
    """The meetings page's filters (kind, year), with the forum's member."""

    forum = _id("forum_id", _("Forum"))
    member = _member("forum__member__slug")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    year = IntegerFilter(field_name="starts_at", lookup_expr="year", high=9999, label=_("Year"))

    class Meta:
        model = ForumMeeting
        fields = ["forum", "member", "kind", "status", "year"]


class DecisionFilter(django_filters.FilterSet):
    forum = _id("meeting__forum_id", _("Forum"))
    meeting = _id("meeting_id", _("Meeting"))

    class Meta:
        model = Decision
        fields = ["forum", "meeting"]


class SeatFilter(django_filters.FilterSet):
    forum = _id("forum_id", _("Forum"))
    member = _member("forum__member__slug")
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    role = django_filters.ChoiceFilter(choices=SeatRole.choices, label=_("Role"))

    class Meta:
        model = ForumSeat
        fields = ["forum", "member", "sector", "role"]

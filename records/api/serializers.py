"""How each public record is written in the API: the fields a visitor sees on its page, and
nothing else. Never an author, an e-mail address, a portal account or a contact detail; a
response only once it is published; a meeting's decisions and minutes only once its minutes
are published.

Related records are referred to by their ids in the API (`plan`, `commitment`, …) and each
record carries `url`, its page on the site.
"""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commitments.models import Commitment, Milestone, ProgressUpdate
from consultations.models import Answer, Consultation, InputEntry, Proposal, ReasonedResponse
from forums.models import Decision, Forum, ForumMeeting, ForumSeat
from ogp_portal.organisations.models import Member, Organisation
from plans.models import ActionPlan, PolicyArea


class PageUrlField(serializers.Field):
    """The record's page on the site, as an absolute address."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        request = self.context.get("request")
        path = value.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


extend_schema_field({"type": "string", "format": "uri"})(PageUrlField)


class OrganisationRefSerializer(serializers.ModelSerializer):
    """An organisation named on a record, when it is verified (listed on the site)."""

    class Meta:
        model = Organisation
        fields = ["id", "name"]


def _verified(organisation: Organisation | None) -> dict[str, Any] | None:
    if organisation is None or not organisation.is_verified:
        return None
    return {"id": organisation.pk, "name": organisation.name}


class MemberSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    class Meta:
        model = Member
        fields = [
            "slug", "name", "member_type", "iso_code", "languages", "time_zone", "status",
            "website_url", "url",
        ]  # fmt: skip


class OrganisationSerializer(serializers.ModelSerializer):
    member: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    url = PageUrlField()

    class Meta:
        model = Organisation
        # No contact e-mail: the API never carries an e-mail address.
        fields = [
            "id",
            "name",
            "kind",
            "member",
            "description",
            "website_url",
            "verified_at",
            "url",
        ]


class PlanSerializer(serializers.ModelSerializer):
    member: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    url = PageUrlField()

    class Meta:
        model = ActionPlan
        fields = [
            "id", "member", "sequence_no", "title", "period_start", "period_end",
            "standards_version", "status", "primary_language", "vision", "efforts_to_date",
            "development_process", "co_creation_timeline", "notice_published_at", "url",
        ]  # fmt: skip


class PolicyAreaSerializer(serializers.ModelSerializer):
    components = serializers.ListField(
        source="component_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = PolicyArea
        fields = ["id", "plan", "name", "description", "components", "position"]


class CommitmentSerializer(serializers.ModelSerializer):
    member: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        source="plan.member", slug_field="slug", read_only=True
    )
    lead_organisation = serializers.SerializerMethodField()
    supporting_organisations = serializers.SerializerMethodField()
    irm_assessment = serializers.DictField(read_only=True)
    url = PageUrlField()

    class Meta:
        model = Commitment
        fields = [
            "ogp_id", "plan", "member", "position", "title", "summary", "brief_description",
            "problem", "causes", "done_so_far", "solution", "expected_results",
            "access_to_information", "access_to_information_explanation",
            "civic_participation", "civic_participation_explanation",
            "public_accountability", "public_accountability_explanation",
            "technology_innovation", "technology_innovation_explanation",
            "lead_institution", "lead_organisation", "supporting_organisations",
            "support_government", "support_civil_society", "support_other", "policy_area",
            "start_date", "end_date", "budget", "links_to_other_plans", "status",
            "withdrawn_reason", "irm_assessment", "updated_at", "url",
        ]  # fmt: skip

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_lead_organisation(self, commitment: Commitment) -> dict[str, Any] | None:
        return _verified(commitment.lead_organisation)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_supporting_organisations(self, commitment: Commitment) -> list[int]:
        # Prefetched with verified organisations only (selectors.api_commitments).
        return [organisation.pk for organisation in commitment.supporting_organisations.all()]


class MilestoneSerializer(serializers.ModelSerializer):
    commitment: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="ogp_id", read_only=True
    )

    class Meta:
        model = Milestone
        fields = [
            "id", "commitment", "position", "description", "expected_output", "start_date",
            "due_date", "responsible_actors", "status", "updated_at",
        ]  # fmt: skip


class ProgressUpdateSerializer(serializers.ModelSerializer):
    commitment: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="ogp_id", read_only=True
    )
    evidence_file_url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id", "commitment", "milestone", "milestone_status", "narrative", "evidence_url",
            "evidence_file_url", "created_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_file_url(self, update: ProgressUpdate) -> str | None:
        if not update.evidence_file:
            return None
        path = reverse("commitments:evidence-download", args=[update.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ConsultationSerializer(serializers.ModelSerializer):
    window_state = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = Consultation
        fields = [
            "id", "plan", "title", "kind", "audience", "description", "channels",
            "notice_published_at", "opens_at", "closes_at", "window_state",
            "summary_published_at", "url",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=["scheduled", "open", "closed"]))
    def get_window_state(self, consultation: Consultation) -> str:
        return str(consultation.window_state())


class ResponseSerializer(serializers.ModelSerializer):
    """A published reasoned response."""

    class Meta:
        model = ReasonedResponse
        fields = ["id", "decision", "reason", "published_at"]


# One field for every row: building a serializer per record (its fields, copied from the
# class each time) cost more than the rows' own fields on a page of 200.
_DATETIME = serializers.DateTimeField()


def _published_response(response: ReasonedResponse | None) -> dict[str, Any] | None:
    """What ResponseSerializer writes, without a serializer per record."""
    if response is None or response.published_at is None:
        return None
    return {
        "id": response.pk,
        "decision": response.decision,
        "reason": response.reason,
        "published_at": _DATETIME.to_representation(response.published_at),
    }


class ProposalSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = Proposal
        fields = [
            "id", "reference", "consultation", "submitter_type", "organisation", "title",
            "problem", "causes", "proposed_solution", "expected_results",
            "access_to_information", "civic_participation", "public_accountability",
            "technology_innovation", "policy_area", "suggested_lead_agency", "status",
            "merged_into", "support_count", "submitted_at", "response", "commitments", "url",
        ]  # fmt: skip

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, proposal: Proposal) -> dict[str, Any] | None:
        return _verified(proposal.organisation)

    @extend_schema_field(ResponseSerializer(allow_null=True))
    def get_response(self, proposal: Proposal) -> dict[str, Any] | None:
        return _published_response(proposal.response)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, proposal: Proposal) -> str | None:
        return f"P-{proposal.merged_into_id}" if proposal.merged_into_id else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_commitments(self, proposal: Proposal) -> list[str]:
        """OGP ids of the public commitments it became part of (prefetched)."""
        return [link.commitment.ogp_id for link in proposal.commitment_links.all()]


class AnswerSerializer(serializers.ModelSerializer):
    consultation = serializers.IntegerField(source="question.consultation_id", read_only=True)
    question_text = serializers.CharField(source="question.text", read_only=True)
    organisation = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = [
            "id", "consultation", "question", "question_text", "organisation", "body",
            "created_at", "response",
        ]  # fmt: skip

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, answer: Answer) -> dict[str, Any] | None:
        return _verified(answer.organisation)

    @extend_schema_field(ResponseSerializer(allow_null=True))
    def get_response(self, answer: Answer) -> dict[str, Any] | None:
        return _published_response(answer.response)


class InputSerializer(serializers.ModelSerializer):
    """One input of a plan's ledger: what was said, through which channel, and the published
    response (shared by every input of a confirmed group)."""

    organisation = serializers.SerializerMethodField()
    policy_area = serializers.CharField(
        source="policy_area.name", default=None, read_only=True, allow_null=True
    )
    group = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = InputEntry
        fields = [
            "id", "reference", "plan", "consultation", "kind", "channel", "title", "text",
            "organisation", "policy_area", "received_on", "created_at", "group", "response",
            "url",
        ]  # fmt: skip

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, entry: InputEntry) -> dict[str, Any] | None:
        return _verified(entry.organisation)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_group(self, entry: InputEntry) -> int | None:
        """The confirmed group (cluster) the input belongs to; a suggestion is not shown."""
        cluster = entry.cluster
        return cluster.pk if cluster is not None and cluster.confirmed_at else None

    @extend_schema_field(ResponseSerializer(allow_null=True))
    def get_response(self, entry: InputEntry) -> dict[str, Any] | None:
        return _published_response(entry.response)


class SeatAllocationSerializer(serializers.Serializer):
    sector = serializers.CharField()
    seats = serializers.IntegerField()


class ForumSerializer(serializers.ModelSerializer):
    member: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    seat_allocations = SeatAllocationSerializer(many=True, read_only=True)
    url = PageUrlField()

    class Meta:
        model = Forum
        fields = [
            "id", "member", "name", "mandate", "rules_of_participation", "chair_rotation",
            "chair_rotation_months", "chair_rotation_starts_on", "seat_allocations", "url",
        ]  # fmt: skip


class AttendanceSerializer(serializers.Serializer):
    sector = serializers.CharField()
    count = serializers.IntegerField()


class MeetingDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "position", "text"]


class MeetingSerializer(serializers.ModelSerializer):
    attendance = AttendanceSerializer(many=True, read_only=True)
    minutes_text = serializers.SerializerMethodField()
    minutes_file_url = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = ForumMeeting
        fields = [
            "id", "forum", "working_group", "plan", "title", "kind", "starts_at", "ends_at",
            "location", "online_url", "agenda", "status", "attendance", "minutes_published_at",
            "minutes_text", "minutes_file_url", "decisions", "url",
        ]  # fmt: skip

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes_text(self, meeting: ForumMeeting) -> str | None:
        return meeting.minutes_text if meeting.minutes_are_published else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_minutes_file_url(self, meeting: ForumMeeting) -> str | None:
        if not (meeting.minutes_are_published and meeting.minutes_file):
            return None
        path = reverse("forums:minutes-file", args=[meeting.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(MeetingDecisionSerializer(many=True))
    def get_decisions(self, meeting: ForumMeeting) -> list[dict[str, Any]]:
        """Recorded decisions, once the minutes are published; an empty list before."""
        if not meeting.minutes_are_published:
            return []
        # What MeetingDecisionSerializer writes, without a serializer per meeting.
        return [
            {"id": decision.pk, "position": decision.position, "text": decision.text}
            for decision in meeting.decisions.all()
        ]


class DecisionSerializer(serializers.ModelSerializer):
    forum = serializers.IntegerField(source="meeting.forum_id", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "forum", "meeting", "position", "text"]


class SeatSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = ForumSeat
        fields = [
            "id", "forum", "name", "organisation", "sector", "role", "term_starts_on",
            "term_ends_on", "selected_via",
        ]  # fmt: skip

    @extend_schema_field(OrganisationRefSerializer(allow_null=True))
    def get_organisation(self, seat: ForumSeat) -> dict[str, Any] | None:
        # The forum page names a seat's organisation whether or not it is verified.
        organisation = seat.organisation
        return {"id": organisation.pk, "name": organisation.name} if organisation else None

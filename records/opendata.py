"""Open data: the public record of plans, commitments, milestones and decisions on proposals,
as CSV and JSON files anyone may download and reuse (issue #6).

What a file holds is exactly what an anonymous visitor may see on the site: every queryset
starts from the models' own `visible_to(AnonymousUser())` / `published()` rules, so a draft
never reaches a file. Files are streamed: each dataset reads one queryset with
`iterator(chunk_size=…)` and `select_related`, and rows are written one at a time (CSV through
core.spreadsheets.csv_stream, formula-safe; JSON as one valid array written element by
element), so memory stays flat and the number of queries does not grow with the rows.

Texts are in the language they were written in (`language` column); the same IDs appear
in every file, so they join: `plan_id` (plans, commitments, milestones, decisions) and
`ogp_id` (commitments, milestones, and `commitment_ogp_ids` in decisions).

This lives in records/ because it reads across plans, commitments and consultations, and
records/ is the layer whose job is to read everything (shared/architecture.md).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commitments import interchange
from commitments.models import Commitment, Milestone
from consultations.models import (
    Consultation,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)
from consultations.selectors import report_proposals
from plans.models import ActionPlan

# Rows fetched per database round trip. The decisions file prefetches the commitment links
# of each chunk (one more query per chunk), so a file of N rows costs 1 + N/CHUNK_SIZE queries
# at most there, and one query for the other files.
CHUNK_SIZE = 2000

FORMATS = ("csv", "json")

# Confirm with the secretariat before launch (see the report on issue #6).
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Filters:
    member: str = ""
    plan: int | None = None


@dataclass(frozen=True)
class Column:
    name: str
    help: str | Promise


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str | Promise
    description: str | Promise
    columns: tuple[Column, ...]
    # The public records, filtered, ordered and ready to iterate.
    queryset: Callable[[Filters], QuerySet]
    # One record as {column: value}; `site` is the scheme and host for links.
    row: Callable[[Any, str], dict[str, Any]]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _public() -> AnonymousUser:
    return AnonymousUser()


def public_plans() -> QuerySet:
    """Plans an anonymous visitor sees: every plan past its internal draft."""
    return ActionPlan.objects.visible_to(_public())


def public_commitments() -> QuerySet:
    """Commitments an anonymous visitor sees: those of plans whose content is public (from
    the draft plan's public comment on)."""
    return Commitment.objects.visible_to(_public())


# The plan's narrative sections: long texts no file needs, left out of every row that joins
# a plan so that a chunk of rows stays small.
_PLAN_NARRATIVE = ("vision", "efforts_to_date", "development_process", "co_creation_timeline")


def _without_plan_narrative(prefix: str) -> tuple[str, ...]:
    return tuple(prefix + name for name in _PLAN_NARRATIVE)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _instant(value: dt.datetime | None) -> str:
    """An instant in UTC, ISO 8601 to the second."""
    return timezone.localtime(value, dt.UTC).isoformat(timespec="seconds") if value else ""


# --- plans --------------------------------------------------------------------------------

PLAN_COLUMNS = (
    Column("plan_id", _("The plan's number on this portal; other files refer to it.")),
    Column("member_slug", _("The member's short name, as in ?member= and the site's addresses.")),
    Column("member_iso2", _("Two-letter code of the member.")),
    Column("member_name", _("Name of the member.")),
    Column("sequence_no", _("1 for the member's first action plan, 2 for the second, …")),
    Column("title", _("Title of the plan.")),
    Column("period_start", _("First day of the plan period (YYYY-MM-DD).")),
    Column("period_end", _("Last day of the plan period (YYYY-MM-DD).")),
    Column("status", _("Stage of the plan cycle, as a code (for example implementation).")),
    Column("standards_version", _("The OGP standards the plan follows: 2017 or 2021.")),
    Column("language", _("The language the plan is written in.")),
    Column("notice_published_at", _("When the co-creation notice was published (UTC).")),
    Column("url", _("The plan's page on this portal.")),
)


def _plans(filters: Filters) -> QuerySet:
    plans = (
        public_plans().select_related("member").defer(*_without_plan_narrative("")).order_by("pk")
    )
    if filters.member:
        plans = plans.filter(member__slug=filters.member)
    if filters.plan:
        plans = plans.filter(pk=filters.plan)
    return plans


def _plan_row(plan: ActionPlan, site: str) -> dict[str, Any]:
    return {
        "plan_id": plan.pk,
        "member_slug": plan.member.slug,
        "member_iso2": plan.member.iso_code,
        "member_name": plan.member.name,
        "sequence_no": plan.sequence_no,
        "title": plan.title,
        "period_start": _date(plan.period_start),
        "period_end": _date(plan.period_end),
        "status": plan.status,
        "standards_version": plan.standards_version,
        "language": plan.primary_language,
        "notice_published_at": _instant(plan.notice_published_at),
        "url": site + plan.get_absolute_url(),
    }


# --- commitments --------------------------------------------------------------------------

# The columns of the commitments interchange file (ogp-domain.md §5), without the milestones,
# which have a file of their own; what each means is worded for readers here, not importers.
_COMMITMENT_HELP = {
    **interchange.COLUMN_HELP,
    "ogp_id": _("The OGP ID (for example XK0018); the milestones file refers to it."),
    "member_iso2": _("Two-letter code of the member."),
    "plan_period": _("The plan period, as start/end (YYYY-MM-DD/YYYY-MM-DD)."),
    "title": _("Title of the commitment."),
    "summary": _("Plain-language summary."),
    "lead_institution": _("The lead implementing institution."),
    "policy_areas": _("The policy area of the plan the commitment belongs to."),
    "values_flags": _(
        "The OGP values the commitment is relevant to, separated by |: "
        "access_to_information, civic_participation, public_accountability, "
        "technology_innovation."
    ),
    "start": _("Start date (YYYY-MM-DD)."),
    "end": _("End date (YYYY-MM-DD)."),
    "status": _("Implementation status: not_started, in_progress, complete or withdrawn."),
}

COMMITMENT_COLUMNS = (
    Column("plan_id", _("The plan's number (see the plans file).")),
    Column("member_slug", _("The member's short name.")),
    Column("language", _("The language the texts are written in.")),
    *(Column(name, _COMMITMENT_HELP[name]) for name in interchange.COLUMNS if name != "milestones"),
    Column("withdrawn_reason", _("Why the commitment was withdrawn, if it was.")),
    Column("url", _("The commitment's page on this portal.")),
)


def _commitments(filters: Filters) -> QuerySet:
    commitments = (
        public_commitments()
        .select_related("plan__member", "policy_area")
        .defer(*_without_plan_narrative("plan__"))
        .order_by("plan_id", "position", "ogp_id")
    )
    if filters.member:
        commitments = commitments.filter(plan__member__slug=filters.member)
    if filters.plan:
        commitments = commitments.filter(plan_id=filters.plan)
    return commitments


def _cell_value(value: Any) -> Any:
    """IRM data is kept as imported: strings, numbers or booleans; None becomes empty."""
    return "" if value is None else value


def _commitment_row(commitment: Commitment, site: str) -> dict[str, Any]:
    plan = commitment.plan
    row: dict[str, Any] = {
        "plan_id": plan.pk,
        "member_slug": plan.member.slug,
        "language": plan.primary_language,
        "ogp_id": commitment.ogp_id,
        "member_iso2": plan.member.iso_code,
        "plan_period": f"{_date(plan.period_start)}/{_date(plan.period_end)}",
    }
    row.update({column: getattr(commitment, f) for column, f in interchange.TEXT_FIELDS.items()})
    # No query when the area is unset: Django answers None from the empty foreign key.
    row["policy_areas"] = commitment.policy_area.name if commitment.policy_area else ""
    row["values_flags"] = "|".join(
        name for name in interchange.VALUE_NAMES if getattr(commitment, name)
    )
    row["start"] = _date(commitment.start_date)
    row["end"] = _date(commitment.end_date)
    row["status"] = commitment.status
    assessment = commitment.irm_assessment or {}
    row.update({column: _cell_value(assessment.get(column)) for column in interchange.IRM_COLUMNS})
    row["withdrawn_reason"] = commitment.withdrawn_reason
    row["url"] = site + commitment.get_absolute_url()
    return {column.name: row[column.name] for column in COMMITMENT_COLUMNS}


# --- milestones ---------------------------------------------------------------------------

# Named as the milestones of the commitments interchange file (interchange.MILESTONE_KEYS).
MILESTONE_COLUMNS = (
    Column("milestone_id", _("The milestone's number on this portal.")),
    Column("ogp_id", _("OGP ID of the commitment (see the commitments file).")),
    Column("plan_id", _("The plan's number (see the plans file).")),
    Column("position", _("Order of the milestone within its commitment.")),
    Column("language", _("The language the texts are written in.")),
    Column("description", _("What will be done.")),
    Column("expected_output", _("The expected output.")),
    Column("start", _("Start date (YYYY-MM-DD).")),
    Column("end", _("Expected completion date (YYYY-MM-DD).")),
    Column("responsible", _("The stakeholders responsible.")),
    Column("status", _("not_started, in_progress or complete.")),
)


def _milestones(filters: Filters) -> QuerySet:
    milestones = (
        Milestone.objects.filter(commitment__in=public_commitments())
        .select_related("commitment__plan")
        .only(
            *(field.name for field in Milestone._meta.concrete_fields),
            "commitment__ogp_id",
            "commitment__plan__primary_language",
        )
        .order_by(
            "commitment__plan_id", "commitment__position", "commitment__ogp_id", "position", "pk"
        )
    )
    if filters.member:
        milestones = milestones.filter(commitment__plan__member__slug=filters.member)
    if filters.plan:
        milestones = milestones.filter(commitment__plan_id=filters.plan)
    return milestones


def _milestone_row(milestone: Milestone, site: str) -> dict[str, Any]:
    commitment = milestone.commitment
    return {
        "milestone_id": milestone.pk,
        "ogp_id": commitment.ogp_id,
        "plan_id": commitment.plan_id,
        "position": milestone.position,
        "language": commitment.plan.primary_language,
        "description": milestone.description,
        "expected_output": milestone.expected_output,
        "start": _date(milestone.start_date),
        "end": _date(milestone.due_date),
        "responsible": milestone.responsible_actors,
        "status": milestone.status,
    }


# --- decisions on proposals ---------------------------------------------------------------

DECISION_COLUMNS = (
    Column("proposal_reference", _("The proposal's citable reference (P-12).")),
    Column("consultation_id", _("The consultation's number on this portal.")),
    Column("consultation_title", _("Title of the consultation.")),
    Column("plan_id", _("The plan consulted on (see the plans file).")),
    Column("member_slug", _("The member's short name.")),
    Column("proposal_title", _("Title of the proposal.")),
    Column("submitter_type", _("Who submitted it: cso, citizen, academia, private or government.")),
    Column(
        "organisation",
        _(
            "The organisation it was submitted on behalf of, when that organisation is "
            "verified and listed on the portal; empty otherwise. People's names are never "
            "included."
        ),
    ),
    Column(
        "decision",
        _(
            "The decision, as a code: accepted, partially_accepted, merged, deferred, "
            "not_accepted or out_of_scope."
        ),
    ),
    Column("reason", _("The published reasoned response.")),
    Column("merged_into", _("For a merged proposal: the reference of the one it joined.")),
    Column(
        "commitment_ogp_ids",
        _("OGP IDs of the public commitments the proposal became part of, separated by spaces."),
    ),
    Column("published_at", _("When the decision was published (UTC).")),
    Column("url", _("The proposal's page on this portal.")),
)


def _decisions(filters: Filters) -> QuerySet[Proposal]:
    public_links = (
        ProposalCommitmentLink.objects.filter(commitment__in=public_commitments())
        .select_related("commitment")
        .only("proposal", "commitment__ogp_id")
        .order_by("commitment__ogp_id")
    )
    # The report's proposals (consultations.selectors), decided ones only, of every public
    # consultation, with the public commitments they became.
    decisions = (
        report_proposals(
            Consultation.objects.visible_to(_public()),
            decided_only=True,
            commitment_links=public_links,
        )
        .select_related("consultation__plan__member")
        .only(
            "title",
            "submitter_type",
            "merged_into",
            "consultation__title",
            "consultation__plan__member__slug",
            "organisation__name",
            "organisation__verified_at",
            "response__decision",
            "response__reason",
            "response__published_at",
        )
        .order_by("consultation_id", "pk")
    )
    if filters.member:
        decisions = decisions.filter(consultation__plan__member__slug=filters.member)
    if filters.plan:
        decisions = decisions.filter(consultation__plan_id=filters.plan)
    return decisions


def _decision_row(proposal: Proposal, site: str) -> dict[str, Any]:
    consultation = proposal.consultation
    organisation = proposal.organisation
    # Never None here: the file holds decided proposals only (_decisions).
    response = cast(ReasonedResponse, proposal.response)
    return {
        "proposal_reference": proposal.reference,
        "consultation_id": consultation.pk,
        "consultation_title": consultation.title,
        "plan_id": consultation.plan_id,
        "member_slug": consultation.plan.member.slug,
        "proposal_title": proposal.title,
        "submitter_type": proposal.submitter_type,
        "organisation": organisation.name if organisation and organisation.is_verified else "",
        "decision": response.decision,
        "reason": response.reason,
        "merged_into": f"P-{proposal.merged_into_id}" if proposal.merged_into_id else "",
        "commitment_ogp_ids": " ".join(
            link.commitment.ogp_id for link in proposal.commitment_links.all()
        ),
        "published_at": _instant(response.published_at),
        "url": site + proposal.get_absolute_url(),
    }


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "plans",
            _("Action plans"),
            _("Every published action plan: member, period, stage of the cycle."),
            PLAN_COLUMNS,
            _plans,
            _plan_row,
        ),
        Dataset(
            "commitments",
            _("Commitments"),
            _(
                "The commitments of plans whose content is public (from the draft plan's "
                "public comment on), in the columns of the OGP commitment template, with "
                "IRM assessment data where it was imported."
            ),
            COMMITMENT_COLUMNS,
            _commitments,
            _commitment_row,
        ),
        Dataset(
            "milestones",
            _("Milestones"),
            _("The milestones of those commitments, one row each, with dates and status."),
            MILESTONE_COLUMNS,
            _milestones,
            _milestone_row,
        ),
        Dataset(
            "decisions",
            _("Decisions on proposals"),
            _(
                "The published reasoned responses to proposals made in public consultations: "
                "what was decided, and why."
            ),
            DECISION_COLUMNS,
            _decisions,
            _decision_row,
        ),
    )
}

# Inputs with responses, meetings, forum decisions and outreach (issue #17) live beside this
# module (500-line rule); they build on its Column, Dataset and filters, hence the late import.
from .opendata_record import RECORD_DATASETS  # noqa: E402

DATASETS.update({dataset.name: dataset for dataset in RECORD_DATASETS})

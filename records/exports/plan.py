"""The action plan PDF in the OGP template order: cover, contents, introduction and vision,
efforts to date, development process (with a summary of the consultations), one sheet per
commitment, and an annex of every input and its reasoned response, read from the plan's
ledger."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commitments.choices import OGP_VALUES
from commitments.models import Commitment, Milestone
from consultations.choices import InputKind, ProposalStatus
from consultations.models import Consultation, InputEntry, ReasonedResponse
from ogp_portal.core.exports import Progress
from ogp_portal.core.languages import text_direction
from ogp_portal.core.translations import attach_translations, translated
from ogp_portal.organisations.access import access_for
from plans.models import ActionPlan

from . import render_document

KIND = "plan"
MODEL = ActionPlan
TEMPLATE = "pdf/plan.html"
# The milestone fields the plan shows in the document's language where translated.
MILESTONE_TEXTS = ("description", "expected_output", "responsible_actors")


def can_export(user, plan: ActionPlan) -> bool:
    """The secretariat and the member's insiders (civil servants, forum members) export any
    plan, drafts included. Everyone else: a published plan whose commitments are public (the
    document contains the commitments, which stay working drafts until the draft plan goes
    out for public comment)."""
    if user.has_perm("plans.view_drafts_of_actionplan", plan) or access_for(user).is_secretariat:
        return True
    return not plan.is_draft and plan.commitments_are_public


def languages(plan: ActionPlan) -> list[str]:
    """The primary language first, then the languages it may be translated into."""
    return [plan.primary_language, *plan.translation_languages]


def filename(plan: ActionPlan, language: str) -> str:
    member = plan.member.iso_code or slugify(plan.member.name)
    return f"{member}-action-plan-{plan.sequence_no}-{language}.pdf"


def plan_document_for_export(plan: ActionPlan, language: str) -> dict:
    """Everything the document shows, in a fixed number of queries whatever the number of
    commitments, milestones or proposals (selector)."""
    plan = ActionPlan.objects.select_related("member").get(pk=plan.pk)
    areas = list(plan.policy_areas.order_by("position", "name", "pk"))
    commitments = list(
        Commitment.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "milestones", queryset=Milestone.objects.order_by("position", "due_date", "pk")
            )
        )
        .order_by("position", "ogp_id")
    )
    # Translations look up each record's plan for its primary language: share the one
    # loaded instance instead of a query per record. A commitment's policy area is one of
    # the areas already loaded (same instance, so it has its plan and translations too).
    for record in (*areas, *commitments):
        record.plan = plan
    areas_by_pk = {area.pk: area for area in areas}
    for commitment in commitments:
        # (Commitment.clean keeps the area in the plan; any other is loaded on its own.)
        if commitment.policy_area_id in areas_by_pk:
            commitment.policy_area = areas_by_pk[commitment.policy_area_id]
    milestones = [m for c in commitments for m in c.milestones.all()]
    attach_translations([plan, *areas, *commitments, *milestones], language)
    for commitment in commitments:
        commitment.values_for_pdf = [
            (label, translated(commitment, f"{name}_explanation", language))
            for name, label in OGP_VALUES
            if getattr(commitment, name)
        ]
    for milestone in milestones:
        milestone.texts_for_pdf = {
            name: translated(milestone, name, language) for name in MILESTONE_TEXTS
        }
    decided = Q(proposals__response__published_at__isnull=False) & ~Q(
        proposals__status=ProposalStatus.DRAFT
    )
    consultations = list(
        Consultation.objects.filter(plan=plan, notice_published_at__isnull=False)
        .annotate(
            proposal_count=Count(
                "proposals", filter=~Q(proposals__status=ProposalStatus.DRAFT), distinct=True
            ),
            decision_count=Count("proposals", filter=decided, distinct=True),
        )
        .order_by("opens_at", "pk")
    )
    responses = plan_annex_responses(plan)
    return {
        "plan": plan,
        "member": plan.member,
        "areas": areas,
        "commitments": commitments,
        "consultations": consultations,
        "responses": responses,
        "language": language,
        "direction": text_direction(language),
    }


# Inputs named beside each response in the annex; a group answered as one gives the count.
ANNEX_INPUTS_PER_RESPONSE = 20


@dataclass
class AnnexRow:
    response: ReasonedResponse
    inputs: list[tuple[str, str, str]] = field(default_factory=list)  # reference, title, kind
    count: int = 0


def plan_annex_responses(plan: ActionPlan) -> list[AnnexRow]:
    """The annex reads the plan's ledger: every published response with the public inputs it
    answers (co-creation input; comments during implementation come after the plan), the
    first few named and all counted. Two queries."""
    entries = (
        InputEntry.objects.public()
        .filter(plan=plan, response__published_at__isnull=False)
        .exclude(kind=InputKind.MONITORING)
    )
    rows = {
        r.pk: AnnexRow(response=r)
        for r in ReasonedResponse.objects.published()
        .filter(pk__in=entries.values("response_id"))
        .order_by("published_at", "pk")
    }
    kinds = dict(InputKind.choices)
    listed = entries.order_by("pk").values_list("response_id", "pk", "title", "kind")
    for response_pk, pk, title, kind in listed.iterator(chunk_size=5000):
        row = rows.get(response_pk)
        if row is None:
            continue
        row.count += 1
        if len(row.inputs) < ANNEX_INPUTS_PER_RESPONSE:
            row.inputs.append((f"I-{pk}", title, str(kinds.get(kind, kind))))
    return list(rows.values())


def build(plan: ActionPlan, language: str, progress: Progress) -> str:
    progress(10, _("Reading the plan and its commitments"))
    context = plan_document_for_export(plan, language)
    progress(25, _("Writing the document"))
    context["title"] = translated(context["plan"], "title", language)
    return render_document(TEMPLATE, context)

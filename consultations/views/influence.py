"""/plans/<id>/influence/: how input shaped the plan (issue #15, item 5). Counts by kind,
channel and decision, the flow input kind → decision → commitment as SVG charts with their
tables and CSV, and each commitment with the inputs it came from. Public for a published
plan; the commitments only once they are public (or for the member's insiders)."""

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.influence import Influence, decision_label, plan_influence
from ogp_portal.core.charts import Bar, Chart, Flow, Node, bar_chart, chart_csv_response, flow_chart
from plans.models import ActionPlan

CHARTS = ("kinds", "channels", "decisions", "flow")


def influence_charts(
    influence: Influence, *, base_url: str, with_commitments: bool
) -> dict[str, Chart]:
    """The four charts of the page, each with its CSV address (`?csv=<slug>`)."""

    def csv(slug: str) -> str:
        return f"{base_url}?csv={slug}"

    kinds = bar_chart(
        "kinds",
        _("Inputs by kind"),
        [Bar(label, n) for _code, label, n in influence.by_kind],
        label_header=_("Kind of input"),
        value_header=_("Inputs"),
        csv_url=csv("kinds"),
    )
    channels = bar_chart(
        "channels",
        _("Inputs by channel"),
        [Bar(label, n) for _code, label, n in influence.by_channel],
        label_header=_("Channel"),
        value_header=_("Inputs"),
        csv_url=csv("channels"),
    )
    decisions = bar_chart(
        "decisions",
        _("Inputs by decision"),
        [Bar(label, n) for _code, label, n in influence.by_decision],
        label_header=_("Decision"),
        value_header=_("Inputs"),
        csv_url=csv("decisions"),
    )
    kind_labels = {code: label for code, label, _n in influence.by_kind}
    used_kinds = {k for k, _d, _n in influence.kind_to_decision}
    used_decisions = {d for _k, d, _n in influence.kind_to_decision}
    columns: list[list[Node]] = [
        [Node(f"k:{c}", kind_labels[c]) for c, _l, _n in influence.by_kind if c in used_kinds],
        [
            Node(f"d:{c}", decision_label(c))
            for c, _l, _n in influence.by_decision
            if c in used_decisions
        ],
        [],
    ]
    flows = [Flow(f"k:{k}", f"d:{d}", n) for k, d, n in influence.kind_to_decision]
    if with_commitments:
        used = {c for _d, c, _n in influence.decision_to_commitment}
        columns[2] = [
            Node(f"c:{o.commitment.pk}", f"{o.commitment.ogp_id} {o.commitment.title}")
            for o in influence.commitments
            if o.commitment.pk in used
        ]
        flows += [Flow(f"d:{d}", f"c:{c}", n) for d, c, n in influence.decision_to_commitment]
    flow = flow_chart(
        "flow",
        _("From input to decision to commitment"),
        columns,
        flows,
        column_titles=[_("Input"), _("Decision"), _("Commitment")],
        value_header=_("Inputs"),
        description=_(
            "Each band joins a kind of input to the decision its response took, and a decision "
            "to the commitment it shaped; its width is the number of inputs. The table gives "
            "every number."
        ),
        csv_url=csv("flow"),
    )
    return {"kinds": kinds, "channels": channels, "decisions": decisions, "flow": flow}


def plan_influence_view(request: HttpRequest, plan_pk: int) -> HttpResponseBase:
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("member"), pk=plan_pk
    )
    with_commitments = plan.commitments_are_public or request.user.has_perm(
        "plans.view_drafts_of_actionplan", plan
    )
    influence = plan_influence(plan)
    if not with_commitments:
        influence.commitments = []
        influence.decision_to_commitment = []
    base_url = reverse("influence:plan-influence", args=[plan.pk])
    charts = influence_charts(influence, base_url=base_url, with_commitments=with_commitments)
    wanted = request.GET.get("csv")
    if wanted:
        if wanted not in charts:
            raise Http404
        return chart_csv_response(charts[wanted], f"plan-{plan.pk}-influence-{wanted}.csv")
    return render(
        request,
        "consultations/plan_influence.html",
        {
            "plan": plan,
            "influence": influence,
            "charts": charts,
            "with_commitments": with_commitments,
        },
    )

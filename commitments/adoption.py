"""The adoption check commitments register with plans: every commitment's template sections
are written (the plan PDF would otherwise print an empty sheet)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.adoption import AdoptionProblem

from .choices import CommitmentStatus
from .models import Commitment

COMMITMENT_SECTIONS = (
    ("brief_description", gettext_lazy("brief description")),
    ("problem", gettext_lazy("problem")),
    ("causes", gettext_lazy("causes")),
    ("done_so_far", gettext_lazy("what has been done so far")),
    ("solution", gettext_lazy("solution")),
    ("expected_results", gettext_lazy("expected results")),
)


def commitment_sections_empty(plan) -> list[AdoptionProblem]:
    """One problem per commitment with an empty section, naming the sections."""
    fields = [field for field, _label in COMMITMENT_SECTIONS]
    rows = (
        Commitment.objects.filter(plan=plan)
        .exclude(status=CommitmentStatus.WITHDRAWN)
        .order_by("ogp_id")
        .values_list("ogp_id", *fields)
    )
    problems = []
    for ogp_id, *texts in rows:
        empty = [
            str(label)
            for (_field, label), text in zip(COMMITMENT_SECTIONS, texts, strict=True)
            if not (text or "").strip()
        ]
        if empty:
            problems.append(
                AdoptionProblem(
                    _("Commitment %(id)s: not written yet: %(sections)s.")
                    % {"id": ogp_id, "sections": ", ".join(empty)},
                    reverse("commitments:commitment-edit", args=[ogp_id]),
                )
            )
    return problems

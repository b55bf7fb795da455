"""The interchange schema: columns, their help, value names and aliases, limits, and what a
row and a row's error are."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy

from commitments.choices import OGP_VALUES
from ogp_portal.core.errors import DomainError

# ogp-domain.md §5, in that order, with `summary` after `title`.
COLUMNS = (
    "ogp_id",
    "member_iso2",
    "plan_period",
    "title",
    "summary",
    "brief_description",
    "problem",
    "causes",
    "solution",
    "expected_results",
    "lead_institution",
    "support_gov",
    "support_cso",
    "support_other",
    "policy_areas",
    "values_flags",
    "start",
    "end",
    "milestones",
    "status",
    "irm_verifiable",
    "irm_lens",
    "irm_potential_for_results",
    "irm_completion",
    "irm_early_results",
    "legacy_specificity",
    "legacy_potential_impact",
    "legacy_dig",
    "starred",
)

# Text columns copied to a model field of the same meaning.
TEXT_FIELDS = {
    "title": "title",
    "summary": "summary",
    "brief_description": "brief_description",
    "problem": "problem",
    "causes": "causes",
    "solution": "solution",
    "expected_results": "expected_results",
    "lead_institution": "lead_institution",
    "support_gov": "support_government",
    "support_cso": "support_civil_society",
    "support_other": "support_other",
}

# IRM review data and legacy scores, kept verbatim in Commitment.irm_assessment.
IRM_COLUMNS = COLUMNS[COLUMNS.index("irm_verifiable") :]

VALUE_NAMES = tuple(name for name, _label in OGP_VALUES)

# Older spellings of the OGP values seen in IRM data and the 2014 database.
VALUE_ALIASES = {
    "transparency": "access_to_information",
    "access_to_information": "access_to_information",
    "civic_participation": "civic_participation",
    "participation": "civic_participation",
    "public_accountability": "public_accountability",
    "accountability": "public_accountability",
    "technology_innovation": "technology_innovation",
    "technology_and_innovation": "technology_innovation",
}

# Where a model validation error belongs in the file.
FIELD_TO_COLUMN = {
    **{model_field: column for column, model_field in TEXT_FIELDS.items()},
    "start_date": "start",
    "end_date": "end",
    "policy_area": "policy_areas",
    "status": "status",
    "irm_assessment": "irm_verifiable",
    **dict.fromkeys(VALUE_NAMES, "values_flags"),
    NON_FIELD_ERRORS: "",
}

MILESTONE_KEYS = {
    "description": "description",
    "expected_output": "expected_output",
    "start": "start_date",
    "end": "due_date",
    "due": "due_date",
    "responsible": "responsible_actors",
    "status": "status",
}

# Alternative spellings of column names accepted in a header.
COLUMN_ALIASES = {"milestones(json)": "milestones", "policy_area": "policy_areas"}

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
SUMMARY_LENGTH = 280

# What each column means, for the import page.
COLUMN_HELP = {
    "ogp_id": gettext_lazy(
        "The OGP ID (for example XK0018). On import, a commitment of this plan with this "
        "ID is updated; empty (or another plan's ID) adds a new commitment with a new ID."
    ),
    "member_iso2": gettext_lazy(
        "Two-letter code of the member. Optional; if given it must be this plan's member."
    ),
    "plan_period": gettext_lazy(
        "The plan period (start/end). Exported for reference; ignored on import."
    ),
    "title": gettext_lazy("Title of the commitment. Required."),
    "summary": gettext_lazy(
        "Plain-language summary, at most 280 characters. If empty, the start of the brief "
        "description is used."
    ),
    "brief_description": gettext_lazy("Brief description."),
    "problem": gettext_lazy("The problem the commitment addresses."),
    "causes": gettext_lazy("The causes of the problem."),
    "solution": gettext_lazy("The commitment: what will be done."),
    "expected_results": gettext_lazy("The results expected."),
    "lead_institution": gettext_lazy("The lead implementing institution. Required."),
    "support_gov": gettext_lazy("Supporting government actors."),
    "support_cso": gettext_lazy("Supporting civil-society actors."),
    "support_other": gettext_lazy(
        "Other supporting actors (parliament, private sector, multilaterals)."
    ),
    "policy_areas": gettext_lazy(
        "The name of one of this plan's policy areas (capitals do not matter). Optional."
    ),
    "values_flags": gettext_lazy(
        "The OGP values the commitment is relevant to, separated by |: "
        "access_to_information|civic_participation|public_accountability|technology_innovation "
        "(“transparency” is read as access to information)."
    ),
    "start": gettext_lazy("Start date, as YYYY-MM-DD, inside the plan period. Required."),
    "end": gettext_lazy("End date, as YYYY-MM-DD, inside the plan period. Required."),
    "milestones": gettext_lazy(
        "The milestones as a JSON list of objects with the keys description, "
        "expected_output, start, end (or due), responsible and status. Milestone dates lie "
        "inside the commitment's dates; a missing start means the commitment's start."
    ),
    "status": gettext_lazy(
        "not_started, in_progress, complete or withdrawn (empty means not_started). With "
        "milestones, the status follows from theirs unless the commitment is withdrawn."
    ),
    "irm_verifiable": gettext_lazy("IRM: verifiable (kept as given)."),
    "irm_lens": gettext_lazy("IRM: open government lens (kept as given)."),
    "irm_potential_for_results": gettext_lazy("IRM: potential for results (kept as given)."),
    "irm_completion": gettext_lazy("IRM: completion (kept as given)."),
    "irm_early_results": gettext_lazy("IRM: early results (kept as given)."),
    "legacy_specificity": gettext_lazy("Earlier IRM reports: specificity (kept as given)."),
    "legacy_potential_impact": gettext_lazy(
        "Earlier IRM reports: potential impact (kept as given)."
    ),
    "legacy_dig": gettext_lazy("Earlier IRM reports: did it open government? (kept as given)."),
    "starred": gettext_lazy("Earlier IRM reports: starred commitment (kept as given)."),
}


@dataclass(frozen=True)
class RowError:
    """A problem in an uploaded file: `line` None means the file as a whole."""

    line: int | None
    column: str
    message: str


class ImportRejected(DomainError):
    """The file was not imported; `errors` says where and why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(errors[0].message if errors else "")


@dataclass
class Row:
    """One commitment read from a file, with the line it came from."""

    line: int
    values: dict[str, Any]

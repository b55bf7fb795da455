"""The IRM evidence package of a plan (issue #17): one ZIP with a PDF summary and the plan's
public record as JSON and CSV, made by the export job (ogp_portal/core/exports.py).

The build step returns the canonical JSON of the content (content.py); the export job hashes
it and reuses the archive stored for that hash, so the same content is archived once and a
second request with nothing changed gets the stored file at once. The render step turns the
JSON into the archive (archive.py).

Who may download: the package holds only the public record, so anyone who may export the
plan's PDF may have it: everyone for a published plan whose commitments are public, the
member's insiders and the secretariat for earlier stages.
"""

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from ogp_portal.core.export_kinds import Progress
from plans.models import ActionPlan
from records.exports import plan as plan_export

from .archive import build_archive, canonical_json
from .content import irm_package_content

KIND = "irm_package"
MODEL = ActionPlan


def can_export(user: Any, plan: ActionPlan) -> bool:
    return plan_export.can_export(user, plan)


def languages(plan: ActionPlan) -> list[str]:
    return [plan.primary_language]


def filename(plan: ActionPlan, language: str) -> str:
    member = plan.member.iso_code or slugify(plan.member.name)
    return f"{member}-irm-evidence-package-{plan.sequence_no}-{language}.zip"


def build(plan: ActionPlan, language: str, progress: Progress) -> str:
    progress(10, _("Reading the plan's public record"))
    return canonical_json(irm_package_content(plan))


def render(plan: ActionPlan, content: str, language: str, progress: Progress) -> bytes:
    return build_archive(content, language, progress)

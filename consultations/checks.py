"""The adoption check consultations register with plans (OGP minimum requirement 4.1)."""

from django.utils.translation import gettext as _

from .models import Proposal


def proposals_without_response(plan) -> list[str]:
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
        _("These proposals still need a published reasoned response: %(list)s.") % {"list": listed}
    ]

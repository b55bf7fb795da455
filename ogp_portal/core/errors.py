from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the OGP process refused an action; views show the message, never a 500."""


def require_editable(obj) -> None:
    """Refuse a change to a record whose `is_editable` says no (an archived plan and
    everything in it: policy areas, commitments, milestones, their translations)."""
    if not getattr(obj, "is_editable", True):
        raise DomainError(_("An archived plan can no longer be edited."))

"""Writing the resources page: the secretariat adds and edits resources; each change is an
audit event and a new version in the resource's history."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User

from .models import Resource
from .text import render_resource_text

EDITABLE_FIELDS = ("title", "body", "audience", "primary_language", "position")


class ResourceError(DomainError):
    pass


@transaction.atomic
def resource_save(resource: Resource | None, *, actor: User, **fields: Any) -> Resource:
    """Create a resource (``resource`` None) or edit one.

    Preconditions: ``fields`` only names editable fields; the text renders to something.
    Effects: the resource is saved (a new history version) and an audit event is written.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "body" in fields and not render_resource_text(fields["body"]).strip():
        raise ResourceError(_("Write the text of the resource."))
    if resource is None:
        resource = Resource.objects.create(**fields)
        record_event(actor, "guides.resource.created", resource)
        return resource
    changed = [name for name, value in fields.items() if getattr(resource, name) != value]
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.save()
    record_event(actor, "guides.resource.edited", resource, fields=changed)
    return resource

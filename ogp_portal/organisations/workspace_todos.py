"""The organisations' own to-dos: join requests for admins, and the secretariat's queue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ogp_portal.core.models import EmailFailure

from .access import Access
from .choices import MembershipStatus
from .models import Organisation, OrganisationMembership
from .workspace import Todo, TodoItem, limited

SHOWN = 5  # items listed under a to-do; the link leads to all of them


def organisation_todos(user: object, member: object, access: Access) -> list[Todo]:
    todos: list[Todo] = []
    member_pk = getattr(member, "pk", None)
    if access.admin_organisation_ids and member_pk is not None:
        pending = list(
            OrganisationMembership.objects.filter(
                organisation_id__in=access.admin_organisation_ids,
                organisation__member_id=member_pk,
                status=MembershipStatus.PENDING,
            )
            .select_related("organisation", "user")
            .order_by("pk")
        )
        if pending:
            first = pending[0].organisation
            todos.append(
                Todo(
                    role=_("Organisation admin"),
                    label=_("Join requests to answer"),
                    url=first.get_absolute_url(),
                    count=len(pending),
                    items=[
                        TodoItem(
                            text=str(m.user),
                            url=m.organisation.get_absolute_url(),
                            note=m.organisation.name,
                        )
                        for m in pending[:SHOWN]
                    ],
                )
            )
    if access.is_secretariat:
        to_verify = Organisation.objects.filter(
            verified_at__isnull=True, rejected_at__isnull=True
        ).order_by("name")
        failures = EmailFailure.objects.filter(resolved_at__isnull=True)
        secretariat_url = reverse("organisations:secretariat")
        count, items = limited(
            to_verify, lambda o: TodoItem(text=o.name, url=secretariat_url), SHOWN
        )
        todos.append(
            Todo(
                role=_("Secretariat"),
                label=_("Organisations to verify"),
                url=secretariat_url,
                count=count,
                items=items,
            )
        )
        todos.append(
            Todo(
                role=_("Secretariat"),
                label=_("E-mails that could not be delivered"),
                url=reverse("notifications:failure-list"),
                count=failures.count(),
            )
        )
    return todos

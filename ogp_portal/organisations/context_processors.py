"""What the nav needs to know about the signed-in person, loaded only when a template asks."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from .access import access_for
from .models import Member
from .workspace import todo_count


def roles(request):
    # A request refused before AuthenticationMiddleware (a 400 for a host name the portal
    # does not serve) has no user; its error page still renders the navigation.
    user = getattr(request, "user", None) or AnonymousUser()
    access = SimpleLazyObject(lambda: access_for(user))

    def workspaces():
        ids = access_for(user).workspace_member_ids
        members = list(Member.objects.filter(pk__in=ids)) if ids else []
        for member in members:
            # The header badge: kept per person for a minute (organisations/workspace.py).
            setattr(member, "todo_count", todo_count(user, member))  # noqa: B010
        return members

    def badges():
        return {"secretariat": todo_count(user, None) if access_for(user).is_secretariat else 0}

    return {
        "access": access,
        "workspace_members": SimpleLazyObject(workspaces),
        "workspace_badges": SimpleLazyObject(badges),
    }

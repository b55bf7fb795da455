"""What the nav needs to know about the signed-in person, loaded only when a template asks."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from .access import access_for
from .models import Member


def roles(request):
    # A request refused before AuthenticationMiddleware (a 400 for a host name the portal
    # does not serve) has no user; its error page still renders the navigation.
    user = getattr(request, "user", None) or AnonymousUser()
    access = SimpleLazyObject(lambda: access_for(user))

    def workspaces():
        ids = access_for(user).workspace_member_ids
        return list(Member.objects.filter(pk__in=ids)) if ids else []

    return {"access": access, "workspace_members": SimpleLazyObject(workspaces)}

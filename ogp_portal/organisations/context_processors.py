"""What the nav needs to know about the signed-in person, loaded only when a template asks."""

from django.utils.functional import SimpleLazyObject

from .access import access_for
from .models import Member


def roles(request):
    user = request.user
    access = SimpleLazyObject(lambda: access_for(user))

    def workspaces():
        ids = access_for(user).workspace_member_ids
        return list(Member.objects.filter(pk__in=ids)) if ids else []

    return {"access": access, "workspace_members": SimpleLazyObject(workspaces)}

"""The authentication backends of settings.AUTHENTICATION_BACKENDS: Django's and allauth's,
whose get_user (the read of the signed-in person on every request, request.user) loads the
user in a written-out statement (users/user_sql.py) instead of the ORM's
``User._default_manager.get(pk=...)``. Signing in, permissions and everything else are theirs.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model
from django.db import router

from ogp_portal.users import user_sql


class _SessionUserRead:
    def get_user(self, user_id):
        """ModelBackend.get_user: the user of the session, or None if there is none or it
        may not sign in (inactive)."""
        User = get_user_model()
        try:
            user = user_sql.by_pk(User, router.db_for_read(User), user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_SessionUserRead, backends.ModelBackend):
    pass


class AuthenticationBackend(_SessionUserRead, allauth_backends.AuthenticationBackend):
    pass

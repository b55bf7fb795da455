"""The portal's user: signs in with an e-mail address (allauth), no username."""

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ogp_portal.users import user_sql

# A manager whose get_queryset() is Django's reads every row: only then is get(pk=) by SQL.
_PLAIN_QUERYSET = models.Manager.get_queryset


class UserManager(DjangoUserManager):
    def get(self, *args, **kwargs):
        """``get(pk=...)``, which django.contrib.auth asks on every signed-in request, by a
        written-out primary-key read (users/user_sql.py); any other lookup as the ORM's."""
        if not args and kwargs.keys() == {"pk"} and type(self).get_queryset is _PLAIN_QUERYSET:
            return user_sql.by_pk(self.model, self.db, kwargs["pk"])
        return super().get(*args, **kwargs)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("How your name is shown to others.")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Language of the e-mails the portal sends you."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email

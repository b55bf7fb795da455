"""Notification kinds the apps register, the audiences they are for, and each person's
choice of delivery per kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ogp_portal.core.models import (
    Delivery,
    NotificationPreference,
)

# Who a kind concerns, so the preferences page shows people only the kinds they can get.
AUDIENCE_EVERYONE = "everyone"
AUDIENCE_CSO = "cso"
AUDIENCE_STAFF = "staff"  # people with a role for a member (civil servants, leads, …)
AUDIENCE_ORGANISATION_ADMINS = "organisation admins"
AUDIENCES = (AUDIENCE_EVERYONE, AUDIENCE_CSO, AUDIENCE_STAFF, AUDIENCE_ORGANISATION_ADMINS)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any  # a (lazy) translated string
    description: Any = ""
    default: str = Delivery.IMMEDIATE
    audience: str = AUDIENCE_EVERYONE


_KINDS: dict[str, Kind] = {}
# The unsubscribe link of the daily digest e-mail names this pseudo-kind: "no more digests".
DIGEST_KIND = "digest"


def _check_audience(key: str, audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"Unknown audience {audience!r} for notification kind {key!r}")


def register_kind(
    key: str,
    label: Any,
    description: Any = "",
    default: str = Delivery.IMMEDIATE,
    audience: str = AUDIENCE_EVERYONE,
) -> Kind:
    """Declare a notification kind (call from AppConfig.ready). Registering the same key
    again replaces it, so a reloaded app does not fail. `audience` says who the kind
    concerns (one of AUDIENCES)."""
    if default not in Delivery.values:
        raise ValueError(f"Unknown delivery {default!r} for notification kind {key!r}")
    _check_audience(key, audience)
    kind = Kind(
        key=key, label=label, description=description, default=Delivery(default), audience=audience
    )
    _KINDS[key] = kind
    return kind


def kinds() -> list[Kind]:
    """Every registered kind, in the order they were registered."""
    return list(_KINDS.values())


def get_kind(key: str) -> Kind:
    """The registered kind, or a stand-in for one nobody registered (sent immediately)."""
    if key in _KINDS:
        return _KINDS[key]
    if key == DIGEST_KIND:
        return Kind(key=key, label=_("Daily digest"), default=Delivery.DIGEST)
    return Kind(key=key, label=key)


def deliveries_for(user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's delivery choice for `kind` (one query; the kind's default without a row)."""
    user_ids = list(user_ids)
    default = get_kind(kind).default
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, default) for pk in user_ids}


def preferences_for(user) -> dict[str, str]:
    """The user's delivery choice for every registered kind (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: chosen.get(kind.key, kind.default) for kind in kinds()}


def preferences_set(user, choices: dict[str, str]) -> None:
    """Store the user's choices for the given kinds; kinds not named keep theirs."""
    rows = [
        NotificationPreference(user=user, kind=kind, delivery=Delivery(delivery))
        for kind, delivery in choices.items()
    ]
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery", "updated_at"],
    )

"""Signed one-click unsubscribe links (one kind, one person)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from ogp_portal.core.models import (
    Delivery,
    EmailStatus,
    Notification,
    NotificationPreference,
)

from .kinds import DIGEST_KIND, kinds

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user, kind: str) -> str:
    """A signed token naming the user and the kind; it does not expire (RFC 8058 links must
    keep working in old e-mails) and changes nothing without the user's later POST."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) of a token; raises signing.BadSignature when it was tampered with."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not data.get("k"):
        raise signing.BadSignature("Malformed unsubscribe token")
    return data["u"], str(data["k"])


def unsubscribe_url(user, kind: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe(user_id: int, kind: str) -> None:
    """Stop e-mails of `kind` for this user (the inbox still gets them). The digest's own
    link (kind DIGEST_KIND) stops every kind the user gets in the digest."""
    if kind != DIGEST_KIND:
        NotificationPreference.objects.update_or_create(
            user_id=user_id, kind=kind, defaults={"delivery": Delivery.OFF}
        )
        return
    in_digest = {kind.key for kind in kinds() if kind.default == Delivery.DIGEST}
    rows = NotificationPreference.objects.filter(user_id=user_id)
    for key, delivery in rows.values_list("kind", "delivery"):
        if delivery == Delivery.DIGEST:
            in_digest.add(key)
        else:
            in_digest.discard(key)
    # Notifications waiting for the digest stay in the inbox only.
    waiting = Notification.objects.filter(recipient_id=user_id, email_status=EmailStatus.DIGEST)
    in_digest.update(waiting.values_list("kind", flat=True).distinct())
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user_id=user_id, kind=k, delivery=Delivery.OFF)
                for k in in_digest
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery", "updated_at"],
        )
        waiting.update(email_status=EmailStatus.SKIPPED)

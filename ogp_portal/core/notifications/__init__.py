"""One notification service every app calls: notify(recipients, kind, subject, template, ctx).

Each event becomes one `Notification` per recipient, rendered in the recipient's language:
it shows in their inbox and, by their preference for that kind, is e-mailed at once (a Celery
task queued after the transaction commits, so a rolled-back change never sends mail), in the
daily digest, or not at all. `notify_many()` does the same for many events at once, in a
few queries (the reminder scan); `notifications_build` / `notifications_save` /
`notification_emails_queue` are its steps, for a caller that must act between them.

Apps declare the kinds they send with `register_kind()` from their `AppConfig.ready`; the
preferences page lists them. This module never imports an app back.

Sending e-mail lives here too (the tasks in `tasks.py` only load and call):
`notification_email_send`, `send_digests` and `requeue_stuck_emails`.

A package by sub-process; import from the package, which re-exports each module's names:
`kinds` (kinds, audiences, preferences), `events` (notify and its steps), `sending`
(e-mailing one notification), `digest`, `unsubscribe_links`, `inbox`.
"""

from .digest import (
    digest_send,
    send_digests,
)
from .events import (
    INSERT_BATCH,
    QUEUE_CHUNK,
    QUEUE_DIRECTLY,
    Event,
    notification_emails_queue,
    notifications_build,
    notifications_save,
    notify,
    notify_many,
)
from .inbox import (
    email_failure_resolve,
    notification_mark_read,
    notification_preview,
    notifications_mark_all_read,
)
from .kinds import (
    _KINDS,
    AUDIENCE_CSO,
    AUDIENCE_EVERYONE,
    AUDIENCE_ORGANISATION_ADMINS,
    AUDIENCE_STAFF,
    AUDIENCES,
    DIGEST_KIND,
    Kind,
    deliveries_for,
    get_kind,
    kinds,
    preferences_for,
    preferences_set,
    register_kind,
)
from .sending import (
    SEND_LEASE,
    build_notification_email,
    email_failure_record,
    notification_email_fail,
    notification_email_postpone,
    notification_email_send,
    requeue_stuck_emails,
)
from .unsubscribe_links import (
    UNSUBSCRIBE_SALT,
    read_unsubscribe_token,
    unsubscribe,
    unsubscribe_token,
    unsubscribe_url,
)

__all__ = [
    "AUDIENCES",
    "AUDIENCE_CSO",
    "AUDIENCE_EVERYONE",
    "AUDIENCE_ORGANISATION_ADMINS",
    "AUDIENCE_STAFF",
    "DIGEST_KIND",
    "Event",
    "INSERT_BATCH",
    "Kind",
    "QUEUE_CHUNK",
    "QUEUE_DIRECTLY",
    "SEND_LEASE",
    "UNSUBSCRIBE_SALT",
    "_KINDS",
    "build_notification_email",
    "deliveries_for",
    "digest_send",
    "email_failure_record",
    "email_failure_resolve",
    "get_kind",
    "kinds",
    "notification_email_fail",
    "notification_email_postpone",
    "notification_email_send",
    "notification_emails_queue",
    "notification_mark_read",
    "notification_preview",
    "notifications_build",
    "notifications_mark_all_read",
    "notifications_save",
    "notify",
    "notify_many",
    "preferences_for",
    "preferences_set",
    "read_unsubscribe_token",
    "register_kind",
    "requeue_stuck_emails",
    "send_digests",
    "unsubscribe",
    "unsubscribe_token",
    "unsubscribe_url",
]

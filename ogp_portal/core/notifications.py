"""One notification service every app calls: notify(recipients, kind, subject, template, ctx).

Messages are rendered in each recipient's language and handed to a Celery task after the
transaction commits, so a rolled-back change never sends mail. (The inbox, preferences and
digests of the background-jobs work build on this same entry point.)
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def notify(
    recipients: Iterable,
    kind: str,
    subject: str,
    template: str,
    context: dict,
    *,
    target=None,
    url: str = "",
) -> list:
    """Send `kind` to each recipient (users with an e-mail) once the transaction commits.

    `target` is the record the event is about; `url` the portal path to open it."""
    from .tasks import send_email_task

    messages = []
    for user in recipients:
        if not getattr(user, "email", None):
            continue
        language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string(
                template, {**context, "recipient": user, "site_url": settings.SITE_URL}
            )
            messages.append((user.email, str(subject), body))
    for email, rendered_subject, body in messages:
        transaction.on_commit(
            lambda e=email, s=rendered_subject, b=body: send_email_task.delay(e, s, b, kind)
        )
    return []

"""Security notices on account changes that allauth does not mail itself.

allauth (ACCOUNT_EMAIL_NOTIFICATIONS) already mails the primary address on a primary change,
a password change or reset, and two-factor changes; it sends nothing when an address is
added, so a taken-over session could add its own address unnoticed. This receiver tells the
primary address. A signal, because allauth (the sender) must not know the portal.
"""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_added
from django.dispatch import receiver


@receiver(email_added, dispatch_uid="ogp_portal.users.notify_email_added")
def notify_primary_of_added_email(
    sender: Any, request: Any, user: Any, email_address: EmailAddress, **kwargs: Any
) -> None:
    primary = EmailAddress.objects.get_primary_email(user)
    if not primary or primary.lower() == email_address.email.lower():
        return
    get_adapter(request).send_notification_mail(
        "account/email/email_added",
        user,
        context={"added_email": email_address.email},
        email=primary,
    )

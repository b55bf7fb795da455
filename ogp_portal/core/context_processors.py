from .models import Notification


def notifications(request) -> dict:
    """The signed-in user's unread notification count for the header.

    A callable the template calls when it shows the count (Django templates call callables),
    memoised so the page costs one COUNT query at most, and none for anonymous visitors or
    responses that never render the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    cache: list[int] = []

    def unread_notifications() -> int:
        if not cache:
            cache.append(Notification.objects.filter(recipient=user, read_at__isnull=True).count())
        return cache[0]

    return {"unread_notifications": unread_notifications}

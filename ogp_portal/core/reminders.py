"""The periodic reminder scan (to be built): one beat task scans every registered scanner."""

from celery import shared_task


@shared_task
def scan_reminders_task() -> int:
    """Scan for due reminders and send each once (see scan())."""
    return 0

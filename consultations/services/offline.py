"""Offline input: in-person meetings and workshops recorded by staff, so that what was said
there counts in the consultation report next to online input."""

import datetime as dt

from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.choices import Channel
from consultations.models import Consultation, OfflineEvent
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User

OFFLINE_CHANNELS = (Channel.IN_PERSON, Channel.WORKSHOP)
# The stakeholder sectors OGP counts (same codes as the forum's membership sectors; the
# consultations app cannot import forums, which sits above it).
SECTORS = (
    ("government", gettext_lazy("Government")),
    ("civil_society", gettext_lazy("Civil society")),
    ("academia", gettext_lazy("Academia")),
    ("private_sector", gettext_lazy("Private sector")),
    ("parliament", gettext_lazy("Parliament")),
    ("other", gettext_lazy("Other")),
)
SECTOR_CODES = tuple(code for code, _label in SECTORS)


def offline_event_record(
    consultation: Consultation,
    *,
    actor: User,
    channel: str,
    held_on: dt.date,
    place: str,
    participants_by_sector: dict[str, int],
    summary: str,
    minutes: File | None = None,
) -> OfflineEvent:
    """Record a meeting or workshop held for the consultation.

    Preconditions: an offline channel, a place and a summary, participant numbers that are
    whole numbers >= 0 for known sectors only (DomainError otherwise). The minutes file, if
    any, has been checked with ogp_portal.core.uploads.validate_document by the form.
    Effects: the event (sectors with no participants are stored as 0, so every report row has
    every sector); one audit event."""
    if channel not in OFFLINE_CHANNELS:
        raise DomainError(_("Choose an in-person meeting or a workshop."))
    unknown = set(participants_by_sector) - set(SECTOR_CODES)
    if unknown:
        raise DomainError(_("Unknown sector: %(sector)s.") % {"sector": ", ".join(sorted(unknown))})
    counts = {code: int(participants_by_sector.get(code) or 0) for code in SECTOR_CODES}
    if any(n < 0 for n in counts.values()):
        raise DomainError(_("Participant numbers cannot be negative."))
    if not place.strip() or not summary.strip():
        raise DomainError(_("Say where the event took place and summarise what was said."))
    event = OfflineEvent.objects.create(
        consultation=consultation,
        channel=channel,
        held_on=held_on,
        place=place.strip(),
        participants_by_sector=counts,
        summary=summary.strip(),
        minutes=minutes or "",
        recorded_by=actor,
    )
    record_event(
        actor, "consultations.offline_event.recorded", event,
        consultation=consultation.pk, participants=counts,
    )  # fmt: skip
    return event

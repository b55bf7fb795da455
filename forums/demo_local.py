"""The demo forum of the City of Port Lumen: a small multi-stakeholder forum of City Hall and
local civil society, with a seat still vacant in each (issue #18: "vacant forum seats per
sector"). Made through the services, each record only if missing: loading twice changes
nothing."""

import datetime as dt
from typing import Any

from django.utils import timezone

from . import services
from .choices import SeatRole, Sector
from .models import Forum

FORUM: dict[str, Any] = {
    "name": "Port Lumen Open City Forum",
    "mandate": (
        "Co-create Port Lumen's open city action plans with residents and local "
        "organisations, and follow how the city keeps its commitments."
    ),
    "rules_of_participation": (
        "Four seats for City Hall, five for civil society chosen by the neighbourhood councils "
        "and local associations, one for the city's university. The forum meets every two "
        "months in a different district; agendas are public a week ahead and minutes within "
        "two weeks. Decisions are taken by consensus."
    ),
    "seats": {Sector.GOVERNMENT: 4, Sector.CIVIL_SOCIETY: 5, Sector.ACADEMIA: 1},
}

# (name, sector, role, organisation name, e-mail or None). One government and one
# civil-society seat are vacant: the city's finance director left, and the disability
# rights group's seat awaits the next selection.
SEATS = [
    ("Lucie Local", Sector.GOVERNMENT, SeatRole.CO_CHAIR,
     "Port Lumen City Hall, Citizen Participation Office", "local.civil.servant@demo.example.org"),
    ("Marc Fontaine", Sector.GOVERNMENT, SeatRole.MEMBER,
     "Port Lumen City Hall, Citizen Participation Office", None),
    ("Inês Carvalho", Sector.GOVERNMENT, SeatRole.MEMBER,
     "Port Lumen City Hall, Citizen Participation Office", None),
    ("Hélène Marchand", Sector.CIVIL_SOCIETY, SeatRole.CO_CHAIR,
     "Port Lumen Neighbourhood Councils Federation", "helene.marchand@portlumen.example.org"),
    ("Amira Haddad", Sector.CIVIL_SOCIETY, SeatRole.MEMBER, "Northbank Tenants' Union",
     "amira.haddad@portlumen.example.org"),
    ("Grace Mensah", Sector.CIVIL_SOCIETY, SeatRole.MEMBER, "Lumen Food Bank",
     "grace.mensah@portlumen.example.org"),
    ("Kofi Boateng", Sector.CIVIL_SOCIETY, SeatRole.MEMBER, "Eastgate Youth Centre",
     "kofi.boateng@portlumen.example.org"),
    ("Mei Lin Chen", Sector.ACADEMIA, SeatRole.MEMBER,
     "Port Lumen Institute of Technology, Urban Lab", "meilin.chen@portlumen.example.org"),
]  # fmt: skip


def load(member, people: dict, organisations: dict) -> Forum:
    secretariat = people["secretariat@demo.example.org"]
    forum = Forum.objects.filter(member=member).first()
    if forum is None:
        forum = services.forum_setup(member, actor=secretariat, **FORUM)
    today = timezone.localdate()
    from .demo import add_seats

    add_seats(forum, secretariat, SEATS, people, organisations, today - dt.timedelta(days=200))
    return forum

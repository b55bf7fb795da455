"""Seed the private cluster of the database fault test: run as a program, in its own process
(`python -m tests.core.fault_seed`, DATABASE_URL pointing at the private cluster).

Creates an open consultation with one proposal and a signed-in person, and prints what the
test needs as JSON: the proposal's id and page, and the person's session cookie.
"""

import json

import django


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client

    from tests.consultations.test_services import make_consultation, make_proposal
    from tests.factories import MemberFactory, PlanFactory, UserFactory

    member = MemberFactory(name="Fault Member", slug="fault-member")
    consultation = make_consultation(PlanFactory(member=member, status="co_creation"))
    person = UserFactory(email="fault.poster@example.org")
    proposal = make_proposal(person, consultation)
    client = Client()
    client.force_login(person)  # the session row is in the database (cached_db)
    print(  # noqa: T201 -- the program's output, read by the test
        json.dumps(
            {
                "proposal": proposal.pk,
                "page": proposal.get_absolute_url(),
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        )
    )


if __name__ == "__main__":
    main()

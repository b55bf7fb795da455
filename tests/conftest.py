"""The fixed cast: one person per role in member A, plus outsiders from member B."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from ogp_portal.organisations.choices import OrganisationKind, Role
from ogp_portal.organisations.models import Organisation

from .factories import MemberFactory, OrganisationFactory, UserFactory, grant, join

DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: allauth marks used TOTP codes there, and a
    rolled-back test may hand the same user id to the next one (and the same list's key to
    its page index, which each process also keeps a copy of: consultations/pagination.py)."""
    from django.core.cache import cache

    from consultations.pagination import forget_kept_indexes

    cache.clear()
    forget_kept_indexes()
    yield
    cache.clear()
    forget_kept_indexes()


@pytest.fixture(autouse=True)
def _base_language():
    """LocaleMiddleware leaves the last request's language active in the thread; start each
    test in the portal's base language as a fresh process would."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def member(db):
    return MemberFactory(name="Member A", slug="member-a")


@pytest.fixture
def other_member(db):
    return MemberFactory(name="Member B", slug="member-b")


@pytest.fixture
def citizen(db):
    return UserFactory(email="citizen@example.org")


@pytest.fixture
def civil_servant(member):
    user = UserFactory(email="civil.servant@example.org")
    grant(user, Role.CIVIL_SERVANT, member)
    return user


@pytest.fixture
def other_member_civil_servant(other_member):
    user = UserFactory(email="other.civil.servant@example.org")
    grant(user, Role.CIVIL_SERVANT, other_member)
    return user


@pytest.fixture
def commitment_lead(member):
    """A commitment lead who works at the member's Ministry of Justice, the lead organisation
    of the commitments CommitmentFactory makes."""
    user = UserFactory(email="lead@example.org")
    grant(user, Role.COMMITMENT_LEAD, member)
    ministry, _created = Organisation.objects.get_or_create(
        member=member,
        name="Ministry of Justice",
        defaults={"kind": OrganisationKind.GOVERNMENT_AGENCY, "verified_at": timezone.now()},
    )
    join(user, ministry)
    return user


@pytest.fixture
def msf_member(member):
    user = UserFactory(email="forum@example.org")
    grant(user, Role.FORUM_MEMBER, member)
    return user


@pytest.fixture
def moderator(member):
    user = UserFactory(email="moderator@example.org")
    grant(user, Role.MODERATOR, member)
    return user


@pytest.fixture
def cso(member):
    return OrganisationFactory(name="Watchdog A", member=member, kind=OrganisationKind.CSO)


@pytest.fixture
def cso_member(cso):
    """Approved admin of a verified CSO of member A."""
    user = UserFactory(email="cso@example.org")
    join(user, cso, is_admin=True)
    return user


@pytest.fixture
def other_member_cso_member(other_member):
    org = OrganisationFactory(name="Watchdog B", member=other_member)
    user = UserFactory(email="cso.b@example.org")
    join(user, org, is_admin=True)
    return user


@pytest.fixture
def unverified_cso_member(member):
    org = OrganisationFactory(name="New CSO", member=member, verified_at=None)
    user = UserFactory(email="cso.new@example.org")
    join(user, org, is_admin=True)
    return user


@pytest.fixture
def secretariat(db):
    """A secretariat account with TOTP set up (required for the role)."""
    user = UserFactory(email="secretariat@example.org", is_staff=True)
    grant(user, Role.SECRETARIAT)
    TOTP.activate(user, DEMO_TOTP_SECRET)
    assert Authenticator.objects.filter(user=user).exists()
    return user


@pytest.fixture
def client_for(client):
    """Log a person in on the test client (a fresh session, no 2FA prompt)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def celery_worker_queue():
    """A real Celery worker in its own process, on the configured broker (the embedded
    filesystem broker, or Redis when REDIS_URL is set), consuming a queue of its own so that
    no other worker on the machine takes these tasks. Yields the queue name."""
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = Path(os.environ["OGP_VAR_DIR"]) / f"worker-{queue}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "ogp_portal", "worker",
                "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
                "--hostname", f"{queue}@%h", "--without-heartbeat", "--without-gossip",
                "--without-mingle",
            ],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.test"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def celery_worker_thread(django_db_setup, django_db_blocker):
    """A real Celery worker (in a thread of the test process) consuming the configured broker,
    so tasks queued on commit really run and e-mails land in mail.outbox. Tests that use it
    need @pytest.mark.django_db(transaction=True) so the worker sees committed data."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.db import connections

    from ogp_portal.celery import app

    def close_worker_connections(**_kwargs):
        # Runs in the worker's thread: drop its connections so the test database can be
        # dropped at the end of the run (PostgreSQL refuses while a session is open).
        connections.close_all()

    task_postrun.connect(close_worker_connections, weak=False)

    with (
        django_db_blocker.unblock(),
        start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20
        ) as worker,
    ):
        yield worker


def wait_for(condition, timeout=20.0):
    """Poll until `condition()` is true (work done by a worker); fail after `timeout` s."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the background job")

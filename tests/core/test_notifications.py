"""notify() sends after commit, through a real worker, in the recipient's language."""

import pytest
from django.core import mail
from django.db import transaction

from ogp_portal.core.notifications import notify
from tests.conftest import wait_for
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_notification_email_goes_through_a_worker_after_commit(celery_worker_thread, tmp_path):
    english = UserFactory(email="en@example.org", name="Ann")
    french = UserFactory(email="fr@example.org", name="Bea", preferred_language="fr")
    with transaction.atomic():
        notify(
            [english, french],
            "test",
            "Hello",
            "consultations/emails/proposal_decided.txt",
            {"proposal": _Proposal(), "response": _Response(), "commitments": []},
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    wait_for(lambda: len(mail.outbox) == 2)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "Dear Ann" in by_recipient["en@example.org"].body
    assert "Décision" in by_recipient["fr@example.org"].body


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing(celery_worker_thread):
    user = UserFactory()

    def change_that_fails():
        with transaction.atomic():
            notify([user], "test", "Hello", TEMPLATE, CONTEXT)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    import time

    time.sleep(0.5)
    assert mail.outbox == []


class _Proposal:  # stands in for a proposal in the e-mail template
    title, reference = "Open courts", "P-1"

    def get_absolute_url(self):
        return "/consultations/proposals/1/"


class _Response:
    reason = "Merged into XV0001."

    def get_decision_display(self):
        return "Merged"


TEMPLATE = "consultations/emails/proposal_decided.txt"
CONTEXT = {"proposal": _Proposal(), "response": _Response(), "commitments": []}

"""Consultation-window pages from outside: the notice rule, the window's edges in the
member's time zone, answers (kept on refusal, audience, double submit), staff screens and
who may use them, and bounded queries."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.choices import Audience, Channel, ProposalStatus
from consultations.models import (
    Answer,
    Consultation,
    ConsultationDocument,
    GuidingQuestion,
    OfflineEvent,
    Proposal,
    ReasonedResponse,
    ReminderSignup,
)
from ogp_portal.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- helpers --------------------------------------------------------------------------------


def make_consultation(plan, *, opens_at, closes_at, notice=True, **fields):
    """A consultation written straight to the database (the page tests drive the forms)."""
    defaults = {
        "title": "Ideas for the next plan",
        "kind": "idea_collection",
        "audience": Audience.VERIFIED_USERS,
        "description": "Tell us what to open up.",
        "channels": [Channel.ONLINE, Channel.WORKSHOP],
        "notice_published_at": opens_at - dt.timedelta(days=20) if notice else None,
    }
    return Consultation.objects.create(
        plan=plan, opens_at=opens_at, closes_at=closes_at, **{**defaults, **fields}
    )


def form_data(**overrides):
    data = {
        "title": "Ideas for the next plan",
        "kind": "idea_collection",
        "audience": Audience.VERIFIED_USERS,
        "description": "Tell us what to open up.",
        "channels": [Channel.ONLINE, Channel.IN_PERSON],
        "opens_at": "2026-03-01T09:00",
        "closes_at": "2026-03-15T17:00",
    }
    return {**data, **overrides}


@pytest.fixture
def open_consultation(plan):
    now = timezone.now()
    return make_consultation(
        plan, opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10)
    )


@pytest.fixture
def question(open_consultation):
    return GuidingQuestion.objects.create(
        consultation=open_consultation, text="What should be published?", position=1
    )


def answer_url(question):
    return reverse("consultations:answer-submit", args=[question.pk])


# --- the notice rule ------------------------------------------------------------------------


def test_notice_rule_through_the_edit_form(client, client_for, civil_servant, plan):
    # Given an announced consultation (Europe/Paris member) whose notice went out long ago
    notice = dt.datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    consultation = make_consultation(
        plan,
        opens_at=notice + dt.timedelta(days=30),
        closes_at=notice + dt.timedelta(days=60),
        notice_published_at=notice,
    )
    url = reverse("consultations:consultation-edit", args=[consultation.pk])
    # When its dates change on 11 January at 14:37 local time (13:37 UTC)
    with time_machine.travel(dt.datetime(2027, 1, 11, 13, 37, tzinfo=UTC), tick=False):
        client = client_for(civil_servant)
        # ... to open at 23:59 on the 13th calendar day after the change
        refused = client.post(
            url,
            form_data(
                opens_at="2027-01-24T23:59", closes_at="2027-02-20T12:00", channels=["online"]
            ),
        )
        # Then the change restarts the notice and the form names the earliest opening, to the
        # minute, in the member's time zone
        assert refused.status_code == 200
        page = refused.content.decode()
        assert "starts the notice period again" in page
        assert "2027-01-25 00:00 CET" in page
        assert 'value="2027-01-24T23:59"' in page  # input kept
        consultation.refresh_from_db()
        assert consultation.opens_at == notice + dt.timedelta(days=30)
        assert consultation.notice_published_at == notice

        # When it opens at the very time the message named
        accepted = client.post(
            url,
            form_data(
                opens_at="2027-01-25T00:00", closes_at="2027-02-20T12:00", channels=["online"]
            ),
        )
        # Then it is saved, the notice clock restarted, and the change is on the public page
        assert accepted.status_code == 302
    consultation.refresh_from_db()
    assert consultation.opens_at == dt.datetime(2027, 1, 24, 23, 0, tzinfo=UTC)
    assert consultation.notice_published_at == dt.datetime(2027, 1, 11, 13, 37, tzinfo=UTC)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Changes since the notice" in page
    assert "the notice period started again" in page
    assert "2027-01-31 13:00 CET → 2027-01-25 00:00 CET" in page
    assert "Online, Workshops → Online" in page


def test_publishing_the_notice_refuses_a_window_too_close(client_for, civil_servant, plan):
    # Given an unannounced consultation opening in 10 days
    now = dt.datetime(2027, 5, 1, 8, 0, tzinfo=UTC)
    consultation = make_consultation(
        plan,
        opens_at=now + dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=30),
        notice=False,
    )
    url = reverse("consultations:consultation-notice", args=[consultation.pk])
    with time_machine.travel(now, tick=False):
        client = client_for(civil_servant)
        # When the civil servant publishes the notice
        response = client.post(url, follow=True)
    # Then it is refused with the earliest date, and nothing is announced
    assert response.redirect_chain[-1][0] == consultation.get_absolute_url()
    # (calendar days in the member's zone: notice on 1 May, opening from 15 May at 00:00)
    assert "2027-05-15 00:00 CEST" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.notice_published_at is None

    # When the window is 14 days away
    with time_machine.travel(now - dt.timedelta(days=4), tick=False):
        client_for(civil_servant).post(url)
    # Then the notice is published
    consultation.refresh_from_db()
    assert consultation.notice_published_at == now - dt.timedelta(days=4)
    assert AuditEvent.objects.filter(action="consultations.consultation.announced").count() == 1


# --- the window at its exact edges, in a UTC+5:45 member -----------------------------------


def test_window_edges_in_the_member_time_zone(client_for, civil_servant, citizen, member, plan):
    # Given a member in Kathmandu (UTC+5:45) and a consultation typed in its local time
    member.time_zone = "Asia/Kathmandu"
    member.save()
    staff = client_for(civil_servant)
    response = staff.post(
        reverse("consultations:consultation-create", args=[plan.pk]),
        form_data(opens_at="2026-03-01T09:00", closes_at="2026-03-15T17:00"),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    # Then the stored instants are the UTC ones
    assert consultation.opens_at == dt.datetime(2026, 3, 1, 3, 15, tzinfo=UTC)
    assert consultation.closes_at == dt.datetime(2026, 3, 15, 11, 15, tzinfo=UTC)
    # and the edit form shows them back as local time
    edit = staff.get(reverse("consultations:consultation-edit", args=[consultation.pk]))
    assert 'value="2026-03-01T09:00"' in edit.content.decode()

    Consultation.objects.filter(pk=consultation.pk).update(
        notice_published_at=dt.datetime(2026, 2, 1, tzinfo=UTC)
    )
    question = GuidingQuestion.objects.create(consultation=consultation, text="Q?")
    client = client_for(citizen)
    one_second = dt.timedelta(seconds=1)

    # When a citizen answers one second before opening: refused, time shown in the member tz
    with time_machine.travel(consultation.opens_at - one_second, tick=False):
        early = client.post(answer_url(question), {"body": "too early"})
    assert early.status_code == 409
    assert "opens on 2026-03-01 09:00 +0545" in html.unescape(early.content.decode())
    assert not Answer.objects.exists()

    # When exactly at opening: accepted
    with time_machine.travel(consultation.opens_at, tick=False):
        assert client.post(answer_url(question), {"body": "right on time"}).status_code == 302
    # When one second before closing: accepted
    with time_machine.travel(consultation.closes_at - one_second, tick=False):
        assert client.post(answer_url(question), {"body": "just in time"}).status_code == 302
    # When exactly at closing: refused
    with time_machine.travel(consultation.closes_at, tick=False):
        late = client.post(answer_url(question), {"body": "too late"})
    assert late.status_code == 409
    assert "closed on 2026-03-15 17:00 +0545" in html.unescape(late.content.decode())

    assert sorted(Answer.objects.values_list("body", flat=True)) == [
        "just in time",
        "right on time",
    ]


def test_list_shows_times_in_the_member_time_zone(client, member, plan):
    # Given a consultation of a Lima member (UTC-5)
    member.time_zone = "America/Lima"
    member.save()
    make_consultation(
        plan,
        opens_at=dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        closes_at=dt.datetime(2026, 12, 20, 23, 0, tzinfo=UTC),
    )
    # When anyone opens the list
    with time_machine.travel(dt.datetime(2026, 11, 25, tzinfo=UTC), tick=False):
        page = client.get(reverse("consultations:consultation-list")).content.decode()
    # Then the times are Lima's wall clock and the state is "not open yet"
    assert "2026-12-01 09:00 -05" in page
    assert "2026-12-20 18:00 -05" in page
    assert "Not open yet" in page


# --- answers --------------------------------------------------------------------------------


def test_post_after_closing_shows_the_message_and_the_typed_text(
    client_for, citizen, question, open_consultation
):
    # Given a citizen who typed a long answer, and the window closes meanwhile
    typed = 'We need <b>open</b> budgets & "contracts".\nSecond line.'
    client = client_for(citizen)
    with time_machine.travel(open_consultation.closes_at + dt.timedelta(minutes=3), tick=False):
        # When the answer is sent
        response = client.post(answer_url(question), {"body": typed})
    # Then the page comes back with the message and the text in the textarea, escaped
    assert response.status_code == 409
    page = response.content.decode()
    assert "closed on" in page
    textarea = re.search(
        rf'<textarea name="body"[^>]*id="id_answer_{question.pk}_body"[^>]*>(.*?)</textarea>',
        page,
        re.DOTALL,
    )
    assert textarea is not None
    assert html.unescape(textarea.group(1)).strip() == typed
    assert "<b>open</b>" not in page
    assert not Answer.objects.exists()


def test_empty_answer_is_refused_with_400(client_for, citizen, question):
    response = client_for(citizen).post(answer_url(question), {"body": "   "})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_answers_are_shown_escaped_with_line_breaks(client, client_for, citizen, question):
    # Given an answer with markup and a line break
    client_for(citizen).post(answer_url(question), {"body": "<script>x()</script>\nline two"})
    # When anyone reads the consultation
    client.logout()
    page = client.get(question.consultation.get_absolute_url()).content.decode()
    # Then the markup is text and the line break is kept
    assert "&lt;script&gt;x()&lt;/script&gt;<br>line two" in page
    assert "<script>x()" not in page


def test_cso_only_consultation_audience(
    client_for, citizen, cso_member, unverified_cso_member, question, open_consultation
):
    # Given a consultation open to verified CSOs only
    open_consultation.audience = Audience.VERIFIED_CSOS
    open_consultation.save()
    # When a citizen answers: refused with a message, text kept
    refused = client_for(citizen).post(answer_url(question), {"body": "citizen idea"})
    assert refused.status_code == 403
    assert "verified civil-society organisations" in refused.content.decode()
    assert "citizen idea" in refused.content.decode()
    # When the admin of an unverified CSO answers: refused too
    unverified = client_for(unverified_cso_member).post(answer_url(question), {"body": "new cso"})
    assert unverified.status_code == 403
    # When a verified CSO's representative answers: accepted, on behalf of the CSO
    accepted = client_for(cso_member).post(answer_url(question), {"body": "cso idea"})
    assert accepted.status_code == 302
    answer = Answer.objects.get()
    assert answer.body == "cso idea"
    assert answer.organisation.name == "Watchdog A"


def test_detail_says_why_one_cannot_answer(client, client_for, citizen, question):
    # Anonymous: sign in
    page = client.get(question.consultation.get_absolute_url()).content.decode()
    assert "Sign in to take part." in page
    assert 'name="body"' not in page
    # Unverified address
    unverified = UserFactory(email="new@example.org", verified=False)
    page = client_for(unverified).get(question.consultation.get_absolute_url()).content.decode()
    assert "Confirm your e-mail address" in page
    # Verified citizen: the form
    page = client_for(citizen).get(question.consultation.get_absolute_url()).content.decode()
    assert 'name="body"' in page


def test_double_submit_creates_one_answer(client_for, citizen, question):
    # Given a citizen who clicks "send" twice (or reloads the POST)
    client = client_for(citizen)
    first = client.post(answer_url(question), {"body": "Publish contracts."})
    second = client.post(answer_url(question), {"body": "Publish contracts."}, follow=True)
    # Then there is one answer and the second click is told so
    assert first.status_code == 302
    assert Answer.objects.count() == 1
    assert "not sent twice" in second.content.decode()
    # A different answer is a second answer
    client.post(answer_url(question), {"body": "Publish budgets too."})
    assert Answer.objects.count() == 2


def test_anonymous_answer_goes_to_sign_in(client, question):
    response = client.post(answer_url(question), {"body": "hello"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Answer.objects.exists()


def test_reminder_signup_is_idempotent(client_for, citizen, plan):
    # Given a consultation that opens next month
    now = timezone.now()
    consultation = make_consultation(
        plan, opens_at=now + dt.timedelta(days=30), closes_at=now + dt.timedelta(days=40)
    )
    client = client_for(citizen)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Remind me when it opens" in page
    url = reverse("consultations:reminder-signup", args=[consultation.pk])
    # When the citizen asks twice
    client.post(url)
    client.post(url)
    # Then there is one sign-up and the page says so
    assert ReminderSignup.objects.filter(consultation=consultation, user=citizen).count() == 1
    assert (
        "We will e-mail you when it opens."
        in client.get(consultation.get_absolute_url()).content.decode()
    )


# --- staff screens --------------------------------------------------------------------------


def test_civil_servant_runs_a_consultation(client_for, civil_servant, citizen, question):
    consultation = question.consultation
    client = client_for(civil_servant)
    # The staff panel is shown
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert reverse("consultations:answers-respond", args=[consultation.pk]) in page

    # A document: HTML renamed to .pdf is refused, a real PDF is published
    doc_url = reverse("consultations:consultation-document-add", args=[consultation.pk])
    fake = SimpleUploadedFile("brief.pdf", b"<html>hi</html>", content_type="application/pdf")
    assert client.post(doc_url, {"title": "Brief", "file": fake}).status_code == 200
    assert not ConsultationDocument.objects.exists()
    real = SimpleUploadedFile("brief.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(doc_url, {"title": "Brief", "file": real}).status_code == 302
    assert ConsultationDocument.objects.get().title == "Brief"

    # A second question goes to the end
    client.post(reverse("consultations:question-add", args=[consultation.pk]), {"text": "And?"})
    assert list(consultation.questions.values_list("text", flat=True)) == [
        "What should be published?",
        "And?",
    ]

    # An offline workshop with participants by sector and minutes
    offline_url = reverse("consultations:offline-event-add", args=[consultation.pk])
    data = {
        "channel": "workshop",
        "held_on": "2026-03-05",
        "place": "Town hall",
        "summary": "Open contracting was the top demand.",
        "sector_government": "4",
        "sector_civil_society": "12",
        "sector_academia": "2",
        "sector_private_sector": "",
        "sector_parliament": "1",
        "sector_other": "0",
        "minutes": SimpleUploadedFile("minutes.pdf", PDF_BYTES),
    }
    assert client.post(offline_url, data).status_code == 302
    event = OfflineEvent.objects.get()
    assert event.participants_by_sector == {
        "government": 4,
        "civil_society": 12,
        "academia": 2,
        "private_sector": 0,
        "parliament": 1,
        "other": 0,
    }
    assert event.participant_count == 19
    assert event.minutes.name.endswith(".pdf")


def test_offline_event_refuses_negative_numbers_and_bad_minutes(
    client_for, civil_servant, open_consultation
):
    url = reverse("consultations:offline-event-add", args=[open_consultation.pk])
    data = {
        "channel": "in_person",
        "held_on": "2026-03-05",
        "place": "Library",
        "summary": "Notes",
        "sector_government": "-1",
        "minutes": SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf"),
    }
    response = client_for(civil_servant).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Upload a PDF" in page
    assert 'value="Library"' in page
    assert not OfflineEvent.objects.exists()


def test_one_response_covers_a_group_of_answers(client_for, civil_servant, question):
    # Given three answers to a question and one to another question
    consultation = question.consultation
    people = [UserFactory() for _ in range(3)]
    answers = [
        Answer.objects.create(question=question, author=p, body=f"Idea {i}")
        for i, p in enumerate(people)
    ]
    other_q = GuidingQuestion.objects.create(consultation=consultation, text="Other?")
    elsewhere = Answer.objects.create(question=other_q, author=people[0], body="Elsewhere")
    client = client_for(civil_servant)
    url = reverse("consultations:answers-respond", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "<legend>What should be published?</legend>" in page

    # When answers of two questions are grouped: refused, nothing saved
    mixed = client.post(
        url,
        {
            "answers": [answers[0].pk, elsewhere.pk],
            "decision": ProposalStatus.ACCEPTED,
            "reason": "Both good.",
        },
    )
    assert mixed.status_code == 200
    assert "one question" in mixed.content.decode()
    assert not ReasonedResponse.objects.exists()

    # When two similar answers get one response
    response = client.post(
        url,
        {
            "answers": [answers[0].pk, answers[1].pk],
            "decision": ProposalStatus.PARTIALLY_ACCEPTED,
            "reason": "We will publish contracts above 10,000.",
        },
    )
    # Then one published response covers both; the third still waits
    assert response.status_code == 302
    reply = ReasonedResponse.objects.get()
    assert reply.published_at is not None
    assert set(reply.answers.values_list("pk", flat=True)) == {answers[0].pk, answers[1].pk}
    answers[2].refresh_from_db()
    assert answers[2].response is None
    event = AuditEvent.objects.get(action="consultations.answers.responded")
    assert event.data["answers"] == [answers[0].pk, answers[1].pk]
    # and the public page shows it with the group size
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "We will publish contracts above 10,000." in page
    assert "covers 2 similar answers" in page


# --- permissions from outside ---------------------------------------------------------------


STAFF_URLS = [
    ("consultations:consultation-edit", "get"),
    ("consultations:consultation-edit", "post"),
    ("consultations:consultation-notice", "post"),
    ("consultations:consultation-document-add", "get"),
    ("consultations:consultation-document-add", "post"),
    ("consultations:question-add", "get"),
    ("consultations:question-add", "post"),
    ("consultations:answers-respond", "get"),
    ("consultations:answers-respond", "post"),
    ("consultations:offline-event-add", "get"),
    ("consultations:offline-event-add", "post"),
]


def _staff_post_data(name, answer):
    return {
        "consultations:consultation-edit": form_data(title="Hijacked"),
        "consultations:question-add": {"text": "Injected?"},
        "consultations:answers-respond": {
            "answers": [answer.pk],
            "decision": ProposalStatus.NOT_ACCEPTED,
            "reason": "No",
        },
        "consultations:offline-event-add": {
            "channel": "workshop",
            "held_on": "2026-03-05",
            "place": "X",
            "summary": "Y",
        },
        "consultations:consultation-document-add": {
            "title": "Doc",
            "file": SimpleUploadedFile("a.pdf", PDF_BYTES),
        },
    }.get(name, {})


def _snapshot(consultation):
    consultation.refresh_from_db()
    return (
        consultation.title,
        consultation.notice_published_at,
        GuidingQuestion.objects.count(),
        ConsultationDocument.objects.count(),
        OfflineEvent.objects.count(),
        ReasonedResponse.objects.count(),
    )


@pytest.mark.parametrize(("name", "method"), STAFF_URLS)
def test_civil_servant_of_another_member_gets_403(
    client_for, other_member_civil_servant, citizen, question, name, method
):
    # Given an announced consultation of member A (unannounced would be 404: see below)
    consultation = question.consultation
    answer = Answer.objects.create(question=question, author=citizen, body="An idea")
    before = _snapshot(consultation)
    client = client_for(other_member_civil_servant)
    url = reverse(name, args=[consultation.pk])
    # When member B's civil servant uses a staff URL
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, _staff_post_data(name, answer))
    # Then 403, and nothing changed
    assert response.status_code == 403
    assert _snapshot(consultation) == before


def test_civil_servant_of_another_member_cannot_create(
    client_for, other_member_civil_servant, plan
):
    client = client_for(other_member_civil_servant)
    url = reverse("consultations:consultation-create", args=[plan.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(("name", "method"), STAFF_URLS)
def test_anonymous_is_sent_to_sign_in(client, question, name, method):
    url = reverse(name, args=[question.consultation.pk])
    response = client.get(url) if method == "get" else client.post(url, {})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_create_is_sent_to_sign_in(client, plan):
    response = client.get(reverse("consultations:consultation-create", args=[plan.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unannounced_consultation_is_visible_only_to_the_member(
    client, client_for, citizen, civil_servant, other_member_civil_servant, plan
):
    # Given a consultation whose notice is not published
    now = timezone.now()
    consultation = make_consultation(
        plan,
        opens_at=now + dt.timedelta(days=30),
        closes_at=now + dt.timedelta(days=40),
        notice=False,
        title="Quiet draft",
    )
    url = consultation.get_absolute_url()
    # Then citizens and anonymous visitors get 404, and it is not listed
    assert client_for(citizen).get(url).status_code == 404
    listing = client_for(citizen).get(reverse("consultations:consultation-list"))
    assert "Quiet draft" not in listing.content.decode()
    client.logout()
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("consultations:consultation-report", args=[consultation.pk])).status_code
        == 404
    )
    # A civil servant of another member gets 404 on its staff screens too (no leak)
    other = client_for(other_member_civil_servant)
    assert (
        other.get(reverse("consultations:consultation-edit", args=[consultation.pk])).status_code
        == 404
    )
    # The member's civil servant sees it
    page = client_for(civil_servant).get(url)
    assert page.status_code == 200
    assert "Publish the notice" in page.content.decode()


# --- bounded queries ------------------------------------------------------------------------


def _fill(consultation, question, n):
    people = UserFactory.create_batch(3)
    Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            author=people[i % 3],
            submitter_type="citizen",
            title=f"Proposal {i}",
            status=ProposalStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for i in range(n)
    )
    reply = ReasonedResponse.objects.create(
        consultation=consultation, decision="accepted", reason="Yes", published_at=timezone.now()
    )
    Answer.objects.bulk_create(
        Answer(question=question, author=people[i % 3], body=f"Answer {i}", response=reply)
        for i in range(n)
    )


@pytest.mark.parametrize("n", [5, 300])
def test_detail_runs_a_bounded_number_of_queries(
    client_for, civil_servant, question, django_assert_max_num_queries, n
):
    consultation = question.consultation
    _fill(consultation, question, n)
    client = client_for(civil_servant)
    # 18: one of them reads the session, which lives in the database (settings/base.py),
    # one the public log of changes since the notice (MR 3.1), one the person's own saved
    # drafts (listed for their author)
    with django_assert_max_num_queries(18):
        response = client.get(consultation.get_absolute_url())
    assert response.status_code == 200
    assert "Proposal 0" in response.content.decode() or n > 20


@pytest.mark.parametrize("n", [5, 300])
def test_list_runs_a_bounded_number_of_queries(
    client_for, civil_servant, plan, django_assert_max_num_queries, n
):
    now = timezone.now()
    Consultation.objects.bulk_create(
        Consultation(
            plan=plan,
            title=f"C{i}",
            kind="other",
            description="d",
            opens_at=now + dt.timedelta(days=i),
            closes_at=now + dt.timedelta(days=i + 10),
            notice_published_at=now,
        )
        for i in range(n)
    )
    client = client_for(civil_servant)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("consultations:consultation-list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(n, 25)

"""A member's public record from outside: the repository (newest first, filters, draft plans
out of sight, bounded queries), adding a document to it, and who may."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from records.choices import DocumentType
from records.models import RepositoryDocument
from tests.forums.factories import published_meeting

from .factories import RepositoryDocumentFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


# --- the repository -----------------------------------------------------------------------------


def test_repository_lists_documents_newest_first_and_filters(client, forum, member):
    from plans.models import ActionPlan

    plan = ActionPlan.objects.create(
        member=member,
        sequence_no=1,
        title="First plan",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31),
        status="implementation",
    )
    now = timezone.now()
    RepositoryDocumentFactory(
        member=member, title="Old report", published_at=now - dt.timedelta(days=30)
    )
    RepositoryDocumentFactory(
        member=member,
        title="Plan text",
        doc_type=DocumentType.ACTION_PLAN,
        plan=plan,
        published_at=now - dt.timedelta(days=1),
    )
    RepositoryDocumentFactory(
        member=member, title="Tomorrow", published_at=now + dt.timedelta(days=1)
    )
    url = reverse("records:repository", args=[member.slug])
    page = client.get(url).content.decode()
    assert page.index("Plan text") < page.index("Old report")
    assert "Tomorrow" not in page
    assert "Last updated on" in page
    filtered = client.get(url, {"doc_type": DocumentType.ACTION_PLAN}).content.decode()
    assert "Plan text" in filtered
    assert "Old report" not in filtered
    plan_page = client.get(reverse("records:repository-plan", args=[member.slug, plan.pk]))
    assert "Plan text" in plan_page.content.decode()
    assert "Old report" not in plan_page.content.decode()


def test_published_minutes_appear_in_the_repository(client, forum):
    meeting = published_meeting(forum, timezone.now() - dt.timedelta(days=3))
    RepositoryDocument.objects.create(
        member=forum.member,
        doc_type=DocumentType.MEETING_MINUTES,
        title=meeting.title,
        meeting=meeting,
        url=meeting.get_absolute_url(),
    )
    page = client.get(reverse("records:repository", args=[forum.member.slug])).content.decode()
    assert meeting.title in page
    assert meeting.get_absolute_url() in page


def test_staff_upload_is_checked_by_content(client_for, civil_servant, member):
    client = client_for(civil_servant)
    url = reverse("records:document-create", args=[member.slug])
    exe = SimpleUploadedFile(
        "report.docx", b"MZ\x90\x00 not a document", "application/octet-stream"
    )
    response = client.post(url, {"doc_type": "other", "title": "Report", "file": exe})
    assert response.status_code == 400
    assert 'value="Report"' in response.content.decode()
    good = SimpleUploadedFile("report.pdf", PDF_BYTES, "application/pdf")
    response = client.post(url, {"doc_type": "self_assessment", "title": "Report", "file": good})
    assert response.status_code == 302
    assert RepositoryDocument.objects.get(title="Report").file


def test_outsiders_cannot_upload(client_for, other_member_civil_servant, msf_member, member):
    url = reverse("records:document-create", args=[member.slug])
    for person in (other_member_civil_servant, msf_member):
        assert client_for(person).get(url).status_code == 403


@pytest.mark.parametrize("role", [None, "msf_member", "civil_servant", "secretariat"])
def test_repository_page_queries_are_bounded(
    request, client, client_for, busy_forum, django_assert_max_num_queries, role
):
    if role:
        client = client_for(request.getfixturevalue(role))
    url = reverse("records:repository", args=[busy_forum.member.slug])
    with django_assert_max_num_queries(14):
        response = client.get(url, {"page": 3})
    assert response.status_code == 200
    assert "Page 3 of 20" in response.content.decode()

"""Every address the repository, the compliance panel, repository files and open data had while
they lived in forums/ still answers as before (issue #12 moved them to records/)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.choices import PlanStatus
from records.choices import DocumentType
from records.models import RepositoryDocument
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 minutes"


@pytest.fixture
def on_record(member, civil_servant):
    plan = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION, title="Second plan")
    document = RepositoryDocument.objects.create(
        member=member, plan=plan, doc_type=DocumentType.ACTION_PLAN, title="The plan text",
        file=SimpleUploadedFile("plan.pdf", PDF), uploaded_by=civil_servant,
    )  # fmt: skip
    return plan, document


def test_the_old_paths_are_the_records_urls(member, on_record):
    plan, document = on_record
    slug = member.slug
    assert reverse("records:repository", args=[slug]) == f"/forums/{slug}/repository/"
    assert (
        reverse("records:repository-plan", args=[slug, plan.pk])
        == f"/forums/{slug}/repository/plans/{plan.pk}/"
    )
    assert reverse("records:document-create", args=[slug]) == f"/forums/{slug}/repository/add/"
    assert reverse("records:compliance", args=[slug]) == f"/forums/{slug}/compliance/"
    assert reverse("records:document-file", args=[document.pk]) == (
        f"/forums/documents/{document.pk}/file/"
    )
    assert reverse("opendata:index") == "/open-data/"
    assert reverse("opendata:dataset-export", args=["plans", "csv"]) == "/open-data/plans.csv"


def test_every_old_path_answers_as_before(client, client_for, member, civil_servant, on_record):
    plan, document = on_record
    slug = member.slug

    repository = client.get(f"/forums/{slug}/repository/")
    assert repository.status_code == 200
    assert "The plan text" in repository.content.decode()
    plan_page = client.get(f"/forums/{slug}/repository/plans/{plan.pk}/")
    assert plan_page.status_code == 200
    assert "The plan text" in plan_page.content.decode()
    assert client.get(f"/forums/{slug}/repository/plans/999999/").status_code == 404
    assert client.get("/forums/no-such-member/repository/").status_code == 404

    compliance = client.get(f"/forums/{slug}/compliance/")
    assert compliance.status_code == 200
    assert "<table" in compliance.content.decode()

    download = client.get(f"/forums/documents/{document.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client.get("/forums/documents/999999/file/").status_code == 404

    assert client.get("/open-data/").status_code == 200
    for name in ("plans.csv", "commitments.json", "milestones.csv", "decisions.json"):
        assert client.get(f"/open-data/{name}").status_code == 200, name

    # Adding a document: anonymous people sign in first, the member's civil servant gets the form.
    anonymous = client.get(f"/forums/{slug}/repository/add/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert client_for(civil_servant).get(f"/forums/{slug}/repository/add/").status_code == 200
    response = client_for(civil_servant).post(
        f"/forums/{slug}/repository/add/",
        {"doc_type": "other", "title": "Contact sheet", "url": "https://example.org/c.pdf"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/forums/{slug}/repository/"


def test_the_forum_pages_link_to_the_same_addresses(client, forum, on_record):
    slug = forum.member.slug
    page = client.get(f"/forums/{slug}/").content.decode()
    assert f'href="/forums/{slug}/repository/"' in page
    assert f'href="/forums/{slug}/compliance/"' in page
    assert "The plan text" in page  # the latest in the repository, through the forums hook

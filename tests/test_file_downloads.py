"""Uploaded files are served through views that apply the owner's visibility, never as
bare /media/ links (not served in production, and they would bypass draft visibility)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import ProgressUpdate
from plans.choices import PlanStatus
from tests.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 evidence"


def _evidence(plan, user):
    commitment = CommitmentFactory(plan=plan)
    return ProgressUpdate.objects.create(
        commitment=commitment,
        author=user,
        narrative="Done",
        evidence_file=SimpleUploadedFile("report.pdf", PDF),
    )


def test_evidence_of_a_public_commitment_downloads(client, member, civil_servant):
    update = _evidence(PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION), civil_servant)
    page = client.get(update.commitment.get_absolute_url()).content.decode()
    url = reverse("commitments:evidence-download", args=[update.pk])
    assert url in page
    assert "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_evidence_of_a_draft_commitment_is_not_public(client, client_for, member, civil_servant):
    update = _evidence(PlanFactory(member=member, status=PlanStatus.DRAFTING), civil_servant)
    url = reverse("commitments:evidence-download", args=[update.pk])
    assert client.get(url).status_code == 404
    assert client_for(civil_servant).get(url).status_code == 200


def test_repository_file_of_a_draft_plan_is_not_public(client, client_for, member, civil_servant):
    from django.utils import timezone

    from records.choices import DocumentType
    from records.models import RepositoryDocument

    draft = PlanFactory(member=member, status=PlanStatus.PLANNING)
    document = RepositoryDocument.objects.create(
        member=member, plan=draft, doc_type=DocumentType.OTHER, title="Memo",
        file=SimpleUploadedFile("memo.pdf", PDF), published_at=timezone.now(),
    )  # fmt: skip
    assert document.link == reverse("records:document-file", args=[document.pk])
    assert client.get(document.link).status_code == 404
    assert client_for(civil_servant).get(document.link).status_code == 200

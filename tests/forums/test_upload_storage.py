"""Uploads that cannot be stored, on the other paths (minutes files, repository and
consultation documents, progress evidence): a clear refusal (FileStorageError, shown on the
form like every DomainError) and nothing saved."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commitments.models import ProgressUpdate
from commitments.services import progress_post
from consultations.models import ConsultationDocument
from consultations.services.windows import consultation_add_document
from forums import services
from forums.choices import MeetingKind, MeetingStatus, Sector
from ogp_portal.core.stored_files import FileStorageError
from records.choices import DocumentType
from records.models import RepositoryDocument
from records.services import document_add
from tests.consultations.test_services import PDF_BYTES, make_consultation
from tests.consultations.test_upload_storage import files_under, make_media_read_only
from tests.factories import CommitmentFactory, PlanFactory


@pytest.fixture
def read_only_media(settings, tmp_path):
    yield make_media_read_only(settings, tmp_path)
    if (tmp_path / "media").is_dir():
        (tmp_path / "media").chmod(0o755)


def pdf():
    return SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")


def test_minutes_whose_file_cannot_be_stored_are_not_published(
    forum, civil_servant, read_only_media
):
    meeting = services.meeting_schedule(
        forum,
        actor=civil_servant,
        title="Implementation review",
        kind=MeetingKind.IMPLEMENTATION_REVIEW,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        location="Town hall",
        agenda="Progress",
    )
    services.meeting_record_attendance(
        meeting, actor=civil_servant, counts={Sector.GOVERNMENT: 4, Sector.CIVIL_SOCIETY: 5}
    )

    with pytest.raises(FileStorageError, match="could not be stored"):
        services.meeting_publish_minutes(
            meeting, actor=civil_servant, minutes_text="We met.", minutes_file=pdf()
        )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert not meeting.minutes_file
    assert not RepositoryDocument.objects.filter(meeting=meeting).exists()
    assert files_under(read_only_media) == []


def test_a_repository_document_that_cannot_be_stored_is_not_added(
    member, civil_servant, read_only_media
):
    with pytest.raises(FileStorageError):
        document_add(
            member,
            actor=civil_servant,
            doc_type=DocumentType.OTHER,
            title="Self-assessment",
            file=pdf(),
        )
    assert not RepositoryDocument.objects.exists()


def test_a_consultation_document_that_cannot_be_stored_is_not_added(
    member, civil_servant, read_only_media
):
    consultation = make_consultation(PlanFactory(member=member, status="co_creation"))
    with pytest.raises(FileStorageError):
        consultation_add_document(consultation, actor=civil_servant, title="Background", file=pdf())
    assert not ConsultationDocument.objects.exists()


def test_progress_evidence_that_cannot_be_stored_posts_nothing(
    member, civil_servant, read_only_media
):
    commitment = CommitmentFactory(plan=PlanFactory(member=member, status="implementation"))
    with pytest.raises(FileStorageError):
        progress_post(
            commitment, actor=civil_servant, narrative="Registers online.", evidence_file=pdf()
        )
    assert not ProgressUpdate.objects.exists()

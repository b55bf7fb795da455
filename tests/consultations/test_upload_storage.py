"""A proposal whose attachment cannot be stored: a clear message on the form, the typed text
kept, and nothing half-written (no proposal without its file, no file without its row)."""

import os
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from consultations.models import Proposal, ProposalAttachment
from consultations.services import proposals as proposal_services
from consultations.services.proposals import proposal_save

from .test_services import PDF_BYTES


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def make_media_read_only(settings, tmp_path: Path) -> Path:
    """Point MEDIA_ROOT where nothing can be written. chmod does not bind root, so as root
    the folder sits under a plain file instead: creating it fails with an OSError the same."""
    if os.geteuid() == 0:
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        settings.MEDIA_ROOT = str(blocker / "media")
    else:
        media = tmp_path / "media"
        media.mkdir()
        media.chmod(0o555)
        settings.MEDIA_ROOT = str(media)
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def read_only_media(settings, tmp_path):
    yield make_media_read_only(settings, tmp_path)
    if (tmp_path / "media").is_dir():
        (tmp_path / "media").chmod(0o755)  # so that pytest can remove it


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def pdf(name="idea.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_an_attachment_that_cannot_be_stored_keeps_the_text_and_saves_nothing(
    client_for, citizen, consultation, read_only_media
):
    # Given a person writing a proposal with an attachment, and an upload folder that
    # cannot be written
    client = client_for(citizen)
    data = {
        "title": "Open the court registers",
        "problem": "Nobody can see who is waiting for trial.",
        "proposed_solution": "Publish the registers as open data.",
        "on_behalf_of": "",
        "submission_token": str(uuid.uuid4()),
        "action": "submit",
        "attachments": [pdf()],
    }

    # When they submit it
    response = client.post(reverse("consultations:proposal-create", args=[consultation.pk]), data)

    # Then the form comes back with a clear message and everything they typed
    html = response.content.decode()
    assert response.status_code == 200  # the form again, as for every refusal
    assert "Your file could not be stored just now, so nothing was saved." in html
    assert "attach the file again" in html
    assert 'value="Open the court registers"' in html
    assert "Nobody can see who is waiting for trial.</textarea>" in html
    assert "Publish the registers as open data.</textarea>" in html
    # and nothing was half-written
    assert not Proposal.objects.exists()
    assert not ProposalAttachment.objects.exists()
    assert files_under(read_only_media) == []


def test_a_failure_after_the_files_were_written_leaves_no_orphan_file(
    citizen, consultation, media, monkeypatch
):
    # Given two attachments that are written, and a database that fails right after
    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(proposal_services, "record_event", fail)

    # When the proposal is submitted
    with pytest.raises(OperationalError):
        proposal_save(
            consultation,
            actor=citizen,
            submit=True,
            token=str(uuid.uuid4()),
            title="Open the court registers",
            problem="Nobody can see who is waiting for trial.",
            attachments=[pdf("one.pdf"), pdf("two.pdf")],
        )

    # Then neither the rows nor the files are left
    assert not Proposal.objects.exists()
    assert not ProposalAttachment.objects.exists()
    assert files_under(media) == []


def test_a_stored_attachment_is_kept(citizen, consultation, media):
    proposal = proposal_save(
        consultation,
        actor=citizen,
        submit=True,
        token=str(uuid.uuid4()),
        title="Open the court registers",
        problem="Nobody can see who is waiting for trial.",
        attachments=[pdf()],
    )
    attachment = proposal.attachments.get()
    assert [p.name for p in files_under(media)] == ["idea.pdf"]
    assert attachment.file.read().startswith(b"%PDF-")

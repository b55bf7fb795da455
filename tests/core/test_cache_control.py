"""Nothing a signed-in person sees may be kept by a browser or proxy cache; /health/ is
never cached; public pages for anonymous readers stay cacheable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import ProgressUpdate
from plans.choices import PlanStatus
from tests.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_pages_for_a_signed_in_person_are_private_and_not_stored(client_for, citizen):
    client = client_for(citizen)
    for url in ("/", reverse("notifications:inbox"), "/plans/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _directives(response), url


def test_a_private_download_is_private_and_not_stored(client, client_for, member, civil_servant):
    # Given evidence on a commitment of a plan still being drafted (not public)
    commitment = CommitmentFactory(plan=PlanFactory(member=member, status=PlanStatus.DRAFTING))
    update = ProgressUpdate.objects.create(
        commitment=commitment, author=civil_servant, narrative="Done",
        evidence_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 evidence"),
    )  # fmt: skip
    url = reverse("commitments:evidence-download", args=[update.pk])

    # When its author downloads it
    response = client_for(civil_servant).get(url)

    # Then no cache may keep it
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_public_pages_for_anonymous_readers_stay_cacheable(client):
    response = client.get("/plans/")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)


def test_health_is_never_stored(client):
    response = client.get(reverse("health"))
    assert "no-store" in _directives(response)

"""Shadow monitoring (#16, item 6): civil society publishes its own assessment of each public
commitment beside the government's, at /commitments/<ogp_id>/monitoring/; where it differs
from the government's status, the commitment page says so."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import ShadowAssessment
from ogp_portal.core.models import AuditEvent
from plans.choices import PlanStatus
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
    join,
)

pytestmark = pytest.mark.django_db

DIFFERS = "Civil society assesses this differently"


@pytest.fixture
def commitment(member):
    plan = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    commitment = CommitmentFactory(plan=plan, status="in_progress")
    MilestoneFactory(commitment=commitment, status="in_progress")
    return commitment


def _assess(client, commitment, organisation, status="not_started", **extra):
    return client.post(
        reverse("commitments:assessment-publish", args=[commitment.ogp_id]),
        {
            "organisation": organisation.pk,
            "status": status,
            "note": "No procurement has started; the budget line is empty.",
            "evidence_url": "https://watchdog.example.org/report",
            **extra,
        },
    )


def test_a_cso_publishes_a_differing_assessment_and_the_commitment_page_flags_it(
    client, client_for, cso, cso_member, commitment
):
    # When the CSO says the commitment has not started, while the government says it has
    assert _assess(client_for(cso_member), commitment, cso).status_code == 302
    assert AuditEvent.objects.filter(action="commitments.assessment.published").exists()
    client.logout()
    # Then the public monitoring page shows both accounts
    monitoring = client.get(reverse("commitments:commitment-monitoring", args=[commitment.ogp_id]))
    html = monitoring.content.decode()
    assert monitoring.status_code == 200
    assert "The government’s account" in html
    assert cso.name in html
    assert "No procurement has started" in html
    assert "https://watchdog.example.org/report" in html
    # And the commitment page says civil society sees it otherwise
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert DIFFERS in page
    assert f"{cso.name}: Not started" in page


def test_an_assessment_that_agrees_is_not_flagged(client, client_for, cso, cso_member, commitment):
    _assess(client_for(cso_member), commitment, cso, status="in_progress")
    client.logout()
    assert DIFFERS not in client.get(commitment.get_absolute_url()).content.decode()


def test_publishing_again_replaces_the_organisations_assessment(
    client_for, cso, cso_member, commitment
):
    client = client_for(cso_member)
    _assess(client, commitment, cso, status="not_started")
    _assess(client, commitment, cso, status="complete")
    assert ShadowAssessment.objects.get().status == "complete"
    assert AuditEvent.objects.filter(action="commitments.assessment.published").count() == 2


def test_an_evidence_file_is_checked_and_offered(client, client_for, cso, cso_member, commitment):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = _assess(client_for(cso_member), commitment, cso, evidence_file=pdf)
    assert response.status_code == 302
    assessment = ShadowAssessment.objects.get()
    client.logout()
    url = reverse("commitments:assessment-evidence", args=[assessment.pk])
    assert client.get(url).status_code == 200
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = _assess(client_for(UserFactory()), commitment, cso, evidence_file=fake)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "who",
    ["citizen", "civil_servant", "other_member_cso_member", "unverified_cso_member", "msf_member"],
)
def test_only_representatives_of_the_members_verified_csos_may_publish(
    request, client_for, who, cso, commitment
):
    client = client_for(request.getfixturevalue(who))
    url = reverse("commitments:assessment-publish", args=[commitment.ogp_id])
    assert client.get(url).status_code == 403
    assert _assess(client, commitment, cso).status_code == 403
    assert not ShadowAssessment.objects.exists()


def test_a_cso_member_cannot_publish_for_another_organisation(
    client_for, member, cso_member, commitment
):
    stranger = OrganisationFactory(member=member, name="Not mine")
    response = _assess(client_for(cso_member), commitment, stranger)
    assert response.status_code == 200  # the form again, with the reason
    assert not ShadowAssessment.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, cso, commitment):
    response = _assess(client, commitment, cso)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_working_draft_cannot_be_assessed_or_seen(client, client_for, member, cso, cso_member):
    draft = CommitmentFactory(plan=PlanFactory(member=member, status=PlanStatus.DRAFTING))
    assert _assess(client_for(cso_member), draft, cso).status_code == 404
    client.logout()
    url = reverse("commitments:commitment-monitoring", args=[draft.ogp_id])
    assert client.get(url).status_code == 404


def test_the_monitoring_page_has_bounded_queries(
    client, member, commitment, django_assert_max_num_queries
):
    from django.utils import timezone

    for i in range(30):
        org = OrganisationFactory(member=member, name=f"Watch {i:02d}")
        join(UserFactory(), org)
        ShadowAssessment.objects.create(
            commitment=commitment, organisation=org, status="not_started", note=f"Note {i}",
            published_at=timezone.now(),
        )  # fmt: skip
    url = reverse("commitments:commitment-monitoring", args=[commitment.ogp_id])
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert "Watch 29" in response.content.decode()
    with django_assert_max_num_queries(30):
        assert client.get(commitment.get_absolute_url()).status_code == 200

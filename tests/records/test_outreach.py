"""The outreach log of a plan (MR 3.2), from outside: staff record an activity with its
evidence; it is public, it is in the member's repository and it counts on the plan's
self-assessment; nobody else may record one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.choices import DocumentType
from records.models import OutreachActivity, RepositoryDocument
from records.selectors.self_assessment import Status, plan_self_assessment
from tests.factories import PlanFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="co_creation")


def form(**overrides):
    data = {
        "title": "Radio phone-in on the new plan",
        "place": "Radio Valdoria, 98.1 FM",
        "held_on": "2026-02-03",
        "audience": "About 5,000 listeners, 14 callers",
        "materials": "Script and leaflet",
        "evidence": SimpleUploadedFile("leaflet.pdf", PDF_BYTES, "application/pdf"),
    }
    return {**data, **overrides}


def test_a_civil_servant_records_outreach_that_everyone_sees(client, client_for, civil_servant,
                                                             plan, member):  # fmt: skip
    url = reverse("plan_records:outreach-create", args=[plan.pk])
    response = client_for(civil_servant).post(url, form())
    assert response.status_code == 302
    activity = OutreachActivity.objects.get()
    client.logout()
    # Public list, with its evidence file
    page = client.get(reverse("plan_records:outreach-list", args=[plan.pk])).content.decode()
    assert "Radio phone-in on the new plan" in page
    assert "About 5,000 listeners, 14 callers" in page
    evidence = client.get(activity.evidence_link)
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")
    # In the repository
    document = RepositoryDocument.objects.get(outreach=activity)
    assert document.doc_type == DocumentType.OUTREACH
    repository = client.get(reverse("records:repository", args=[member.slug])).content.decode()
    assert "Radio phone-in on the new plan" in repository
    assert client.get(document.link.split("#")[0]).status_code == 200
    # On the self-assessment
    line = next(x for x in plan_self_assessment(plan).lines if x.code == "MR 3.2")
    assert line.status == Status.MET
    assert line.links[0].url == activity.get_absolute_url()


def test_a_bad_upload_is_a_form_error_with_the_text_kept(client_for, civil_servant, plan):
    bad = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_for(civil_servant).post(
        reverse("plan_records:outreach-create", args=[plan.pk]), form(evidence=bad)
    )
    assert response.status_code == 400
    assert "Radio phone-in on the new plan" in response.content.decode()
    assert not OutreachActivity.objects.exists()


@pytest.mark.parametrize("who", ["citizen", "cso_member", "other_member_civil_servant"])
def test_others_may_not_record_outreach(request, client_for, plan, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        reverse("plan_records:outreach-create", args=[plan.pk]), form()
    )
    assert response.status_code == 403
    assert not OutreachActivity.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(reverse("plan_records:outreach-create", args=[plan.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_secretariat_may_record_outreach(client_for, plan):
    from ogp_portal.organisations.choices import Role

    staff = UserFactory(email="staff2@example.org", is_staff=True)
    grant(staff, Role.SECRETARIAT)
    # (Secretariat accounts need two-factor sign-in; the rule itself is what is tested here.)
    assert staff.has_perm("records.add_outreach", plan)


def test_the_outreach_list_is_404_for_a_plan_in_planning(client, member):
    draft = PlanFactory(member=member, status="planning")
    assert client.get(reverse("plan_records:outreach-list", args=[draft.pk])).status_code == 404


def test_the_list_runs_a_bounded_number_of_queries(client, plan, civil_servant,
                                                   django_assert_max_num_queries):  # fmt: skip
    import datetime as dt

    OutreachActivity.objects.bulk_create(
        OutreachActivity(plan=plan, title=f"Activity {i}", place="Town hall",
                         held_on=dt.date(2026, 1, 1) + dt.timedelta(days=i), audience="Residents")
        for i in range(60)
    )  # fmt: skip
    with django_assert_max_num_queries(8):
        response = client.get(reverse("plan_records:outreach-list", args=[plan.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="post"') == 25

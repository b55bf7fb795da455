"""Commitments and milestones as civil servants and commitment leads write them."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from commitments import services
from commitments.choices import CommitmentStatus
from commitments.models import Commitment, Milestone
from ogp_portal.core.translations import translations_save
from plans.choices import PlanStatus as S
from plans.models import ActionPlan
from tests.factories import (
    CommitmentFactory,
    MemberFactory,
    MilestoneFactory,
    PlanFactory,
    PolicyAreaFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plan(member):
    return PlanFactory(
        member=member, status=S.DRAFTING, period_start=D(2026, 1, 1), period_end=D(2027, 12, 31)
    )


def commitment_data(**overrides):
    data = {
        "title": "Open court data",
        "summary": "Courts publish how long cases take.",
        "start_date": "2026-01-01",
        "end_date": "2027-06-30",
        "lead_institution": "Ministry of Justice",
        "problem": "Nobody knows how long cases take.",
        "access_to_information": "on",
        "access_to_information_explanation": "Publishes court data.",
    }
    return data | overrides


# --- IDs -----------------------------------------------------------------------------------


def test_ids_are_iso_code_plus_four_digits_and_sequential(civil_servant, plan):
    first = services.commitment_create(plan, actor=civil_servant, **_fields())
    second = services.commitment_create(plan, actor=civil_servant, **_fields())
    assert (first.ogp_id, second.ogp_id) == ("XV0001", "XV0002")
    other = PlanFactory(member=MemberFactory(iso_code="FR"), period_start=D(2026, 1, 1))
    assert services.commitment_create(other, actor=civil_servant, **_fields()).ogp_id == "FR0001"


def test_ids_never_repeat_even_after_a_deletion(civil_servant, plan):
    first = services.commitment_create(plan, actor=civil_servant, **_fields())
    second = services.commitment_create(plan, actor=civil_servant, **_fields())
    first.delete()
    third = services.commitment_create(plan, actor=civil_servant, **_fields())
    assert third.ogp_id == "XV0003"
    assert len({second.ogp_id, third.ogp_id}) == 2


def test_id_is_unique_in_the_database(plan):
    from django.db import IntegrityError

    CommitmentFactory(plan=plan, ogp_id="XV0042")
    with pytest.raises(IntegrityError):
        CommitmentFactory(plan=plan, ogp_id="XV0042")


def _fields(**extra):
    return {
        "title": "T",
        "summary": "S",
        "lead_institution": "L",
        "start_date": D(2026, 1, 1),
        "end_date": D(2026, 12, 31),
    } | extra


# --- forms: containment, errors keep input ---------------------------------------------------


def test_create_through_the_form(client_for, civil_servant, plan):
    area = PolicyAreaFactory(plan=plan, name="Access to Justice")
    response = client_for(civil_servant).post(
        reverse("commitments:commitment-create", args=[plan.pk]),
        commitment_data(policy_area=area.pk),
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    assert commitment.policy_area == area
    assert commitment.access_to_information


def test_commitment_dates_must_lie_inside_the_plan(client_for, civil_servant, plan):
    response = client_for(civil_servant).post(
        reverse("commitments:commitment-create", args=[plan.pk]),
        commitment_data(end_date="2028-03-31"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "inside the plan period" in page
    assert 'value="Open court data"' in page
    assert not Commitment.objects.exists()


def test_milestone_dates_must_lie_inside_the_commitment(client_for, civil_servant, plan):
    commitment = CommitmentFactory(plan=plan, start_date=D(2026, 3, 1), end_date=D(2026, 9, 30))
    response = client_for(civil_servant).post(
        reverse("commitments:milestone-create", args=[commitment.ogp_id]),
        {
            "description": "Publish the data",
            "start_date": "2026-02-01",
            "due_date": "2026-10-31",
            "status": "not_started",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    # The hint at the top of the form, then one error per date field
    assert page.count("Milestone dates must lie inside") == 3
    assert "Publish the data" in page
    assert not Milestone.objects.exists()


def test_policy_area_of_another_plan_is_refused(civil_servant, plan):
    foreign = PolicyAreaFactory()
    with pytest.raises(Exception, match="Select a valid choice|policy area of this plan"):
        services.commitment_create(plan, actor=civil_servant, **_fields(policy_area=foreign))


# --- optimistic locking -----------------------------------------------------------------------


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_text(client_for, civil_servant, plan):
    commitment = CommitmentFactory(plan=plan, title="Original")
    url = reverse("commitments:commitment-edit", args=[commitment.ogp_id])
    client = client_for(civil_servant)
    # Two civil servants open the form at version 1
    first = commitment_data(title="First save", version=1)
    second = commitment_data(title="Second save, typed carefully", version=1)
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "saved this page" in page
    assert 'value="Second save, typed carefully"' in page
    commitment.refresh_from_db()
    assert commitment.title == "First save"
    assert commitment.version == 2


def test_plan_text_is_locked_the_same_way(client_for, civil_servant, plan):
    url = reverse("plans:plan-edit", args=[plan.pk])
    data = plan_edit_data(plan)
    client = client_for(civil_servant)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"vision": "Theirs"})
    assert response.status_code == 409
    assert "Theirs" in response.content.decode()
    plan.refresh_from_db()
    assert plan.vision == "Mine"


# --- versions and diff --------------------------------------------------------------------------


def test_every_edit_is_a_version_with_a_readable_diff(client, client_for, civil_servant, plan):
    commitment = services.commitment_create(
        plan, actor=civil_servant, **_fields(solution="Publish data.")
    )
    services.commitment_update(
        commitment, actor=civil_servant, expected_version=1, solution="Publish open data monthly."
    )
    services.commitment_update(
        commitment, actor=civil_servant, expected_version=2, title="Open court data"
    )
    assert commitment.history.count() == 3
    plan.status = S.DRAFT_PUBLIC_COMMENT
    plan.save()
    page = client.get(reverse("commitments:commitment-history", args=[commitment.ogp_id]))
    html = page.content.decode()
    assert page.status_code == 200
    # Only the words that changed are marked, the rest reads as it was
    assert "Publish <ins>open </ins>data<ins> monthly</ins>." in html
    assert "<del>T</del>" in html
    assert "<ins>Open court data</ins>" in html


def test_diff_escapes_html(civil_servant, plan, client_for):
    commitment = services.commitment_create(plan, actor=civil_servant, **_fields())
    services.commitment_update(
        commitment, actor=civil_servant, expected_version=1, problem="<script>alert(1)</script>"
    )
    html = (
        client_for(civil_servant)
        .get(reverse("commitments:commitment-history", args=[commitment.ogp_id]))
        .content.decode()
    )
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


# --- status derived from milestones, progress by commitment leads -----------------------------


def test_status_follows_the_milestones(civil_servant, plan):
    commitment = CommitmentFactory(plan=plan)
    a = services.milestone_create(commitment, actor=civil_servant, **_milestone())
    b = services.milestone_create(commitment, actor=civil_servant, **_milestone())
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
    services.milestone_update(a, actor=civil_servant, expected_version=a.version, status="complete")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    services.milestone_update(b, actor=civil_servant, expected_version=b.version, status="complete")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.COMPLETE


def _milestone(**extra):
    return {"description": "Step", "start_date": D(2026, 1, 1), "due_date": D(2026, 6, 30)} | extra


def test_commitment_lead_posts_progress_with_evidence(client_for, commitment_lead, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan.status = S.IMPLEMENTATION
    plan.save()
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    client = client_for(commitment_lead)
    evidence = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = client.post(
        reverse("commitments:progress-create", args=[commitment.ogp_id]),
        {
            "milestone": milestone.pk,
            "milestone_status": "complete",
            "narrative": "The data is online.",
            "evidence_file": evidence,
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    commitment.refresh_from_db()
    assert milestone.status == "complete"
    assert commitment.status == CommitmentStatus.COMPLETE
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "The data is online." in page
    assert "Evidence (file)" in page


def test_evidence_must_really_be_a_document(client_for, commitment_lead, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan.status = S.IMPLEMENTATION
    plan.save()
    commitment = CommitmentFactory(plan=plan)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(commitment_lead).post(
        reverse("commitments:progress-create", args=[commitment.ogp_id]),
        {"narrative": "See file", "evidence_file": fake},
    )
    assert response.status_code == 200
    assert "content must match its name" in response.content.decode()
    assert not commitment.progress_updates.exists()


def test_withdrawing_needs_a_public_reason(client_for, civil_servant, plan):
    commitment = CommitmentFactory(plan=plan)
    url = reverse("commitments:commitment-withdraw", args=[commitment.ogp_id])
    client = client_for(civil_servant)
    client.post(url, {"reason": ""})
    commitment.refresh_from_db()
    assert commitment.status != CommitmentStatus.WITHDRAWN
    client.post(url, {"reason": "Merged into XV0002 after the forum's decision."})
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.WITHDRAWN
    assert "Merged into XV0002" in client.get(commitment.get_absolute_url()).content.decode()


def test_a_refused_withdrawal_comes_back_with_the_reason_typed(client_for, civil_servant, plan):
    # Given a commitment of a plan that has been archived
    commitment = CommitmentFactory(plan=plan)
    ActionPlan.objects.filter(pk=plan.pk).update(status=S.ARCHIVED)
    # When a civil servant withdraws it with a reason
    response = client_for(civil_servant).post(
        reverse("commitments:commitment-withdraw", args=[commitment.ogp_id]),
        {"reason": "Overtaken by the new law."},
    )
    # Then the commitment page comes back with the reason typed and why it was refused
    assert response.status_code == 400
    page = response.content.decode()
    assert "Overtaken by the new law." in page
    assert "An archived plan can no longer be edited." in page
    commitment.refresh_from_db()
    assert commitment.status != CommitmentStatus.WITHDRAWN


# --- languages -----------------------------------------------------------------------------------


def test_visitor_language_with_a_clear_fallback(client, plan):
    plan.status = S.IMPLEMENTATION
    plan.save()
    commitment = CommitmentFactory(plan=plan, title="Open court data", summary="Courts publish.")
    translations_save(commitment, "fr", {"title": "Données judiciaires ouvertes"})
    page = client.get(commitment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Données judiciaires ouvertes" in page
    # The summary has no French translation: shown in English, and the page says so
    assert 'lang="en"' in page
    assert "Courts publish." in page
    assert "fallback-note" in page


def test_right_to_left_content_is_marked_up(client, member):
    plan = PlanFactory(member=member, status=S.IMPLEMENTATION, primary_language="ar")
    commitment = CommitmentFactory(plan=plan, title="بيانات المحاكم المفتوحة")
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert 'lang="ar" dir="rtl">بيانات المحاكم المفتوحة' in page


def test_civil_servant_translates_a_commitment(client_for, civil_servant, plan):
    plan.member.languages = ["en", "fr"]
    plan.member.save()
    commitment = CommitmentFactory(plan=plan)
    ct = ContentType.objects.get_for_model(Commitment).pk
    url = reverse("translate", args=[ct, commitment.pk, "fr"])
    client = client_for(civil_servant)
    assert client.get(url).status_code == 200
    client.post(url, {"title": "Engagement traduit"})
    page = client.get(commitment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Engagement traduit" in page


def test_outsider_cannot_translate(client_for, other_member_civil_servant, plan):
    commitment = CommitmentFactory(plan=plan)
    ct = ContentType.objects.get_for_model(Commitment).pk
    url = reverse("translate", args=[ct, commitment.pk, "fr"])
    # A working draft the outsider cannot see: 404, so its existence does not leak (#13) ...
    assert client_for(other_member_civil_servant).post(url, {"title": "X"}).status_code == 404
    # ... and 403 once the plan is public.
    plan.status = S.IMPLEMENTATION
    plan.save()
    assert client_for(other_member_civil_servant).post(url, {"title": "X"}).status_code == 403


def test_search_finds_translations_too(client, plan):
    plan.status = S.IMPLEMENTATION
    plan.save()
    commitment = CommitmentFactory(plan=plan, title="Open court data")
    translations_save(commitment, "fr", {"title": "Justice transparente"})
    page = client.get(reverse("commitments:commitment-list"), {"q": "transparente"}).content
    assert commitment.ogp_id in page.decode()


def test_milestone_edits_appear_on_the_commitment_versions_page(client_for, civil_servant, plan):
    commitment = CommitmentFactory(plan=plan)
    milestone = services.milestone_create(
        commitment, actor=civil_servant, **_milestone(description="Publish the register")
    )
    services.milestone_update(
        milestone,
        actor=civil_servant,
        expected_version=milestone.version,
        description="Publish the open register",
    )
    html = (
        client_for(civil_servant)
        .get(reverse("commitments:commitment-history", args=[commitment.ogp_id]))
        .content.decode()
    )
    assert "Milestone: Publish the open register" in html
    assert "<ins>open </ins>" in html


def test_versions_pages_queries_are_bounded(
    client_for, civil_servant, plan, django_assert_max_num_queries
):
    commitment = CommitmentFactory(plan=plan)
    for i in range(20):
        m = services.milestone_create(commitment, actor=civil_servant, **_milestone())
        services.milestone_update(
            m, actor=civil_servant, expected_version=m.version, description=f"Step {i}"
        )
        PolicyAreaFactory(plan=plan)
    client = client_for(civil_servant)
    with django_assert_max_num_queries(12):
        assert (
            client.get(
                reverse("commitments:commitment-history", args=[commitment.ogp_id])
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:plan-history", args=[plan.pk])).status_code == 200


# --- regressions found in review ------------------------------------------------------------


def test_translate_page_escapes_the_original_text(client_for, civil_servant, plan):
    commitment = CommitmentFactory(plan=plan, title="<script>alert(1)</script>")
    ct = ContentType.objects.get_for_model(Commitment).pk
    html = client_for(civil_servant).get(reverse("translate", args=[ct, commitment.pk, "fr"]))
    assert b"<script>alert(1)" not in html.content
    assert b"&lt;script&gt;alert(1)" in html.content


def test_commitment_lead_cannot_report_on_draft_commitments(client_for, commitment_lead, plan):
    commitment = CommitmentFactory(plan=plan)  # the plan is still in drafting
    milestone = MilestoneFactory(commitment=commitment)
    url = reverse("commitments:progress-create", args=[commitment.ogp_id])
    client = client_for(commitment_lead)
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"narrative": "x", "milestone": milestone.pk, "milestone_status": "complete"}
    )
    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == "not_started"


def test_archived_plans_refuse_withdrawal_progress_and_translation(civil_servant, plan, client_for):
    from ogp_portal.core.errors import DomainError

    commitment = CommitmentFactory(plan=plan)
    plan.status = S.ARCHIVED
    plan.save()
    with pytest.raises(DomainError, match="archived"):
        services.commitment_withdraw(commitment, actor=civil_servant, reason="Reason")
    with pytest.raises(DomainError, match="archived"):
        services.progress_post(commitment, actor=civil_servant, narrative="Late news")
    ct = ContentType.objects.get_for_model(Commitment).pk
    client_for(civil_servant).post(
        reverse("translate", args=[ct, commitment.pk, "fr"]), {"title": "Traduit"}
    )
    from ogp_portal.core.models import Translation

    assert not Translation.objects.exists()


def test_withdrawing_twice_keeps_the_first_public_reason(civil_servant, plan):
    from ogp_portal.core.errors import DomainError

    commitment = CommitmentFactory(plan=plan)
    services.commitment_withdraw(commitment, actor=civil_servant, reason="Merged into XV0002.")
    with pytest.raises(DomainError, match="already withdrawn"):
        services.commitment_withdraw(commitment, actor=civil_servant, reason="Another reason")
    commitment.refresh_from_db()
    assert commitment.withdrawn_reason == "Merged into XV0002."


def test_plan_in_notice_without_a_notice_time_does_not_crash(client_for, civil_servant, plan):
    plan.status = S.NOTICE
    plan.notice_published_at = None  # e.g. edited by hand in the admin
    plan.save()
    response = client_for(civil_servant).get(plan.get_absolute_url())
    assert response.status_code == 200
    assert "notice has not been published" in response.content.decode()


def test_csv_export_keeps_formulas_as_text_and_imports_them_back(client_for, civil_servant, plan):
    plan.status = S.IMPLEMENTATION
    plan.save()
    PolicyAreaFactory(plan=plan, name="Area")
    CommitmentFactory(plan=plan, title='=HYPERLINK("http://evil.example")')
    client = client_for(civil_servant)
    csv_text = b"".join(
        client.get(
            reverse("commitments:commitment-export", args=[plan.pk, "csv"])
        ).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commitments.interchange import parse_upload

    rows = parse_upload(SimpleUploadedFile("export.csv", csv_text.encode()))
    assert rows[0].values["title"] == '=HYPERLINK("http://evil.example")'


# --- double submits ---------------------------------------------------------------------------


def test_double_submitted_commitment_form_makes_one_commitment(client_for, civil_servant, plan):
    import uuid

    client = client_for(civil_servant)
    url = reverse("commitments:commitment-create", args=[plan.pk])
    data = commitment_data(submission_token=str(uuid.uuid4()))
    first, second = client.post(url, data), client.post(url, data)
    commitment = Commitment.objects.get()  # one commitment, one OGP ID used
    assert first["Location"] == second["Location"] == commitment.get_absolute_url()
    # A new form (new token) still creates a new commitment
    client.post(url, commitment_data(submission_token=str(uuid.uuid4())))
    assert Commitment.objects.count() == 2


def test_double_submitted_milestone_form_makes_one_milestone(client_for, civil_servant, plan):
    import uuid

    commitment = CommitmentFactory(plan=plan)
    url = reverse("commitments:milestone-create", args=[commitment.ogp_id])
    data = {
        "description": "Publish the register",
        "start_date": "2026-02-01",
        "due_date": "2026-06-30",
        "status": "not_started",
        "submission_token": str(uuid.uuid4()),
    }
    client = client_for(civil_servant)
    client.post(url, data)
    client.post(url, data)
    assert commitment.milestones.count() == 1


def test_the_create_form_carries_a_fresh_token(client_for, civil_servant, plan):
    client = client_for(civil_servant)
    url = reverse("commitments:commitment-create", args=[plan.pk])
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert 'name="submission_token"' in first
    token = first.split('name="submission_token" value="')[1][:36]
    assert token not in second


def test_long_history_shows_the_newest_fifty_edits_each_with_its_diff(
    client_for, civil_servant, plan, django_assert_max_num_queries
):
    commitment = services.commitment_create(plan, actor=civil_servant, **_fields(budget="0"))
    for i in range(1, 61):
        services.commitment_update(
            commitment, actor=civil_servant, expected_version=commitment.version, budget=str(i)
        )
    client = client_for(civil_servant)
    url = reverse("commitments:commitment-history", args=[commitment.ogp_id])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert html.count('class="version"') == 50
    # The oldest version shown (edit 11) is still compared with edit 10, not called "first"
    assert "<del>10</del>" in html
    assert "First version." not in html


def plan_edit_data(plan, **changes):
    """The plan edit form as a civil servant sends it (the version they opened)."""
    return {
        "title": plan.title,
        "period_start": "2026-01-01",
        "period_end": "2027-12-31",
        "standards_version": "2021",
        "primary_language": "en",
        "vision": "Mine",
        "version": plan.version,
    } | changes

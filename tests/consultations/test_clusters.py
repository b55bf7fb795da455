"""Groups of near-duplicate inputs from outside: staff start the job, follow its progress,
confirm a suggested group and answer it with one response that every member shows; merges
and splits keep their history; outsiders neither start jobs nor see suggestions."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.choices import InputKind
from consultations.clustering import find_groups
from consultations.models import ClusteringJob, InputCluster, InputEntry
from consultations.tasks import suggest_clusters_task
from ogp_portal.core.models import OutboxMessage
from tests.factories import PlanFactory

CAMPAIGN = (
    "Dear minister, please publish every court judgment online within thirty days, "
    "free of charge and in open formats, so that anyone can check how justice is done."
)


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="reasoned_response")


def add_input(plan, text, title=None):
    return InputEntry.objects.create(
        plan=plan, kind=InputKind.PROPOSAL, title=title or text[:60], text=text
    )


@pytest.fixture
def campaign(plan):
    """Five copies of a campaign text, each signed differently, one slightly edited, and
    two unrelated inputs."""
    copies = [add_input(plan, f"{CAMPAIGN} Signed, person {i}.") for i in range(4)]
    copies.append(add_input(plan, CAMPAIGN.replace("thirty", "sixty") + " Yours, Ana."))
    add_input(plan, "Open the budget of every municipality as machine-readable data.")
    add_input(plan, "Train civil servants in plain language writing.")
    return copies


def url(name, plan, *args):
    return reverse(f"clusters:{name}", args=[plan.pk, *args])


def run_suggestion(client, plan):
    """Start the job as staff would, then run its task as the worker does."""
    response = client.post(url("cluster-suggest", plan))
    job = ClusteringJob.objects.get()
    assert response["Location"] == url("job-detail", plan, job.pk)
    assert OutboxMessage.objects.filter(task__endswith="suggest_clusters_task").exists()
    suggest_clusters_task(job.pk)
    return job


def test_staff_suggest_groups_and_follow_the_job(client_for, civil_servant, plan, campaign):
    client = client_for(civil_servant)
    job = run_suggestion(client, plan)
    html = client.get(url("job-detail", plan, job.pk)).content.decode()
    assert 'value="100"' in html
    assert "1 group suggested." in html
    cluster = InputCluster.objects.get()
    assert set(cluster.entries.values_list("pk", flat=True)) == {e.pk for e in campaign}
    assert cluster.confirmed_at is None
    assert "Suggested" in client.get(url("cluster-list", plan)).content.decode()


def test_one_response_reaches_every_member_input(client_for, civil_servant, plan, campaign):
    staff = client_for(civil_servant)
    client = Client()  # an anonymous visitor
    run_suggestion(staff, plan)
    cluster = InputCluster.objects.get()
    staff.post(url("cluster-action", plan, cluster.pk, "confirm"))
    response = staff.post(
        url("cluster-action", plan, cluster.pk, "respond"),
        {"decision": "partially_accepted", "reason": "We publish judgments within 60 days."},
    )
    answer = InputEntry.objects.get(pk=campaign[0].pk).response
    assert response["Location"] == reverse("ledger:response-detail", args=[plan.pk, answer.pk])
    # A draft is not public yet
    detail = reverse("ledger:input-detail", args=[plan.pk, campaign[2].pk])
    assert "We publish judgments within 60 days." not in client.get(detail).content.decode()
    # Published through the ledger
    staff.post(reverse("ledger:response-action", args=[plan.pk, answer.pk, "publish"]))
    for entry in campaign:
        html = client.get(reverse("ledger:input-detail", args=[plan.pk, entry.pk])).content.decode()
        assert "We publish judgments within 60 days." in html
        assert url("cluster-detail", plan, cluster.pk) in html
    page = client.get(url("cluster-detail", plan, cluster.pk)).content.decode()
    assert "5 inputs in this group." in page
    assert "We publish judgments within 60 days." in page


def test_split_and_merge_keep_their_history(client_for, civil_servant, plan, campaign):
    staff = client_for(civil_servant)
    client = Client()
    run_suggestion(staff, plan)
    cluster = InputCluster.objects.get()
    staff.post(url("cluster-action", plan, cluster.pk, "confirm"))
    # Split the edited copy off
    response = staff.post(
        url("cluster-action", plan, cluster.pk, "split"),
        {"entries": [campaign[4].pk], "label": "Sixty days variant"},
    )
    new = InputCluster.objects.get(label="Sixty days variant")
    assert response["Location"] == url("cluster-detail", plan, new.pk)
    assert list(new.entries.all()) == [campaign[4]]
    assert cluster.entries.count() == 4
    history = client.get(url("cluster-detail", plan, cluster.pk)).content.decode()
    assert "Split" in history
    assert "Sixty days variant" in history
    assert "Confirmed" in history
    # Merge it back: the merged group's history travels with its inputs
    staff.post(url("cluster-action", plan, cluster.pk, "merge"), {"other": new.pk})
    assert not InputCluster.objects.filter(pk=new.pk).exists()
    assert cluster.entries.count() == 5
    history = client.get(url("cluster-detail", plan, cluster.pk)).content.decode()
    assert "Merged" in history
    assert history.count("Split") >= 2  # both sides of the split, kept


def test_outsiders_cannot_start_jobs_or_see_suggestions(
    client, client_for, citizen, other_member_civil_servant, civil_servant, plan, campaign
):
    for person in (citizen, other_member_civil_servant):
        assert client_for(person).post(url("cluster-suggest", plan)).status_code == 403
        assert client_for(person).get(url("cluster-list", plan)).status_code == 403
    assert not ClusteringJob.objects.exists()
    run_suggestion(client_for(civil_servant), plan)
    cluster = InputCluster.objects.get()
    assert Client().get(url("cluster-detail", plan, cluster.pk)).status_code == 404
    assert (
        client_for(citizen).post(url("cluster-action", plan, cluster.pk, "confirm")).status_code
        == 403
    )


def test_a_new_run_replaces_suggestions_but_keeps_confirmed_groups(
    client_for, civil_servant, plan, campaign
):
    staff = client_for(civil_servant)
    run_suggestion(staff, plan)
    confirmed = InputCluster.objects.get()
    staff.post(url("cluster-action", plan, confirmed.pk, "confirm"))
    whistle = (
        "Protect whistleblowers in every ministry and agency with a law, a safe channel to "
        "report wrongdoing and an independent office that follows every report up. "
    )
    others = [add_input(plan, whistle + name) for name in ("Signed, Ana.", "Signed, Bo.")]
    ClusteringJob.objects.update(status="done")
    run_suggestion_again = staff.post(url("cluster-suggest", plan))
    job = ClusteringJob.objects.first()
    assert run_suggestion_again.status_code == 302
    suggest_clusters_task(job.pk)
    assert InputCluster.objects.count() == 2
    confirmed.refresh_from_db()
    assert confirmed.entries.count() == 5
    assert set(
        others[0]
        .__class__.objects.filter(pk__in=[o.pk for o in others])
        .values_list("cluster", flat=True)
    ) != {None}


def test_find_groups_joins_copies_and_near_copies_only():
    items = [
        (1, CAMPAIGN + " Signed, Ana."),
        (2, CAMPAIGN + " Signed, Bo."),
        (3, CAMPAIGN.replace("thirty", "sixty")),
        (4, "Something else entirely about open budgets and procurement data."),
        (5, ""),
    ]
    assert find_groups(items) == [[1, 2, 3]]

"""Back-fill the ledger: mark published responses, map deferred decisions, give every
response its plan and the commitments its proposal became, and make one ledger entry per
existing submitted proposal, answer, comment on a commitment and offline event."""

from django.db import migrations

BATCH = 2000


def _excerpt(text, n=120):
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def forwards(apps, schema_editor):
    Response = apps.get_model("consultations", "ReasonedResponse")
    Consultation = apps.get_model("consultations", "Consultation")
    Proposal = apps.get_model("consultations", "Proposal")
    Answer = apps.get_model("consultations", "Answer")
    Comment = apps.get_model("consultations", "Comment")
    OfflineEvent = apps.get_model("consultations", "OfflineEvent")
    Link = apps.get_model("consultations", "ProposalCommitmentLink")
    Entry = apps.get_model("consultations", "InputEntry")

    Response.objects.filter(published_at__isnull=False).update(status="published")
    Response.objects.filter(decision="deferred").update(decision="not_accepted")
    for consultation_id, plan_id in Consultation.objects.values_list("pk", "plan_id"):
        Response.objects.filter(consultation_id=consultation_id).update(plan_id=plan_id)
    Through = Response.commitments.through
    links = [
        Through(reasonedresponse_id=response_id, commitment_id=commitment_id)
        for response_id, commitment_id in Link.objects.filter(
            proposal__response__isnull=False
        ).values_list("proposal__response_id", "commitment_id")
    ]
    Through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)

    batch = []

    def flush(force=False):
        if batch and (force or len(batch) >= BATCH):
            Entry.objects.bulk_create(batch, batch_size=BATCH)
            batch.clear()

    proposals = (
        Proposal.objects.exclude(status="draft")
        .select_related("consultation")
        .order_by("pk")
        .iterator(chunk_size=BATCH)
    )
    for p in proposals:
        batch.append(
            Entry(
                plan_id=p.consultation.plan_id, consultation_id=p.consultation_id,
                kind="proposal", channel="online", proposal_id=p.pk, author_id=p.author_id,
                organisation_id=p.organisation_id, policy_area_id=p.policy_area_id,
                title=p.title[:250], text=p.proposed_solution or p.problem,
                received_on=(p.submitted_at or p.created_at).date(), response_id=p.response_id,
            )
        )  # fmt: skip
        flush()
    answers = Answer.objects.select_related("question__consultation").order_by("pk")
    for a in answers.iterator(chunk_size=BATCH):
        c = a.question.consultation
        batch.append(
            Entry(
                plan_id=c.plan_id, consultation_id=c.pk, kind="answer", channel="online",
                answer_id=a.pk, author_id=a.author_id, organisation_id=a.organisation_id,
                title=_excerpt(a.body), text=a.body, received_on=a.created_at.date(),
                response_id=a.response_id,
            )
        )  # fmt: skip
        flush()
    comments = (
        Comment.objects.filter(commitment__isnull=False, parent__isnull=True)
        .select_related("consultation")
        .order_by("pk")
    )
    for cm in comments.iterator(chunk_size=BATCH):
        batch.append(
            Entry(
                plan_id=cm.consultation.plan_id, consultation_id=cm.consultation_id,
                kind="comment", channel="online", comment_id=cm.pk, author_id=cm.author_id,
                commitment_id=cm.commitment_id, title=_excerpt(cm.body), text=cm.body,
                received_on=cm.created_at.date(),
                is_public=cm.moderation_state == "published" and cm.deleted_at is None,
            )
        )  # fmt: skip
        flush()
    for ev in OfflineEvent.objects.select_related("consultation").order_by("pk"):
        batch.append(
            Entry(
                plan_id=ev.consultation.plan_id, consultation_id=ev.consultation_id,
                kind="offline", channel="workshop", offline_event_id=ev.pk,
                title=_excerpt(f"{ev.place}: {ev.summary}"), text=ev.summary,
                received_on=ev.held_on, recorded_by_id=ev.recorded_by_id,
            )
        )  # fmt: skip
        flush()
    flush(force=True)


def backwards(apps, schema_editor):
    apps.get_model("consultations", "InputEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0007_input_ledger")]

    operations = [migrations.RunPython(forwards, backwards)]

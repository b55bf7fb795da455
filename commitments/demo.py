"""Demo commitments with milestones and progress: the 4th Valdoria plan in full (8
commitments across its four policy areas), three in the 5th, two in Port Lumen's plan."""

import datetime as dt

from django.contrib.auth import get_user_model

from ogp_portal.core.seeding import upsert
from ogp_portal.organisations.models import Organisation
from plans.models import PolicyArea

from .choices import CommitmentStatus, CompletionLevel
from .demo_data import COMMITMENTS, EDITS
from .models import Commitment, CommitmentPartner, Milestone, ProgressUpdate, ShadowAssessment
from .services import commitment_refresh_status


def load(plans: dict) -> dict:
    lead = get_user_model().objects.filter(email="commitment.lead@demo.example.org").first()
    commitments = {}
    for position, row in enumerate(COMMITMENTS):
        ogp_id, plan_key, area, title, summary, lead_inst, values, problem, solution, results, \
            milestones = row  # fmt: skip
        plan = plans[plan_key]
        edit = EDITS.get(ogp_id, "")
        created = not Commitment.objects.filter(ogp_id=ogp_id).exists()
        commitment = upsert(
            Commitment,
            ogp_id=ogp_id,
            defaults={
                "plan": plan,
                "position": position,
                "title": title,
                "summary": summary,
                "brief_description": summary,
                "problem": problem,
                # A new record starts from the text before consultation (edited below).
                "solution": solution if created else solution + edit,
                "expected_results": results,
                "lead_institution": lead_inst,
                # The agency as a record: only its own commitment leads report on it.
                "lead_organisation": Organisation.objects.filter(
                    member=plan.member, name=lead_inst
                ).first(),
                "policy_area": PolicyArea.objects.get(plan=plan, name=area),
                "start_date": milestones[0][2],
                "end_date": max(m[3] for m in milestones),
                **dict.fromkeys(values, True),
            },
        )
        for index, (description, output, start, due, who, status) in enumerate(milestones):
            upsert(
                Milestone,
                commitment=commitment,
                position=index,
                defaults={
                    "description": description,
                    "expected_output": output,
                    "start_date": start,
                    "due_date": due,
                    "responsible_actors": who,
                    "status": status,
                },
            )
        # Leo Lead reports only on what his own organisation (Ministry of Justice) leads.
        if (
            created
            and lead
            and plan_key == "valdoria-4"
            and lead.has_perm("commitments.post_progress", commitment)
        ):
            first_milestone = commitment.milestones.first()  # created just above
            ProgressUpdate.objects.create(
                commitment=commitment,
                milestone=first_milestone,
                author=lead,
                milestone_status=first_milestone.status if first_milestone else "",
                narrative="Done as planned; the evidence is on the ministry's website.",
                evidence_url="https://justice.valdoria.example.org/ogp/evidence",
            )
        if created and edit:
            # Recorded as a second version, so the versions page shows a real change.
            commitment.solution = solution + edit
            commitment.save()
        commitments[ogp_id] = commitment
        Commitment.objects.filter(pk=commitment.pk).update(status=CommitmentStatus.NOT_STARTED)
        commitment.status = CommitmentStatus.NOT_STARTED
        commitment_refresh_status(commitment)
    _co_governance(commitments)
    load_closure(commitments)
    return {"commitments": commitments}


def _co_governance(commitments: dict) -> None:
    """A commitment team with civil-society partners, one of whom reported progress, and a
    civil-society assessment that disagrees with the government's (#16)."""
    from django.utils import timezone

    users = get_user_model().objects
    camille = users.filter(email="cso@demo.example.org").first()
    watch = Organisation.objects.filter(name="Transparency Watch Valdoria").first()
    legal_aid = Organisation.objects.filter(name="Legal Aid Network").first()
    legal_aid_user = users.filter(email="forum.member@demo.example.org").first()
    team = commitments.get("XV0001")
    if team and watch and legal_aid:
        for organisation in (watch, legal_aid):
            CommitmentPartner.objects.get_or_create(commitment=team, organisation=organisation)
        if camille and not ProgressUpdate.objects.filter(commitment=team, author=camille).exists():
            ProgressUpdate.objects.create(
                commitment=team,
                author=camille,
                narrative="Transparency Watch tested the legal aid finder in four regions with "
                "40 volunteers; the findings are published and the ministry fixed two issues.",
                evidence_url="https://watch.valdoria.example.org/legal-aid-finder-test",
            )
    assessed = commitments.get("XV0005")
    if assessed and watch:
        # Civil society sees it otherwise than the government, whatever the milestones say.
        differing = (
            CommitmentStatus.IN_PROGRESS
            if assessed.status != CommitmentStatus.IN_PROGRESS
            else CommitmentStatus.NOT_STARTED
        )
        ShadowAssessment.objects.get_or_create(
            commitment=assessed,
            organisation=watch,
            defaults={
                "author": camille,
                "status": differing,
                "note": "The register exists, but a third of the contracting authorities "
                "still publish no contracts in it, and none publish amendments.",
                "evidence_url": "https://watch.valdoria.example.org/procurement-monitor-2022",
                "published_at": timezone.now(),
            },
        )
    if legal_aid and legal_aid_user and team:
        ShadowAssessment.objects.get_or_create(
            commitment=team,
            organisation=legal_aid,
            defaults={
                "author": legal_aid_user,
                "status": team.status,
                "note": "We agree with the ministry's account; rural coverage is still thin.",
                "published_at": timezone.now(),
            },
        )


# The IRM's published assessment of the 4th plan's commitments (issue #17), as imported.
DEMO_IRM = (
    {"irm_potential_for_results": "substantial", "irm_completion": "substantial",
     "irm_early_results": "moderate"},
    {"irm_potential_for_results": "modest", "irm_completion": "limited",
     "irm_early_results": "no_notable_results"},
)  # fmt: skip


def load_closure(commitments: dict) -> None:
    """The 4th plan has ended: each commitment has its completion level and the IRM's
    assessment; the 5th plan's first commitment carries on an unfinished one of the 4th."""
    ended = [
        c for c in commitments.values() if c.plan.status == "ended" and c.plan.sequence_no == 4
    ]
    for index, commitment in enumerate(ended):
        complete = commitment.status == CommitmentStatus.COMPLETE
        level = CompletionLevel.COMPLETE if complete else (
            CompletionLevel.SUBSTANTIAL if index % 2 == 0 else CompletionLevel.LIMITED
        )  # fmt: skip
        Commitment.objects.filter(pk=commitment.pk).update(
            completion_level=level,
            completion_note="Assessed with the forum at the end of the plan; see the evidence.",
            completion_evidence_url="https://ogp.valdoria.example.org/end-of-term",
            completion_assessed_at=dt.datetime(2022, 9, 15, 10, 0, tzinfo=dt.UTC),
            irm_assessment={**(commitment.irm_assessment or {}), **DEMO_IRM[index % 2]},
        )
    unfinished = [c for c in ended if c.status != CommitmentStatus.COMPLETE]
    later = [c for c in commitments.values() if c.plan.sequence_no == 5]
    if unfinished and later:
        Commitment.objects.filter(pk=later[0].pk).update(carried_from=unfinished[0])

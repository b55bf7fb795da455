"""Demo: outside input to the Access to Justice team (an application pending, one accepted,
a draft with two comments from people outside the group). Loading twice adds nothing."""

from forums import services
from forums.choices import GroupApplicationStatus, Sector
from forums.models import WorkingGroup

DRAFT_TITLE = "Legal aid desks in every district court: the team's draft"
DRAFT_BODY = (
    "The team proposes a **legal aid desk** in each of the 14 district courts, staffed two "
    "days a week by the Legal Aid Network, and a public register of the cases it takes.\n\n"
    "- Pilot in three districts in the first year\n"
    "- Quarterly figures published as open data"
)
COMMENTS = [
    ("citizen@demo.example.org", "Please add evening hours: people who work cannot come at noon."),
    (
        "local.civil.servant@demo.example.org",
        "Port Lumen's court could host one of the three pilots; we have a free room.",
    ),
]


def load(group: WorkingGroup, people: dict, civil_servant) -> None:
    convenor = people["cso@demo.example.org"]
    if not group.members.filter(user=convenor).exists():
        services.working_group_add_member(
            group,
            actor=civil_servant,
            name=str(convenor),
            sector=Sector.CIVIL_SOCIETY,
            user=convenor,
            is_convenor=True,
        )
    accepted = people["moderator@demo.example.org"]
    if not group.applications.filter(applicant=accepted).exists():
        application = services.group_application_submit(
            group,
            actor=accepted,
            motivation="I moderate the consultations and can bring what people wrote about courts.",
            sector=Sector.GOVERNMENT,
        )
        services.group_application_accept(application, actor=convenor, reason="Welcome aboard.")
    applicant = people["citizen@demo.example.org"]
    if not group.applications.filter(
        applicant=applicant, status=GroupApplicationStatus.PENDING
    ).exists():
        services.group_application_submit(
            group,
            actor=applicant,
            motivation="I volunteer at a legal clinic and see every week who cannot get aid.",
            sector=Sector.CIVIL_SOCIETY,
        )
    draft = group.drafts.filter(title=DRAFT_TITLE).first()
    if draft is None:
        draft = services.group_draft_post(group, actor=convenor, title=DRAFT_TITLE, body=DRAFT_BODY)
        for email, body in COMMENTS:
            services.draft_comment_post(draft, actor=people[email], body=body)

"""The demo forum of the Republic of Valdoria: members, a finished civil-society selection
round, three meetings with minutes, a working group and threads (the repository's demo
documents: records/demo.py).

Records are made through the services (so the audit trail is there too), each one only if
it is missing: loading twice changes nothing. Dates are relative to today so the demo forum
always looks alive.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from ogp_portal.organisations.choices import MembershipStatus
from ogp_portal.organisations.models import OrganisationMembership
from plans.models import ActionPlan, PolicyArea

from . import services
from .choices import (
    ChairMode,
    DecisionMethod,
    DecisionPurpose,
    MeetingKind,
    SeatRole,
    Sector,
    SelectionMethod,
    VoteChoice,
)
from .models import Forum, ForumMeeting, SelectionRound, Thread, WorkingGroup

# forum_setup() keyword arguments.
FORUM: dict[str, Any] = {
    "name": "Valdoria Open Government Forum",
    "mandate": (
        "Co-create Valdoria's OGP action plans with civil society, follow their "
        "implementation and answer for how every proposal was used."
    ),
    "rules_of_participation": (
        "Ten voting seats: five for government, five for civil society, chosen by civil "
        "society itself in an open selection round. Academia and parliament sit as "
        "observers. The forum meets at least every three months; agendas are public a week "
        "ahead and minutes within two weeks. Decisions are taken by consensus, or by a "
        "two-thirds majority of each sector when consensus fails. Members declare conflicts "
        "of interest at the start of each meeting."
    ),
    "seats": {
        Sector.GOVERNMENT: 5,
        Sector.CIVIL_SOCIETY: 5,
        Sector.ACADEMIA: 1,
        Sector.PARLIAMENT: 1,
    },
}

# (name, sector, role, organisation name or None, demo e-mail or None)
SEATS = [
    ("Clara Civil-Servant", Sector.GOVERNMENT, SeatRole.CO_CHAIR,
     "Office of the Prime Minister, Open Government Unit", "civil.servant@demo.example.org"),
    ("Leo Lead", Sector.GOVERNMENT, SeatRole.MEMBER, "Ministry of Justice",
     "commitment.lead@demo.example.org"),
    ("Marta Ivanova", Sector.GOVERNMENT, SeatRole.MEMBER, "Ministry of Finance", None),
    ("Tomas Berg", Sector.GOVERNMENT, SeatRole.MEMBER, "Agency for Digital Government", None),
    ("Ines Duval", Sector.GOVERNMENT, SeatRole.ALTERNATE, "Anti-Corruption Commission", None),
    ("Camille CSO", Sector.CIVIL_SOCIETY, SeatRole.CO_CHAIR, "Transparency Watch Valdoria",
     "cso@demo.example.org"),
    ("Prof. Aleksander Novak", Sector.ACADEMIA, SeatRole.MEMBER,
     "University of Valdoria, Faculty of Law", None),
    ("Hon. Rosa Mendes", Sector.PARLIAMENT, SeatRole.MEMBER,
     "National Assembly Committee on Good Governance", None),
]  # fmt: skip

BUDGET_REP = ("olga.budget@demo.example.org", "Olga Budget", "Open Budget Initiative Valdoria")
ROUND_TITLE = "Civil-society seats 2026–2027"

MEETINGS = [
    # (days ago, title, kind, decisions, action items (description, owner, due in days))
    (
        150,
        "Forum meeting: the co-creation calendar",
        MeetingKind.REGULAR,
        [
            "The co-creation timeline is adopted and published in the repository.",
            "Consultation on the fifth plan opens with at least two weeks' notice.",
        ],
        [("Publish the co-creation timeline", "Open Government Unit", -140)],
    ),
    (
        95,
        "Implementation review: access to justice and fiscal transparency",
        MeetingKind.IMPLEMENTATION_REVIEW,
        [
            "Legal aid data will be published quarterly as open data.",
            "The Ministry of Finance reports on the citizens' budget at the next review.",
        ],
        [("Open the legal aid dataset", "Ministry of Justice", -30)],
    ),
    (
        35,
        "Implementation review: digital governance and anti-corruption",
        MeetingKind.IMPLEMENTATION_REVIEW,
        [
            "The beneficial ownership register milestone is marked delayed, with reasons.",
            "Civil society will test the e-services before launch.",
        ],
        [("Send the e-services test plan to civil society", "Agency for Digital Government", 20)],
    ),
]


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _budget_rep(organisations):
    User = get_user_model()
    email, name, org_name = BUDGET_REP
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_unusable_password()
        user.save()
    OrganisationMembership.objects.update_or_create(
        user=user,
        organisation=organisations[org_name],
        defaults={"status": MembershipStatus.APPROVED, "is_admin": True},
    )
    return user


def _selection_round(forum, secretariat, people, organisations):
    if SelectionRound.objects.filter(forum=forum, title=ROUND_TITLE).exists():
        return
    today = timezone.localdate()
    selection_round = services.round_open(
        forum,
        actor=secretariat,
        title=ROUND_TITLE,
        seats=2,
        nominations_open_at=_ago(70),
        nominations_close_at=_ago(56),
        voting_open_at=_ago(50),
        voting_close_at=_ago(43),
        term_starts_on=today - dt.timedelta(days=40),
        term_ends_on=today + dt.timedelta(days=690),
    )
    camille = people["cso@demo.example.org"]
    farid = people["forum.member@demo.example.org"]
    olga = _budget_rep(organisations)
    voters = [
        (camille, organisations["Transparency Watch Valdoria"]),
        (farid, organisations["Legal Aid Network"]),
        (olga, organisations["Open Budget Initiative Valdoria"]),
    ]
    nominations = [
        services.nomination_submit(
            selection_round,
            actor=person,
            organisation=org,
            candidate=person,
            statement=statement,
            now=_ago(60),
        )
        for (person, org), statement in zip(
            voters,
            [
                "Twelve years of procurement monitoring; I will push for open contracting.",
                "Legal aid for everyone: courts that publish their data.",
                "A citizens' budget every year, in plain language.",
            ],
            strict=True,
        )
    ]
    # Farid 3 votes, Olga 2, Camille 1: Farid and Olga are elected.
    choices = [(nominations[1], nominations[0]), (nominations[1], nominations[2]), nominations[1:]]
    for (person, org), chosen in zip(voters, choices, strict=True):
        services.ballot_cast(
            selection_round, actor=person, organisation=org, nominations=chosen, now=_ago(45)
        )
    services.round_publish_results(selection_round, actor=secretariat, now=_ago(42))


def _meetings(forum, civil_servant, plan):
    for days, title, kind, decisions, items in MEETINGS:
        if ForumMeeting.objects.filter(forum=forum, title=title).exists():
            continue
        # Half past nine in the morning, in the member's own time zone.
        local_day = timezone.localtime(_ago(days), forum.member.zone)
        starts_at = local_day.replace(hour=9, minute=30, second=0, microsecond=0)
        meeting = services.meeting_schedule(
            forum,
            actor=civil_servant,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Government House, Council Room",
            online_url="https://meet.valdoria.example.org/ogp-forum",
            agenda="1. Welcome and conflicts of interest\n2. "
            + title.split(": ", 1)[-1].capitalize()
            + "\n3. Any other business",
            plan=plan,
        )
        services.meeting_record_attendance(
            meeting,
            actor=civil_servant,
            counts={
                Sector.GOVERNMENT: 4,
                Sector.CIVIL_SOCIETY: 5 if kind == MeetingKind.IMPLEMENTATION_REVIEW else 4,
                Sector.ACADEMIA: 1,
                Sector.PARLIAMENT: 1 if days > 100 else 0,
            },
            now=starts_at + dt.timedelta(hours=2),
        )
        for text in decisions:
            services.decision_add(meeting, actor=civil_servant, text=text)
        for description, owner, due in items:
            services.action_item_add(
                meeting,
                actor=civil_servant,
                description=description,
                owner=owner,
                due_on=timezone.localdate() + dt.timedelta(days=due),
            )
        services.meeting_publish_minutes(
            meeting,
            actor=civil_servant,
            minutes_text=(
                "The co-chairs opened the meeting; no conflicts of interest were declared. "
                "Each item of the agenda was presented and discussed, with questions from "
                "civil society answered on the record. The decisions below were taken by "
                "consensus."
            ),
            now=starts_at + dt.timedelta(days=7),
        )


def _working_group(forum, civil_servant, plan, organisations):
    area = PolicyArea.objects.filter(plan=plan, name="Access to Justice").first()
    group = WorkingGroup.objects.filter(forum=forum, name="Access to Justice team").first()
    if group is None:
        group = services.working_group_create(
            forum,
            actor=civil_servant,
            name="Access to Justice team",
            description="Follows the legal aid and court data commitments between meetings.",
            policy_area=area,
        )
    for name, sector, org in [
        ("Leo Lead", Sector.GOVERNMENT, "Ministry of Justice"),
        ("Farid Forum", Sector.CIVIL_SOCIETY, "Legal Aid Network"),
        ("Prof. Aleksander Novak", Sector.ACADEMIA, "University of Valdoria, Faculty of Law"),
    ]:
        if not group.members.filter(name=name).exists():
            services.working_group_add_member(
                group,
                actor=civil_servant,
                name=name,
                sector=sector,
                organisation=organisations[org],
            )
    return group


def _threads(forum, people):
    farid = people["forum.member@demo.example.org"]
    clara = people["civil.servant@demo.example.org"]
    for title, is_public, body, reply in [
        (
            "Call for agenda items: next implementation review",
            True,
            "Which commitments should the next review look at first? Reply here.",
            "The beneficial ownership register, please: it is behind schedule.",
        ),
        (
            "Preparing our position on the fifth plan",
            False,
            "Civil-society members: shall we meet before the consultation opens?",
            "Yes, I can host at the Legal Aid Network office.",
        ),
    ]:
        if Thread.objects.filter(forum=forum, title=title).exists():
            continue
        thread = services.thread_start(
            forum, actor=farid, title=title, body=body, is_public=is_public
        )
        services.thread_reply(thread, actor=clara if is_public else farid, body=reply)


# Shared stewardship (issue #16): how the forum steers and decides.
GOVERNANCE: dict[str, Any] = {
    "chair_mode": ChairMode.CO_CHAIRS,
    "minutes_require_cosign": True,
    "quorum_count": None,
    "quorum_percent": 60,
    "majority_in_each_sector": True,
    "adoption_requires_decision": True,
    "timeline_requires_decision": True,
}
# (e-mail, sector, organisation) of the technical secretariat, one per sector.
SECRETARIAT = [
    ("commitment.lead@demo.example.org", Sector.GOVERNMENT, "Ministry of Justice"),
    ("forum.member@demo.example.org", Sector.CIVIL_SOCIETY, "Legal Aid Network"),
]
COGOV_MEETING = "Forum meeting: the sixth plan's working method"
PRESENT = [
    # (seat holder, vote on the first motion); those after the sixth left before the second.
    ("Clara Civil-Servant", VoteChoice.YES),
    ("Camille CSO", VoteChoice.YES),
    ("Farid Forum", VoteChoice.NO),
    ("Leo Lead", VoteChoice.YES),
    ("Olga Budget", VoteChoice.YES),
    ("Prof. Aleksander Novak", VoteChoice.YES),
    ("Marta Ivanova", VoteChoice.ABSTAIN),
    ("Tomas Berg", VoteChoice.YES),
    ("Hon. Rosa Mendes", VoteChoice.YES),
]


def _cogovernance(forum, people, organisations, plan):
    """Co-chairs with powers, a technical secretariat from both sectors, and a meeting the
    civil-society co-chair scheduled, with a motion passed by a majority in each sector, one
    failed for lack of quorum, and minutes co-signed by both co-chairs."""
    if any(getattr(forum, name) != value for name, value in GOVERNANCE.items()):
        secretariat = people["secretariat@demo.example.org"]
        forum = services.forum_set_governance(forum, actor=secretariat, **GOVERNANCE)
    for email, sector, org_name in SECRETARIAT:
        user = people[email]
        if not forum.secretariat_members.filter(user=user).exists():
            services.secretariat_member_add(
                forum,
                actor=people["secretariat@demo.example.org"],
                user=user,
                sector=sector,
                organisation=organisations[org_name],
            )
    if ForumMeeting.objects.filter(forum=forum, title=COGOV_MEETING).exists():
        return
    camille = people["cso@demo.example.org"]
    clara = people["civil.servant@demo.example.org"]
    local_day = timezone.localtime(_ago(20), forum.member.zone)
    starts_at = local_day.replace(hour=14, minute=0, second=0, microsecond=0)
    meeting = services.meeting_schedule(
        forum,
        actor=camille,
        title=COGOV_MEETING,
        kind=MeetingKind.REGULAR,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Transparency Watch Valdoria, meeting room",
        agenda="1. Welcome",
        plan=plan,
    )
    services.meeting_set_agenda(
        meeting,
        actor=camille,
        agenda="1. Welcome and conflicts of interest\n2. The sixth plan's co-creation "
        "timeline\n3. The date of the public consultation on the draft",
    )
    seats = {s.name: s for s in forum.seats.current(local_day.date()).occupying()}
    services.meeting_record_attendance(
        meeting,
        actor=camille,
        counts={Sector.GOVERNMENT: 4, Sector.CIVIL_SOCIETY: 3, Sector.ACADEMIA: 1,
                Sector.PARLIAMENT: 1},
        now=starts_at + dt.timedelta(hours=2),
    )  # fmt: skip
    services.motion_decide(
        meeting,
        actor=camille,
        text="The forum endorses the sixth plan's co-creation timeline as published.",
        method=DecisionMethod.VOTE,
        votes={seats[name].pk: vote for name, vote in PRESENT if name in seats},
        plan=plan,
        purpose=DecisionPurpose.PUBLISH_TIMELINE,
        now=starts_at + dt.timedelta(hours=1),
    )
    services.motion_decide(
        meeting,
        actor=camille,
        text="The public consultation on the draft plan moves to January.",
        method=DecisionMethod.VOTE,
        votes={seats[name].pk: VoteChoice.YES for name, _vote in PRESENT[:6] if name in seats},
        now=starts_at + dt.timedelta(hours=2),
    )
    services.meeting_publish_minutes(
        meeting,
        actor=camille,
        minutes_text=(
            "Chaired jointly by the two co-chairs. The forum endorsed the sixth plan's "
            "co-creation timeline by a majority in each sector. Three members had left when "
            "the date of the consultation came up: without quorum, the motion failed and "
            "returns at the next meeting."
        ),
        now=starts_at + dt.timedelta(days=3),
    )
    for signer in (clara, camille):
        services.meeting_cosign_minutes(meeting, actor=signer, now=starts_at + dt.timedelta(days=5))


def load(loaded: dict) -> dict:
    members, people = loaded["members"], loaded["people"]
    organisations = loaded["organisations"]
    valdoria = members["valdoria"]
    # Pick the plans from the database, not by their demo keys: the plans app owns those.
    today = timezone.localdate()
    valdoria_plans = ActionPlan.objects.filter(member=valdoria)
    first_plan = valdoria_plans.order_by("period_start").first()
    current_plan = (
        valdoria_plans.filter(period_start__lte=today).order_by("-period_start").first()
        or first_plan
    )
    secretariat = people["secretariat@demo.example.org"]
    civil_servant = people["civil.servant@demo.example.org"]

    forum = Forum.objects.filter(member=valdoria).first()
    if forum is None:
        forum = services.forum_setup(
            valdoria,
            actor=secretariat,
            chair_rotation=[Sector.GOVERNMENT, Sector.CIVIL_SOCIETY],
            chair_rotation_months=12,
            chair_rotation_starts_on=dt.date(2024, 1, 1),
            **FORUM,
        )
    add_seats(forum, secretariat, SEATS, people, organisations, today - dt.timedelta(days=300))
    _selection_round(forum, secretariat, people, organisations)
    _meetings(forum, civil_servant, current_plan)
    group = _working_group(forum, civil_servant, current_plan, organisations)
    from .demo_groups import load as load_group_input

    load_group_input(group, people, civil_servant)
    _threads(forum, people)
    _cogovernance(forum, people, organisations, current_plan)
    from .demo_local import load as load_local_forum

    local = load_local_forum(members["port-lumen"], people, organisations)
    return {"forums": {"valdoria": forum, "port-lumen": local}}


def add_seats(forum, secretariat, seats, people: dict, organisations: dict, starts_on) -> None:
    """The demo's seats of one forum (name, sector, role, organisation, holder's e-mail), each
    only if missing, for a two-year term from `starts_on`: civil society self-selected, the
    other sectors appointed (the OGP standard)."""
    for name, sector, role, org_name, email in seats:
        if forum.seats.filter(name=name).exists():
            continue
        services.seat_add(
            forum,
            actor=secretariat,
            name=name,
            sector=sector,
            role=role,
            organisation=organisations[org_name] if org_name else None,
            user=people.get(email) if email else None,
            term_starts_on=starts_on,
            term_ends_on=starts_on + dt.timedelta(days=730),
            selected_via=(
                SelectionMethod.SELF_SELECTION
                if sector == Sector.CIVIL_SOCIETY
                else SelectionMethod.APPOINTMENT
            ),
        )

"""Demo consultation of the City of Port Lumen (issue #18: its dashboard draws every chart):
the autumn 2024 idea collection for its Open City Action Plan, with proposals from a dozen
local organisations and residents, answers to a guiding question, two district workshops and
inputs by paper, phone and e-mail, every one answered. Loaded by load_demo after
consultations/demo.py, whose helpers it uses; running it twice adds nothing."""

import datetime as dt

from .choices import Audience, ConsultationKind, ProposalStatus
from .demo import _decide, _ledger, _organisation, _proposal, _user
from .models import Answer, Consultation, GuidingQuestion, OfflineEvent

UTC = dt.UTC
AREA = "Participation municipale"
TITLE = "Ideas for Port Lumen's Open City Action Plan"
OPENS = dt.datetime(2024, 9, 16, 8, tzinfo=UTC)
CLOSES = dt.datetime(2024, 11, 15, 17, tzinfo=UTC)
ANSWERED = dt.datetime(2024, 12, 13, 9, tzinfo=UTC)

# (days after opening, title, author e-mail, organisation or None, problem, solution,
#  decision, reason, commitments)
PROPOSALS = [
    (1, "A participatory budget for every district",
     "helene.marchand@portlumen.example.org", "Port Lumen Neighbourhood Councils Federation",
     "Investment is decided at City Hall; districts only hear about it once work starts.",
     "Let residents of each district choose how 2% of the investment budget is spent.",
     ProposalStatus.ACCEPTED, "Accepted: it became the district participatory budget (XV0012).",
     ("XV0012",)),
    (3, "Open neighbourhood council meetings",
     "tomas.reyes@portlumen.example.org", "Old Harbour Residents' Association",
     "Neighbourhood councils meet behind closed doors and publish nothing.",
     "Announce every meeting a week ahead, publish the agenda and film the meetings.",
     ProposalStatus.ACCEPTED, "Accepted: see XV0013, open neighbourhood councils.", ("XV0013",)),
    (6, "Publish social housing waiting lists",
     "amira.haddad@portlumen.example.org", "Northbank Tenants' Union",
     "Tenants wait years without knowing where they stand or how homes are allocated.",
     "Publish the anonymised waiting list and the allocation rules, updated every month.",
     ProposalStatus.PARTIALLY_ACCEPTED,
     "The allocation rules will be published in 2025; the waiting list needs the housing "
     "agency's agreement, which we are seeking.", ()),
    (9, "Open data on road works and cycle lanes",
     "jonas.weber@portlumen.example.org", "Port Lumen Cycling Coalition",
     "Nobody knows when cycle lanes close for works or where new ones are planned.",
     "Publish road works and the cycle network plan as open data, with a live map.",
     ProposalStatus.DEFERRED,
     "The city's new mapping system arrives in 2026; we will take this up in the next plan.", ()),
    (12, "Public register of food aid grants",
     "grace.mensah@portlumen.example.org", "Lumen Food Bank",
     "Grants to food aid charities are decided without published criteria.",
     "Publish every grant, its amount and the criteria used to award it.",
     ProposalStatus.MERGED,
     "Merged with the proposal on the participatory budget, which will publish every grant "
     "the city makes to associations (XV0012).", ("XV0012",)),
    (15, "Young people on the participatory budget jury",
     "kofi.boateng@portlumen.example.org", "Eastgate Youth Centre",
     "Young people vote in the participatory budget but never sit on its jury.",
     "Reserve three jury seats for residents aged 16 to 25.",
     ProposalStatus.ACCEPTED,
     "Accepted as part of the participatory budget rules (XV0012).", ("XV0012",)),
    (18, "Accessible council documents",
     "sofia.lindgren@portlumen.example.org", "Riverside Disability Rights Group",
     "Council papers are scanned PDFs that screen readers cannot read.",
     "Publish council papers as accessible web pages and in easy-read versions.",
     ProposalStatus.PARTIALLY_ACCEPTED,
     "Council papers will be accessible web pages from 2025; easy-read versions need a "
     "budget we will ask for next year.", ()),
    (21, "Paper forms and help desks for older residents",
     "margaret.oneill@portlumen.example.org", "Lighthouse Point Seniors' Club",
     "Consultations are online only, and many older residents are not.",
     "Paper forms in libraries and a monthly help desk in each district.",
     ProposalStatus.ACCEPTED,
     "Accepted: the neighbourhood councils will hold a help desk before each meeting (XV0013).",
     ("XV0013",)),
    (24, "An open data portal for the city",
     "ravi.patel@portlumen.example.org", "Port Lumen Open Data Meetup",
     "The city's data is spread over departments and published, if at all, as PDFs.",
     "One portal with the budget, contracts and services data in open formats.",
     ProposalStatus.NOT_ACCEPTED,
     "The region is building a shared open data portal for all its cities in 2025; Port Lumen "
     "will publish there rather than build its own.", ()),
    (27, "Publish the city's contracts",
     "philippe.durand@portlumen.example.org", "Port Lumen Chamber of Commerce",
     "Local businesses learn of city tenders too late and never see who won them.",
     "Publish every tender and contract award over 10,000 euros within a week.",
     ProposalStatus.DEFERRED,
     "Needs the procurement system update planned for 2026; tabled for the next plan.", ()),
    (30, "A say for fishers in harbour planning",
     "yannick.legoff@portlumen.example.org", "Harbour Fishers' Cooperative",
     "The harbour redevelopment is planned without the people who work there.",
     "A standing harbour committee with fishers, residents and the port authority.",
     ProposalStatus.OUT_OF_SCOPE,
     "The harbour belongs to the port authority, not the city; we have passed the proposal on "
     "and asked it to answer in public.", ()),
    (33, "Evaluate the participatory budget independently",
     "meilin.chen@portlumen.example.org", "Port Lumen Institute of Technology, Urban Lab",
     "Participatory budgets often reach the same few residents.",
     "An independent yearly evaluation of who takes part, by district, age and income.",
     ProposalStatus.ACCEPTED, "Accepted as a milestone of XV0012.", ("XV0012",)),
    (36, "Live streams of city council meetings",
     "nora.benali@portlumen.example.org", None,
     "Council meetings are held at 2 pm on weekdays, when most people work.",
     "Stream every meeting and keep the videos online with an index of the items.",
     ProposalStatus.ACCEPTED, "Accepted as part of XV0013.", ("XV0013",)),
    (40, "Answer residents' letters within a month",
     "lucas.martin@portlumen.example.org", None,
     "Letters to City Hall go unanswered for months.",
     "A public promise to answer within 30 days, with the figures published each quarter.",
     ProposalStatus.NOT_ACCEPTED,
     "The city already has a 30-day rule for complaints; its figures are now published in the "
     "annual report.", ()),
    (44, "Safer routes to school in Eastgate",
     "aisha.diallo@portlumen.example.org", None,
     "Children cross the ring road to reach Eastgate primary school.",
     "Let parents and children map the dangerous crossings and vote on the fixes.",
     ProposalStatus.OUT_OF_SCOPE,
     "Road safety is not an open government commitment; the mobility department will meet the "
     "parents in January.", ()),
]  # fmt: skip

QUESTION = "Where is it hardest to find out what City Hall decides?"
# (days after opening, author e-mail, organisation or None, answer)
ANSWERS = [
    (5, "pedro.alves@portlumen.example.org", None,
     "The district newsletter arrives after the decisions have been taken."),
    (8, "elena.rossi@portlumen.example.org", None,
     "The website's search never finds council decisions, only news."),
    (11, "amira.haddad@portlumen.example.org", "Northbank Tenants' Union",
     "Housing decisions: tenants hear about rent rises from the landlord, not the city."),
    (14, "kofi.boateng@portlumen.example.org", "Eastgate Youth Centre",
     "Young people do not read notices; short videos would reach them."),
    (20, "sofia.lindgren@portlumen.example.org", "Riverside Disability Rights Group",
     "Notices in the town hall entrance cannot be reached by wheelchair users."),
    (25, "nora.benali@portlumen.example.org", None,
     "The planning notices: they are on lamp posts and nowhere online."),
    (31, "aisha.diallo@portlumen.example.org", None,
     "School and nursery decisions are only explained at evening meetings."),
    (38, "lucas.martin@portlumen.example.org", None,
     "Council agendas use codes instead of saying what is being decided."),
]  # fmt: skip

WORKSHOPS = [
    # (days after opening, place, participants by sector, summary)
    (10, "Eastgate community hall", {"government": 3, "civil_society": 14, "other": 21},
     "Residents asked for a participatory budget in every district and for council meetings "
     "in the evening; the youth centre asked for young people on the jury."),
    (26, "Lighthouse Point library", {"government": 2, "civil_society": 9, "other": 16},
     "Older residents asked for paper forms and help desks; fishers asked for a say in the "
     "harbour redevelopment."),
]  # fmt: skip

TYPED = (
    ("offline", "paper", "A paper form: put the council agenda in the district newsletter."),
    ("offline", "phone", "A phone call: the Westfield estates never hear of consultations."),
    ("offline", "email", "An e-mail: publish what each neighbourhood council spends."),
    ("forum", "meeting", "The forum asked for a yearly public report on the plan."),
)


def load(plans: dict) -> dict:
    plan = plans["port-lumen-1"]
    civil_servant = _user("local.civil.servant@demo.example.org")
    consultation, created = Consultation.objects.get_or_create(
        plan=plan,
        title=TITLE,
        defaults={
            "kind": ConsultationKind.IDEA_COLLECTION,
            "audience": Audience.VERIFIED_USERS,
            "description": "What should Port Lumen commit to in its first Open City Action "
            "Plan? Propose an idea online or at a district workshop: every proposal gets a "
            "published, reasoned response.",
            "channels": ["online", "workshop", "email"],
            "notice_published_at": OPENS - dt.timedelta(days=21),
            "opens_at": OPENS,
            "closes_at": CLOSES,
            "summary_published_at": ANSWERED,
            "created_by": civil_servant,
        },
    )
    if created:
        _fill(consultation, plan, civil_servant)
    return {}


def _fill(consultation, plan, civil_servant) -> None:
    for days, title, email, org, problem, solution, decision, reason, ids in PROPOSALS:
        proposal = _proposal(
            consultation, plan, title, email, org, AREA, days=days, problem=problem,
            proposed_solution=solution, civic_participation=True,
        )  # fmt: skip
        _decide(proposal, decision, reason, ids, civil_servant, ANSWERED)
    question = GuidingQuestion.objects.create(consultation=consultation, text=QUESTION)
    for days, email, org, body in ANSWERS:
        answer = Answer.objects.create(
            question=question, author=_user(email), organisation=_organisation(org), body=body
        )
        # Given during the consultation, not on the day the demo was loaded.
        answer.created_at = consultation.opens_at + dt.timedelta(days=days)
        answer.save(update_fields=["created_at"])
    for days, place, participants, summary in WORKSHOPS:
        OfflineEvent.objects.create(
            consultation=consultation, channel="workshop",
            held_on=(consultation.opens_at + dt.timedelta(days=days)).date(), place=place,
            participants_by_sector=participants, summary=summary, recorded_by=civil_servant,
        )  # fmt: skip
    _ledger(
        plan,
        consultation,
        civil_servant,
        answer_all=True,
        typed=TYPED,
        workshop_topic="what the district asked for",
        group_reason="Taken into the plan where it fits a commitment; the rest goes to the "
        "city department concerned, which will answer in the council's annual report.",
    )

"""Demo commitments with milestones and progress: the 4th Valdoria plan in full (8
commitments across its four policy areas), three in the 5th, two in Port Lumen's plan."""

import datetime as dt

from django.contrib.auth import get_user_model

from ogp_portal.core.seeding import upsert
from plans.models import PolicyArea

from .choices import CommitmentStatus, MilestoneStatus
from .models import Commitment, Milestone, ProgressUpdate
from .services import commitment_refresh_status

D = dt.date
DONE, WIP, TODO = MilestoneStatus.COMPLETE, MilestoneStatus.IN_PROGRESS, MilestoneStatus.NOT_STARTED

# Text added after the public consultation (shown as a change on the versions page).
EDITS = {"XV0001": " Offices in all 11 regions will take part, not only in the capital."}

# (id, plan key, area, title, summary, lead, values, problem, solution, results, milestones)
COMMITMENTS = [
    (
        "XV0001",
        "valdoria-4",
        "Access to Justice",
        "Free legal aid you can find",
        "People on low incomes will find free legal aid near them through one website and "
        "phone line, and courts will say how long cases take.",
        "Ministry of Justice",
        ("access_to_information", "civic_participation"),
        "Two in three people who qualify for free legal aid do not know it exists; help is spread "
        "over 140 offices with no common list.",
        "Publish one register of legal aid providers as open data, a search website and a free "
        "phone line run with the Legal Aid Network.",
        "By 2022, 50,000 people a year use the service; waiting times for first advice halve.",
        [
            (
                "Open register of legal aid providers",
                "Register on the open data portal",
                D(2020, 9, 1),
                D(2021, 3, 31),
                "Ministry of Justice; Legal Aid Network",
                DONE,
            ),
            (
                "Search website and free phone line",
                "Website and 0800 line live",
                D(2021, 1, 1),
                D(2021, 12, 31),
                "Ministry of Justice",
                DONE,
            ),
            (
                "Quarterly court performance data",
                "Case duration data per court, quarterly",
                D(2021, 6, 1),
                D(2022, 8, 31),
                "Judicial Council",
                DONE,
            ),
        ],
    ),
    (
        "XV0002",
        "valdoria-4",
        "Access to Justice",
        "Plain-language court letters",
        "Court letters will be rewritten in plain language, tested with the people who receive "
        "them.",
        "Ministry of Justice",
        ("civic_participation",),
        "Summons and judgments use legal language most people cannot follow; missed hearings cost "
        "courts and families.",
        "Rewrite the 20 most common court letters with users and publish the templates openly.",
        "Fewer missed hearings; letters score 'easy to read' with test readers.",
        [
            (
                "User research with 200 court users",
                "Published research report",
                D(2020, 10, 1),
                D(2021, 2, 28),
                "University of Valdoria, Faculty of Law",
                DONE,
            ),
            (
                "20 letter templates rewritten and in use",
                "Templates published",
                D(2021, 3, 1),
                D(2022, 6, 30),
                "Ministry of Justice",
                WIP,
            ),
        ],
    ),
    (
        "XV0003",
        "valdoria-4",
        "Digital Governance",
        "Open data by default",
        "Every ministry will publish the data it collects as open data unless there is a "
        "published reason not to.",
        "Agency for Digital Government",
        ("access_to_information", "technology_innovation"),
        "Only 6 of 17 ministries publish data regularly; requests take months.",
        "An open-by-default decree, a publication plan per ministry and a public dashboard.",
        "All ministries publish; 1,000 new data sets; the dashboard shows who is late.",
        [
            (
                "Open-by-default decree adopted",
                "Decree in the official journal",
                D(2020, 9, 1),
                D(2021, 6, 30),
                "Agency for Digital Government",
                DONE,
            ),
            (
                "Publication plans for 17 ministries",
                "17 published plans",
                D(2021, 1, 1),
                D(2021, 12, 31),
                "Agency for Digital Government; ministries",
                DONE,
            ),
            (
                "Public compliance dashboard",
                "Dashboard online",
                D(2021, 9, 1),
                D(2022, 8, 31),
                "Agency for Digital Government; Youth for Open Data",
                WIP,
            ),
        ],
    ),
    (
        "XV0004",
        "valdoria-4",
        "Digital Governance",
        "Online consultations for all draft laws",
        "Every draft law will be open for online comment for at least 30 days, with a report on "
        "how comments were used.",
        "Office of the Prime Minister, Open Government Unit",
        ("civic_participation", "public_accountability"),
        "Draft laws are published late, if at all; comments disappear without an answer.",
        "A single consultation portal, a 30-day minimum and a published response report per law.",
        "90% of draft laws consulted for 30 days; a response report for each.",
        [
            (
                "Consultation portal launched",
                "Portal live",
                D(2020, 11, 1),
                D(2021, 6, 30),
                "Open Government Unit",
                DONE,
            ),
            (
                "30-day rule in the rules of procedure",
                "Amended rules adopted",
                D(2021, 1, 1),
                D(2022, 3, 31),
                "Government Office; National Assembly",
                DONE,
            ),
        ],
    ),
    (
        "XV0005",
        "valdoria-4",
        "Fiscal Transparency",
        "A citizens' budget every year",
        "Each year the government will publish a short, plain guide to the budget and hold public "
        "hearings in every region.",
        "Ministry of Finance",
        ("access_to_information", "civic_participation"),
        "The budget is a 900-page document; few people know where money goes.",
        "Publish a citizens' budget with the draft and final budget, and hold regional hearings.",
        "A citizens' budget for 2021 and 2022; hearings in all 11 regions.",
        [
            (
                "Citizens' budget 2021",
                "Guide published",
                D(2020, 10, 1),
                D(2020, 12, 31),
                "Ministry of Finance; Open Budget Initiative Valdoria",
                DONE,
            ),
            (
                "Citizens' budget 2022 and regional hearings",
                "Guide and 11 hearings",
                D(2021, 9, 1),
                D(2022, 8, 31),
                "Ministry of Finance",
                DONE,
            ),
        ],
    ),
    (
        "XV0006",
        "valdoria-4",
        "Fiscal Transparency",
        "Open contracting for public works",
        "All public works contracts will be published from planning to completion in the Open "
        "Contracting Data Standard.",
        "Ministry of Finance",
        ("access_to_information", "public_accountability"),
        "Public works run over budget by 38% on average and nobody can follow a contract.",
        "Publish all stages of public works contracts as OCDS data with a search tool.",
        "100% of new public works contracts published; overruns visible per contract.",
        [
            (
                "OCDS publication of tenders and awards",
                "Data feed",
                D(2020, 9, 1),
                D(2021, 8, 31),
                "Public Procurement Office",
                DONE,
            ),
            (
                "Implementation and payments published",
                "Data feed extended",
                D(2021, 9, 1),
                D(2022, 8, 31),
                "Public Procurement Office; Transparency Watch Valdoria",
                WIP,
            ),
        ],
    ),
    (
        "XV0007",
        "valdoria-4",
        "Fight against Corruption",
        "A public register of beneficial owners",
        "Everyone will be able to see who really owns companies that do business in Valdoria.",
        "Ministry of Justice",
        ("access_to_information", "public_accountability"),
        "Shell companies hide the owners of firms that win public contracts.",
        "A free, searchable beneficial ownership register, linked to procurement data.",
        "All companies registered; journalists and CSOs use the data.",
        [
            (
                "Law on beneficial ownership transparency",
                "Law adopted",
                D(2020, 9, 1),
                D(2021, 6, 30),
                "Ministry of Justice; National Assembly",
                DONE,
            ),
            (
                "Public register online",
                "Register online",
                D(2021, 7, 1),
                D(2022, 8, 31),
                "Business Registry",
                TODO,
            ),
        ],
    ),
    (
        "XV0008",
        "valdoria-4",
        "Fight against Corruption",
        "Protecting whistleblowers",
        "People who report corruption will have a safe channel and legal protection.",
        "Anti-Corruption Commission",
        ("public_accountability",),
        "Few people report corruption because they fear losing their job.",
        "A whistleblower protection law, a secure reporting channel and yearly statistics.",
        "A law in force, a channel in use and yearly public statistics on reports.",
        [
            (
                "Whistleblower protection law",
                "Law adopted",
                D(2020, 9, 1),
                D(2021, 12, 31),
                "Anti-Corruption Commission",
                DONE,
            ),
            (
                "Secure reporting channel",
                "Channel live",
                D(2021, 6, 1),
                D(2022, 6, 30),
                "Anti-Corruption Commission",
                DONE,
            ),
        ],
    ),
    (
        "XV0009",
        "valdoria-5",
        "Digital Governance",
        "Algorithm register for public services",
        "Public bodies will publish the algorithms they use to make decisions about people.",
        "Agency for Digital Government",
        ("access_to_information", "technology_innovation"),
        "Automated decisions on benefits and inspections are invisible to the people affected.",
        "A public register of algorithms with their purpose, data and a contact point.",
        "50 algorithms registered; people can ask for an explanation.",
        [
            (
                "Register design with civil society",
                "Published standard",
                D(2022, 9, 1),
                D(2023, 6, 30),
                "Agency for Digital Government",
                DONE,
            ),
            (
                "First 50 algorithms registered",
                "Register online",
                D(2023, 7, 1),
                D(2025, 12, 31),
                "Agency for Digital Government",
                DONE,
            ),
        ],
    ),
    (
        "XV0010",
        "valdoria-5",
        "Fiscal Transparency",
        "Participatory budgeting in regions",
        "Every region will let residents decide on part of its investment budget.",
        "Ministry of Finance",
        ("civic_participation",),
        "Regional budgets are decided without residents.",
        "1% of regional investment budgets decided by residents' votes.",
        "11 regions run participatory budgets; turnout above 5%.",
        [
            (
                "Pilot in 3 regions",
                "Pilot report",
                D(2022, 9, 1),
                D(2023, 12, 31),
                "Ministry of Finance",
                DONE,
            ),
            (
                "All 11 regions",
                "Yearly results",
                D(2024, 1, 1),
                D(2026, 8, 31),
                "Regions; Open Budget Initiative Valdoria",
                WIP,
            ),
        ],
    ),
    (
        "XV0011",
        "valdoria-5",
        "Fight against Corruption",
        "Open asset declarations",
        "Asset declarations of senior officials will be published as open data and checked.",
        "Anti-Corruption Commission",
        ("access_to_information", "public_accountability"),
        "Declarations are on paper and never checked.",
        "An online declaration system with open data and risk-based checks.",
        "All senior officials declare online; 500 checks a year.",
        [
            (
                "Online declaration system",
                "System live",
                D(2022, 9, 1),
                D(2024, 6, 30),
                "Anti-Corruption Commission",
                DONE,
            ),
            (
                "Risk-based checks",
                "Yearly report",
                D(2024, 7, 1),
                D(2026, 8, 31),
                "Anti-Corruption Commission",
                WIP,
            ),
        ],
    ),
    (
        "XV0012",
        "port-lumen-1",
        "Participation municipale",
        "Budget participatif de quartier",
        "Les habitants décident chaque année de l’usage de 2 % du budget d’investissement.",
        "Port Lumen City Hall, Citizen Participation Office",
        ("civic_participation",),
        "Les habitants ne sont pas associés aux choix d’investissement de la ville.",
        "Un budget participatif annuel avec vote en ligne et dans les mairies de quartier.",
        "Au moins 8 % de participation et 20 projets réalisés.",
        [
            (
                "Règlement du budget participatif",
                "Règlement adopté",
                D(2025, 1, 1),
                D(2025, 4, 30),
                "Conseil municipal",
                DONE,
            ),
            (
                "Premier vote et projets lauréats",
                "Résultats publiés",
                D(2025, 5, 1),
                D(2026, 12, 31),
                "Bureau de la participation citoyenne",
                WIP,
            ),
        ],
    ),
    (
        "XV0013",
        "port-lumen-1",
        "Participation municipale",
        "Conseils de quartier ouverts",
        "Les réunions des conseils de quartier seront publiques, annoncées et filmées.",
        "Port Lumen City Hall, Citizen Participation Office",
        ("civic_participation", "access_to_information"),
        "Les conseils de quartier se réunissent sans publicité.",
        "Calendrier public, ordre du jour en ligne et vidéos des réunions.",
        "Toutes les réunions annoncées 7 jours avant ; vidéos en ligne.",
        [
            (
                "Calendrier public des réunions",
                "Calendrier en ligne",
                D(2025, 1, 1),
                D(2025, 6, 30),
                "Fédération des conseils de quartier",
                DONE,
            ),
            (
                "Vidéos des réunions",
                "Vidéos publiées",
                D(2025, 7, 1),
                D(2026, 12, 31),
                "Bureau de la participation citoyenne",
                TODO,
            ),
        ],
    ),
]


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
        if created and lead and plan_key == "valdoria-4":
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
    return {"commitments": commitments}

"""Realistic OGP text for the scale data: titles and paragraphs built from the topics action
plans really cover, so full-text search and the similar-proposal finder meet real variety
(shared words between related proposals, rare words in others) rather than lorem ipsum.

Every function takes the caller's random.Random: the same seed gives the same text.
"""

import random

# (policy area, key phrases, lead institutions)
TOPICS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "Open Contracting",
        ("open contracting", "public procurement", "contract award data", "tender notices",
         "single-source contracts", "procurement complaints", "framework agreements"),
        ("Public Procurement Agency", "Ministry of Finance"),
    ),
    (
        "Beneficial Ownership",
        ("beneficial ownership", "company owners", "shell companies", "the business register",
         "nominee shareholders", "politically exposed persons"),
        ("Business Registry", "Financial Intelligence Unit"),
    ),
    (
        "Fiscal Transparency",
        ("fiscal transparency", "the citizens' budget", "budget execution data",
         "tax expenditures", "public debt reporting", "participatory budgeting"),
        ("Ministry of Finance", "Supreme Audit Institution"),
    ),
    (
        "Access to Information",
        ("access to information", "freedom of information requests", "proactive disclosure",
         "the information commissioner", "public records", "response deadlines"),
        ("Information Commissioner", "Office of the Prime Minister"),
    ),
    (
        "Civic Space",
        ("civic space", "freedom of assembly", "registration of associations",
         "the safety of journalists", "foreign funding rules", "online harassment of activists"),
        ("Ministry of Interior", "National Human Rights Institution"),
    ),
    (
        "Anti-Corruption",
        ("asset declarations", "conflict of interest rules", "whistleblower protection",
         "the lobbying register", "political party finance", "integrity in public office"),
        ("Anti-Corruption Commission", "Ministry of Justice"),
    ),
    (
        "Access to Justice",
        ("legal aid", "court performance data", "publication of judgments",
         "plain-language court letters", "case backlogs", "legal empowerment"),
        ("Ministry of Justice", "Judicial Council"),
    ),
    (
        "Digital Governance",
        ("open data", "the open data portal", "algorithmic transparency", "digital identity",
         "e-services", "personal data protection"),
        ("Agency for Digital Government", "Data Protection Authority"),
    ),
    (
        "Extractive Industries",
        ("extractive industries", "mining revenues", "EITI reporting", "oil and gas contracts",
         "environmental impact assessments", "community benefit agreements"),
        ("Ministry of Mines and Energy", "EITI Secretariat"),
    ),
    (
        "Public Service Delivery",
        ("public service delivery", "service charters", "citizen feedback on services",
         "health facility data", "school grants", "waiting times"),
        ("Ministry of Public Administration", "Ministry of Health"),
    ),
    (
        "Climate and Environment",
        ("climate finance", "air quality data", "environmental permits", "deforestation alerts",
         "water quality monitoring", "climate adaptation plans"),
        ("Ministry of Environment", "National Meteorological Office"),
    ),
    (
        "Gender and Inclusion",
        ("gender budgeting", "disability access", "women's participation",
         "indigenous consultation", "youth participation", "sex-disaggregated data"),
        ("Ministry of Social Affairs", "Gender Equality Commission"),
    ),
    (
        "Parliamentary Openness",
        ("parliamentary openness", "legislative footprint", "voting records",
         "committee hearings", "public consultation on draft laws"),
        ("National Assembly Secretariat", "Office of the Speaker"),
    ),
    (
        "Land and Housing",
        ("the land registry", "land titles", "social housing allocations",
         "urban planning decisions", "land concessions"),
        ("Land Administration Agency", "Ministry of Housing"),
    ),
    (
        "Local Open Government",
        ("municipal budgets", "neighbourhood councils", "open council meetings",
         "local procurement", "participatory planning"),
        ("City Hall", "Association of Municipalities"),
    ),
]  # fmt: skip

ACTIONS = (
    "Publish", "Open up", "Create a public register of", "Strengthen oversight of",
    "Make searchable", "Monitor", "Co-create standards for", "Introduce independent review of",
    "Digitise", "Guarantee public access to", "Set up citizen monitoring of", "Reform",
    "Audit", "Standardise reporting on", "Improve the quality of",
)  # fmt: skip
SCOPES = (
    "in all ministries", "at municipal level", "for the extractive sector", "within 30 days",
    "as open data", "by the end of the plan", "in plain language", "for rural communities",
    "in every region", "with civil society", "across state-owned enterprises",
    "for public works", "in real time", "in the health sector", "in schools",
    "for people with disabilities", "with independent verification", "online and offline",
)  # fmt: skip
GROUPS = (
    "citizens", "journalists", "civil-society organisations", "small businesses", "women",
    "young people", "people in rural areas", "researchers", "local councillors", "auditors",
    "people with disabilities", "indigenous communities",
)  # fmt: skip
REGIONS = (
    "the northern provinces", "the capital", "coastal districts", "the mountain regions",
    "border towns", "the eastern valley", "small municipalities", "the island districts",
)  # fmt: skip

PROBLEM = (
    "Information on {phrase} is scattered across agencies and hard to find for {group}.",
    "Only {n}% of records on {phrase} are published, often months late.",
    "{Group} in {region} cannot see how decisions on {phrase} are taken.",
    "Reports on {phrase} are published as scanned PDFs that cannot be searched or reused.",
    "There is no independent check on {phrase}, and complaints go unanswered.",
    "Surveys show that {n}% of {group} do not trust the data on {phrase}.",
)
CAUSES = (
    "The law does not oblige agencies to publish data on {phrase}.",
    "Each agency uses its own format, so nobody can compare {phrase} across the country.",
    "Staff lack training and tools, and {institution} has no budget for it.",
    "Earlier commitments on {phrase} were not followed up after the plan ended.",
    "Responsibility for {phrase} is split between {institution} and local authorities.",
)
SOLUTIONS = (
    "{Action} {phrase} {scope}, following open data standards.",
    "{Institution} publishes {phrase} {scope} and reports every quarter to the forum.",
    "A joint working group of {institution} and {group} designs the rules for {phrase}.",
    "An online portal lets {group} search {phrase} and file questions or complaints.",
    "Independent monitors from civil society check {phrase} twice a year.",
)
RESULTS = (
    "By the end of the plan, {n}% of {phrase} is published {scope}.",
    "{Group} use the data on {phrase}: at least {k} requests or reuses a year.",
    "Complaints about {phrase} are answered within 30 days.",
    "The IRM can verify progress on {phrase} from published evidence.",
)
COMMENT = (
    "I support this: in {region} {phrase} is a real problem.",
    "Could you say which agency would be responsible for {phrase}?",
    "We tried something similar in {region} and it worked once {group} were involved.",
    "Please make sure the data on {phrase} is published in machine-readable formats.",
    "This overlaps with an earlier commitment on {phrase}; what is different now?",
    "Our organisation can help test the portal with {group}.",
    "Without a budget line this will not happen. Who pays for it?",
    "Good idea, but {n}% is not ambitious enough.",
    "The deadline seems too short for small municipalities.",
    "Has {institution} agreed to lead this?",
    "Thank you, this answers my question.",
    "Please add a milestone on training staff.",
)
FIRST_NAMES = (
    "Amina", "Ana", "Bilal", "Carmen", "Chen", "Daniel", "Divya", "Elena", "Emeka", "Fatima",
    "Felipe", "Grace", "Hana", "Ibrahim", "Ines", "Jonas", "Kofi", "Lara", "Liam", "Lucia",
    "Mariam", "Mateo", "Mei", "Nadia", "Nikolai", "Olga", "Omar", "Paula", "Priya", "Rafael",
    "Rosa", "Samir", "Sofia", "Tariq", "Thandiwe", "Tomas", "Valentina", "Wei", "Yusuf", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Alvarez", "Banda", "Berg", "Chowdhury", "Costa", "Dubois", "Eze", "Fischer",
    "Garcia", "Haddad", "Ivanova", "Jensen", "Kaur", "Kim", "Lopez", "Mendes", "Mwangi",
    "Nakamura", "Novak", "Okafor", "Petrov", "Quispe", "Rahman", "Rossi", "Santos", "Silva",
    "Tanaka", "Uddin", "Vargas", "Wang", "Xavier", "Yilmaz", "Zulu",
)  # fmt: skip
COUNTRY_SYLLABLES = ("val", "dor", "mar", "lun", "ter", "kos", "bel", "ria", "nor", "sal",
                     "ven", "tor", "ana", "mek", "sil", "ora")  # fmt: skip


def pick(rng: random.Random, items):
    return items[rng.randrange(len(items))]


def topic(rng: random.Random):
    return pick(rng, TOPICS)


def _fill(rng: random.Random, template: str, area) -> str:
    group = pick(rng, GROUPS)
    action = pick(rng, ACTIONS)
    institution = pick(rng, area[2])
    return template.format(
        phrase=pick(rng, area[1]),
        group=group,
        Group=group[0].upper() + group[1:],
        region=pick(rng, REGIONS),
        n=rng.randrange(3, 95),
        k=rng.randrange(2, 50) * 100,
        institution=institution,
        Institution=institution,
        scope=pick(rng, SCOPES),
        Action=action,
    )


def paragraph(rng: random.Random, area, templates, sentences: int = 2) -> str:
    return " ".join(_fill(rng, pick(rng, templates), area) for _ in range(sentences))


def title(rng: random.Random, area) -> str:
    phrase = pick(rng, area[1])
    return f"{pick(rng, ACTIONS)} {phrase} {pick(rng, SCOPES)}"[:250]


def problem(rng, area) -> str:
    return paragraph(rng, area, PROBLEM, rng.randint(1, 3))


def causes(rng, area) -> str:
    return paragraph(rng, area, CAUSES, rng.randint(1, 2))


def solution(rng, area) -> str:
    return paragraph(rng, area, SOLUTIONS, rng.randint(1, 3))


def results(rng, area) -> str:
    return paragraph(rng, area, RESULTS, rng.randint(1, 2))


def comment(rng, area) -> str:
    return paragraph(rng, area, COMMENT, rng.randint(1, 3))


def person_name(rng: random.Random) -> str:
    return f"{pick(rng, FIRST_NAMES)} {pick(rng, LAST_NAMES)}"


def place_name(rng: random.Random) -> str:
    """An invented name (Valmora, Terkosia, …): scale records never pass for real ones."""
    parts = [pick(rng, COUNTRY_SYLLABLES) for _ in range(rng.randint(2, 3))]
    return "".join(parts).capitalize()

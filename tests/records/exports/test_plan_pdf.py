"""What a reader finds in the action plan PDF: the OGP template's content, page numbers in
the contents, every milestone with its details, commitment sheets that share pages, a tag
tree with headings and lists, and text in Cyrillic and Arabic script drawn with the bundled
fonts."""

import io
import re

import pypdf
import pytest
from django.core.management import call_command

from commitments.models import Commitment, Milestone
from ogp_portal.core.exports import build_html, export_now, get_export
from ogp_portal.core.models import JobStatus
from ogp_portal.core.translations import translations_save
from plans.models import ActionPlan
from tests.exports.conftest import pdf_font_names, pdf_text, read_file
from tests.factories import CommitmentFactory, MemberFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_demo_plan_pdf_has_every_commitment_milestone_date_and_a_paged_contents():
    call_command("load_demo", quiet_logins=True)
    plan = ActionPlan.objects.get(title="Fourth National Action Plan 2020–2022")
    commitments = list(Commitment.objects.filter(plan=plan).order_by("position", "ogp_id"))
    assert len(commitments) == 8

    job = export_now("plan", plan)

    assert job.status == JobStatus.DONE, job.error
    data = read_file(job.result)
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [_flat(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    assert reader.metadata.title == plan.title
    for commitment in commitments:
        assert commitment.ogp_id in text
        assert _flat(commitment.title) in text
    for milestone in Milestone.objects.filter(commitment__plan=plan):
        assert milestone.start_date.isoformat() in text
        assert milestone.due_date.isoformat() in text
    # Contents: a page number after each entry, and it is the page where the sheet starts
    contents = next(i for i, page in enumerate(pages) if page.startswith("Contents"))
    for commitment in commitments:
        entry = re.escape(f"{commitment.ogp_id} {_flat(commitment.title)}")
        match = re.search(entry + r" \.+ (\d+)", pages[contents])
        assert match, f"no page number for {commitment.ogp_id} in the contents"
        sheet_page = next(
            i
            for i, page in enumerate(pages)
            if i > contents and f"{commitment.ogp_id} {_flat(commitment.title)}" in page
        )
        assert int(match.group(1)) == sheet_page + 1
    # OGP template order
    order = [
        "Introduction and long-term vision",
        "Open government efforts to date",
        "Development process",
        "Annex: every input and its reasoned response",
    ]
    body = " ".join(pages[contents + 1 :])
    positions = [body.find(heading) for heading in order]
    assert -1 not in positions
    assert positions == sorted(positions)
    # Page numbers in the footer, bookmarks for the chapters and sheets
    assert f"2 / {len(pages)}" in pages[1]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Contents" in outline
    assert "Commitments" in outline


@pytest.mark.parametrize(
    ("language", "title", "words", "font"),
    [
        (
            "ru",
            "Открытый реестр судебных решений",
            ["Опубликовать", "решения", "Минюст"],
            "NotoSans",
        ),
        (
            "ar",
            "سجل مفتوح لأحكام المحاكم",
            ["نشر", "الأحكام", "وزارة"],
            "NotoSansArabic",
        ),
    ],
)
def test_cyrillic_and_arabic_text_is_drawn_with_the_bundled_fonts(language, title, words, font):
    member = MemberFactory(languages=[language], iso_code="XV")
    plan = PlanFactory(
        member=member, status="implementation", primary_language=language, title=title
    )
    commitment = CommitmentFactory(
        plan=plan, title=title, summary=" ".join(words), lead_institution=words[2]
    )
    MilestoneFactory(commitment=commitment, description=words[0])

    job = export_now("plan", plan)

    assert job.status == JobStatus.DONE, job.error
    assert job.language == language
    data = read_file(job.result)
    text = pdf_text(data)
    # Every glyph maps back to its character: nothing was drawn as a missing-glyph box
    for word in [*words, *title.split()]:
        assert word in text
    fonts = pdf_font_names(data)
    assert font in fonts, fonts
    assert all(name.startswith("NotoSans") for name in fonts), fonts
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.root_object["/Lang"] == language


def test_a_translated_plan_exports_in_the_translation(published_plan):
    member = published_plan.member
    member.languages = ["en", "fr"]
    member.save()
    commitment = published_plan.commitments.first()
    translations_save(commitment, "fr", {"title": "Registre ouvert de la justice"})

    job = export_now("plan", published_plan, language="fr")

    assert job.language == "fr"
    text = _flat(pdf_text(read_file(job.result)))
    assert "Registre ouvert de la justice" in text
    # A language the plan is not written or translated in falls back to its own
    assert get_export("plan").language_for(published_plan, "de") == "en"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("n", [2, 12])
def test_building_the_plan_runs_a_bounded_number_of_queries(
    make_plan, django_assert_max_num_queries, n, language
):
    # Given a plan translated into French whose commitments are each in a policy area
    plan = make_plan(n=n, areas=True)
    plan.member.languages = ["en", "fr"]
    plan.member.save()
    for commitment in plan.commitments.select_related("policy_area"):
        translations_save(commitment.policy_area, "fr", {"name": f"Domaine {commitment.position}"})
        translations_save(commitment, "fr", {"title": f"Registre {commitment.position}"})
    spec = get_export("plan")
    plan = ActionPlan.objects.get(pk=plan.pk)  # nothing cached on the instance

    with django_assert_max_num_queries(9):
        html = build_html(spec, plan, language, lambda _percent, _step: None)

    assert html.count('class="sheet"') == n
    # Each sheet names its policy area, in the document's language
    area = "Domaine" if language == "fr" else "Area"
    for i in range(n):
        assert f"<td>{area} {i}</td>" in html


def _structure_types(reader: pypdf.PdfReader) -> list[str]:
    """The type of every element of the PDF's tag tree ("/H2", "/L", "/LI", …), depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                found.append(str(node["/S"]))
            if "/K" in node:
                walk(node["/K"])
        # (integers are marked-content ids: the leaves)

    walk(reader.root_object["/StructTreeRoot"])
    return found


def test_every_milestone_is_listed_with_its_output_stakeholders_and_dates(make_plan):
    # Given a commitment whose milestones have every detail filled in
    plan = make_plan(n=1, title="Open Justice Plan")
    commitment = plan.commitments.get()
    commitment.milestones.filter(position=0).update(
        expected_output="Draft law online for comment",
        responsible_actors="Ministry of Justice, Open Data Coalition",
    )
    commitment.milestones.filter(position=1).update(expected_output="", responsible_actors="")

    job = export_now("plan", plan)

    assert job.status == JobStatus.DONE, job.error
    reader = pypdf.PdfReader(io.BytesIO(read_file(job.result)))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert f"Milestones of {commitment.ogp_id}" in text
    # Each milestone in order, each detail under its label
    first = text.index("Publish the data 0")
    second = text.index("Report on use 0")
    assert first < second
    details = text[first:second]
    assert "Expected output: Draft law online for comment" in details
    assert "Start: 2026-02-01 · Expected completion: 2026-06-30" in details
    assert "Responsible stakeholders: Ministry of Justice, Open Data Coalition" in details
    # A milestone without an output or stakeholders shows no empty labels
    after = text[second:]
    assert "Start: 2026-07-01 · Expected completion: 2027-03-31" in after
    assert "Expected output" not in after
    assert "Responsible stakeholders" not in after
    # Tagged: the milestones are a list (items with labels and bodies) under a heading
    types = _structure_types(reader)
    for kind in ("/H1", "/H2", "/H3", "/L", "/LI", "/Lbl", "/LBody", "/Table"):
        assert kind in types, kind
    assert types.count("/LI") >= 2


def test_short_commitment_sheets_share_pages(make_plan):
    # Given a plan of twelve short commitments
    plan = make_plan(n=12)

    job = export_now("plan", plan)

    assert job.status == JobStatus.DONE, job.error
    reader = pypdf.PdfReader(io.BytesIO(read_file(job.result)))
    pages = [_flat(page.extract_text()) for page in reader.pages]
    # Cover, contents, three chapters and the annex start pages of their own; the twelve
    # sheets follow one another instead of taking a page each.
    assert len(pages) < 6 + 12
    sheet_pages = [
        next(
            i
            for i, page in enumerate(pages)
            if f"{c.ogp_id} Open register {c.position}" in page and i > 1
        )
        for c in plan.commitments.order_by("position")
    ]
    assert len(set(sheet_pages)) < len(sheet_pages)
    assert sheet_pages == sorted(sheet_pages)


def test_an_untranslated_milestone_text_is_marked_in_its_own_language(published_plan):
    # Given a plan translated into French where one milestone's description is translated
    # and its expected output is not
    published_plan.member.languages = ["en", "fr"]
    published_plan.member.save()
    milestone = Milestone.objects.filter(commitment__plan=published_plan).order_by("pk").first()
    milestone.expected_output = "Data published every quarter"
    milestone.save()
    translations_save(milestone, "fr", {"description": "Publier les données"})

    spec = get_export("plan")
    html = build_html(spec, published_plan, "fr", lambda _percent, _step: None)
    job = export_now("plan", published_plan, language="fr")

    # The translation in the document's language; the original marked as English, with a note
    assert '<p class="milestone">Publier les données</p>' in html
    assert '<span lang="en" dir="ltr">Data published every quarter</span>' in html
    text = _flat(pdf_text(read_file(job.result)))
    assert "Publier les données" in text
    assert "Livrable attendu: Data published every quarter (non traduit" in text
    assert "Début: 2026-02-01 · Achèvement prévu: 2026-06-30" in text

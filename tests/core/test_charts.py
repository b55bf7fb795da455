"""The SVG charts as a screen reader, a French reader, a phone and an attacker meet them."""

import xml.etree.ElementTree as ET

from django.template.loader import render_to_string
from django.utils import translation

from ogp_portal.core.charts import Bar, Flow, Node, bar_chart, chart_csv_response, flow_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart):
    return ET.fromstring(str(chart.svg))  # noqa: S314 -- our own output, not untrusted input


def test_a_bar_chart_is_an_image_labelled_by_its_title_and_description():
    chart = bar_chart(
        "kinds",
        "Inputs by kind",
        [Bar("Proposals", 120), Bar("Comments", 30)],
        label_header="Kind",
        value_header="Inputs",
    )
    svg = parse(chart)
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%"
    assert svg.get("viewBox").startswith("0 0 400 ")
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title.text == "Inputs by kind"
    assert "Proposals: 120" in desc.text
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert chart.rows == [["Proposals", 120], ["Comments", 30]]


def test_labels_are_escaped():
    chart = bar_chart("x", "<b>T</b>", [Bar('<script>alert("x")</script>', 1)])
    assert "<script>" not in str(chart.svg)
    parse(chart)  # still well-formed


def test_numbers_are_written_in_the_locale():
    with translation.override("fr"):
        chart = bar_chart("n", "Contributions", [Bar("Propositions", 12345)])
    text = str(chart.svg)
    assert "12345" not in text.replace("</title>", "")  # grouped, French style
    assert "12\u202f345" in text or "12\xa0345" in text or "12 345" in text


def test_a_flow_chart_joins_three_columns_and_lists_every_flow():
    columns = [
        [Node("k:proposal", "Proposals"), Node("k:comment", "Comments")],
        [Node("d:accepted", "Accepted"), Node("d:no", "Not taken up")],
        [Node("c:1", "XV0001 Open courts")],
    ]
    flows = [
        Flow("k:proposal", "d:accepted", 5),
        Flow("k:proposal", "d:no", 3),
        Flow("k:comment", "d:accepted", 2),
        Flow("d:accepted", "c:1", 7),
    ]
    chart = flow_chart(
        "flow",
        "From input to commitment",
        columns,
        flows,
        column_titles=["Input", "Decision", "Commitment"],
        value_header="Inputs",
    )
    svg = parse(chart)
    assert svg.get("role") == "img"
    assert len(svg.findall(f"{SVG}path")) == 4
    assert ["Proposals", "Accepted", 5] in chart.rows
    assert ["Accepted", "XV0001 Open courts", 7] in chart.rows
    html = render_to_string("includes/_chart.html", {"chart": chart})
    assert '<th scope="row">Proposals</th>' in html
    assert "<caption>" in html


def test_the_include_puts_a_table_and_the_csv_link_beside_the_picture():
    chart = bar_chart("k", "By kind", [Bar("A", 1)], csv_url="/x.csv", value_header="Inputs")
    html = render_to_string("includes/_chart.html", {"chart": chart})
    assert html.index("<svg") < html.index("<table")
    assert 'href="/x.csv"' in html
    assert 'scope="col"' in html


def test_the_csv_has_the_table_rows():
    chart = bar_chart("k", "By kind", [Bar("=cmd", 2)], label_header="Kind", value_header="N")
    body = b"".join(
        part.encode() if isinstance(part, str) else part
        for part in chart_csv_response(chart, "k.csv").streaming_content
    ).decode()
    assert "Kind,N" in body
    assert "'=cmd,2" in body  # formula injection kept as text

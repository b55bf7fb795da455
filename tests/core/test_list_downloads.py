"""Every list page with filters downloads what it shows, filters included, as CSV or JSON:
every match (not one page), in a bounded number of queries, nothing the visitor may not see."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.choices import MeetingKind
from ogp_portal.organisations.choices import OrganisationKind
from records.choices import DocumentType
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import OrganisationFactory, PlanFactory
from tests.forums.factories import ForumFactory, ForumMeetingFactory
from tests.records.factories import RepositoryDocumentFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(\?[^"]*format=(csv|json))" download>')


def _download(client, url, query, fmt, max_queries, django_assert_max_num_queries):
    """Follow the page's own download link for `fmt`; the parsed rows."""
    page = client.get(url, query).content.decode()
    links = {fmt: href.replace("&amp;", "&") for href, fmt in LINK.findall(page)}
    assert set(links) == {"csv", "json"}, "the page offers both downloads"
    with django_assert_max_num_queries(max_queries):
        response = client.get(url + links[fmt])
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body)))
    return json.loads(body)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_organisations(client, member, fmt, django_assert_max_num_queries):
    for n in range(30):
        OrganisationFactory(name=f"Watch {n}", member=member, kind=OrganisationKind.CSO)
    OrganisationFactory(name="Agency", member=member, kind=OrganisationKind.GOVERNMENT_AGENCY)
    OrganisationFactory(name="Watch unverified", member=member, verified_at=None)
    rows = _download(
        client, reverse("organisations:organisation-list"), {"kind": "cso"}, fmt, 6,
        django_assert_max_num_queries,
    )  # fmt: skip
    names = {row["name"] for row in rows}
    assert len(names) == 30
    assert "Agency" not in names
    assert "Watch unverified" not in names


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_repository(client, member, fmt, django_assert_max_num_queries):
    now = timezone.now()
    for n in range(30):
        RepositoryDocumentFactory(
            member=member, title=f"Minutes {n}", doc_type=DocumentType.MEETING_MINUTES,
            published_at=now,
        )  # fmt: skip
    RepositoryDocumentFactory(member=member, title="Rules", published_at=now)
    RepositoryDocumentFactory(
        member=member, title="Not yet", doc_type=DocumentType.MEETING_MINUTES,
        published_at=now + timezone.timedelta(days=3),
    )  # fmt: skip
    url = reverse("records:repository", args=[member.slug])
    rows = _download(
        client, url, {"doc_type": DocumentType.MEETING_MINUTES}, fmt, 8,
        django_assert_max_num_queries,
    )  # fmt: skip
    titles = {row["title"] for row in rows}
    assert len(titles) == 30
    assert not {"Rules", "Not yet"} & titles


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_meetings(client, member, fmt, django_assert_max_num_queries):
    forum = ForumFactory(member=member)
    for n in range(30):
        ForumMeetingFactory(forum=forum, title=f"Review {n}", kind=MeetingKind.REGULAR)
    ForumMeetingFactory(forum=forum, title="Public day", kind=MeetingKind.PUBLIC_ENGAGEMENT)
    url = reverse("forums:meeting-list", args=[member.slug])
    rows = _download(
        client, url, {"kind": MeetingKind.REGULAR}, fmt, 8, django_assert_max_num_queries
    )
    titles = {row["title"] for row in rows}
    assert len(titles) == 30
    assert "Public day" not in titles


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_proposals(client, member, cso_member, fmt, django_assert_max_num_queries):
    consultation = make_consultation(PlanFactory(member=member, status="co_creation"))
    for n in range(30):
        make_proposal(cso_member, consultation, title=f"Open registers {n}")
    make_proposal(cso_member, consultation, title="Something else")
    url = reverse("consultations:proposal-list", args=[consultation.pk])
    rows = _download(client, url, {"q": "registers"}, fmt, 10, django_assert_max_num_queries)
    titles = {row["title"] for row in rows}
    assert len(titles) == 30
    assert "Something else" not in titles

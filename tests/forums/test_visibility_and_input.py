"""Regressions from review: drafts of plans never show on public forum pages, and bad
query strings answer 404 or are ignored, never 500."""

import pytest
from django.urls import reverse

from plans.choices import PlanStatus
from tests.factories import PlanFactory
from tests.records.factories import RepositoryDocumentFactory

pytestmark = pytest.mark.django_db


def test_documents_of_a_draft_plan_do_not_show_on_the_forum_page(client, forum, member):
    draft = PlanFactory(member=member, status=PlanStatus.PLANNING, title="Secret draft plan")
    RepositoryDocumentFactory(member=member, plan=draft, title="Draft timeline memo")
    RepositoryDocumentFactory(member=member, plan=None, title="Forum rules 2026")
    page = client.get(reverse("forums:forum-detail", args=[forum.member.slug])).content.decode()
    assert "Forum rules 2026" in page
    assert "Draft timeline memo" not in page
    assert "Secret draft plan" not in page


def test_meeting_form_offers_only_public_plans(client_for, civil_servant, forum, member):
    PlanFactory(member=member, status=PlanStatus.PLANNING, title="Secret draft plan")
    PlanFactory(member=member, status=PlanStatus.CO_CREATION, title="Plan in co-creation")
    page = (
        client_for(civil_servant)
        .get(reverse("forums:meeting-create", args=[forum.member.slug]))
        .content.decode()
    )
    assert "Plan in co-creation" in page
    assert "Secret draft plan" not in page


@pytest.mark.parametrize("year", ["0", "99999", "²", "abc", "-1"])
def test_meeting_list_ignores_a_bad_year(client, forum, year):
    response = client.get(reverse("forums:meeting-list", args=[forum.member.slug]), {"year": year})
    assert response.status_code == 200


@pytest.mark.parametrize("group", ["abc", "²", "1.5"])
def test_meeting_form_with_a_bad_group_is_404(client_for, civil_servant, forum, group):
    url = reverse("forums:meeting-create", args=[forum.member.slug])
    assert client_for(civil_servant).get(url, {"group": group}).status_code == 404

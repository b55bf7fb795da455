"""What the forum publishes reaches the repository only through the hooks forums/ owns
(forums/publications.py), registered by records/ in RecordsConfig.ready; without them the
forum still works, and records nothing."""

import pytest
from django.urls import reverse

from forums import publications, services
from forums.choices import Sector
from records import services as record_services
from records import views as record_views
from records.choices import DocumentType
from records.models import RepositoryDocument

pytestmark = pytest.mark.django_db

SETUP = {
    "name": "Valdoria OGP Forum",
    "mandate": "Co-create the plan.",
    "rules_of_participation": "Consensus first.",
    "seats": {Sector.GOVERNMENT: 5, Sector.CIVIL_SOCIETY: 5},
}


def test_records_registers_its_hooks_once():
    assert [record_services.document_record_publication] == publications._PUBLISHED_HOOKS
    assert [record_views.latest_documents_for_forum_page] == publications._FORUM_PAGE_HOOKS
    assert [record_views.member_links] == publications._MEMBER_LINK_HOOKS


def test_the_rules_stay_one_entry_updated_when_the_forum_changes(member, secretariat):
    forum = services.forum_setup(member, actor=secretariat, **SETUP)
    services.forum_update(forum, actor=secretariat, **{**SETUP, "name": "Renamed forum"})
    rules = RepositoryDocument.objects.get(member=member, doc_type=DocumentType.FORUM_RULES)
    assert rules.title == "Renamed forum"
    assert rules.url == forum.get_absolute_url() + "#rules"
    assert rules.uploaded_by == secretariat


def test_without_the_hooks_the_forum_works_alone(monkeypatch, client, member, secretariat):
    monkeypatch.setattr(publications, "_PUBLISHED_HOOKS", [])
    monkeypatch.setattr(publications, "_FORUM_PAGE_HOOKS", [])
    monkeypatch.setattr(publications, "_MEMBER_LINK_HOOKS", [])
    forum = services.forum_setup(member, actor=secretariat, **SETUP)
    assert not RepositoryDocument.objects.exists()
    page = client.get(reverse("forums:forum-detail", args=[forum.member.slug]))
    assert page.status_code == 200
    assert "/repository/" not in page.content.decode()

"""The repository moved from forums/ to records/ keeping its rows (issue #12): documents put
in on the previous schema are all found through records.models.RepositoryDocument, and the
content type (which permissions and audit events point at) moved with them."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from records.models import RepositoryDocument
from tests.factories import PlanFactory
from tests.forums.factories import ForumMeetingFactory

BEFORE = [("forums", "0003_seat_holder_base")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_repository_row_survives_the_move(member, civil_servant):
    plan = PlanFactory(member=member)
    meeting = ForumMeetingFactory(forum__member=member)
    content_type_id = ContentType.objects.get(app_label="records", model="repositorydocument").pk
    published = timezone.now() - dt.timedelta(days=3)
    try:
        old_apps = _migrate(BEFORE)
        assert ContentType.objects.filter(app_label="forums", model="repositorydocument").exists()
        old_model = old_apps.get_model("forums", "RepositoryDocument")
        old_model.objects.bulk_create(
            [
                old_model(member_id=member.pk, doc_type="action_plan", title="Plan text",
                          plan_id=plan.pk, file="forums/repository/2026/plan.pdf",
                          published_at=published, uploaded_by_id=civil_servant.pk),
                old_model(member_id=member.pk, doc_type="meeting_minutes", title="Minutes",
                          meeting_id=meeting.pk, url="https://example.org/m",
                          published_at=published),
                old_model(member_id=member.pk, doc_type="forum_rules", title="Rules",
                          url="https://example.org/rules", published_at=published),
            ]
        )  # fmt: skip
        old_ids = sorted(old_model.objects.values_list("pk", flat=True))
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()

    moved = RepositoryDocument.objects.order_by("pk")
    assert [d.pk for d in moved] == old_ids
    by_title = {d.title: d for d in moved}
    assert by_title["Plan text"].plan == plan
    assert by_title["Plan text"].uploaded_by == civil_servant
    assert by_title["Plan text"].file.name == "forums/repository/2026/plan.pdf"
    assert by_title["Minutes"].meeting == meeting
    assert meeting.repository_document == by_title["Minutes"]
    assert {d.published_at for d in moved} == {published}
    assert RepositoryDocument._meta.db_table == "records_repositorydocument"
    # The content type is the same row, now named records.repositorydocument.
    assert ContentType.objects.get_for_model(RepositoryDocument).pk == content_type_id
    assert not ContentType.objects.filter(app_label="forums", model="repositorydocument").exists()

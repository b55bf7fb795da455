"""The public repository, moved here from forums/ with its rows (issue #12).

1. State only: the model as it was in forums/, on its old table forums_repositorydocument.
2. The table is renamed records_repositorydocument (its indexes and constraint keep their names).
3. The content type forums.repositorydocument becomes records.repositorydocument, so the
   permissions and whatever points at it by content type (audit events) follow the rows.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    moving = content_type.objects.using(db).filter(app_label=old, model="repositorydocument")
    if not moving.exists():
        return  # a fresh database: post_migrate creates the new one
    # A stale one made by an earlier post_migrate would block the rename; the old one wins,
    # since the audit trail and permissions point at it.
    content_type.objects.using(db).filter(app_label=new, model="repositorydocument").delete()
    moving.update(app_label=new)


def content_type_to_records(apps, schema_editor):
    _move_content_type(apps, schema_editor, "forums", "records")


def content_type_to_forums(apps, schema_editor):
    _move_content_type(apps, schema_editor, "records", "forums")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("forums", "0004_move_repositorydocument_to_records"),
        ("organisations", "0002_initial"),
        ("plans", "0002_plan_sections_history_and_components"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RepositoryDocument",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "doc_type",
                            models.CharField(
                                choices=[
                                    ("consultation_document", "Consultation document"),
                                    ("co_creation_timeline", "Co-creation timeline"),
                                    ("action_plan", "Action plan"),
                                    ("commitment_evidence", "Progress evidence"),
                                    ("meeting_minutes", "Meeting minutes"),
                                    ("reasoned_response", "Reasoned response"),
                                    ("self_assessment", "Self-assessment"),
                                    ("irm_report", "IRM report"),
                                    ("forum_rules", "Forum rules"),
                                    ("other", "Other"),
                                ],
                                max_length=30,
                                verbose_name="type",
                            ),
                        ),
                        ("title", models.CharField(max_length=250, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        (
                            "file",
                            models.FileField(
                                blank=True, upload_to="forums/repository/%Y/", verbose_name="file"
                            ),
                        ),
                        (
                            "url",
                            models.URLField(blank=True, max_length=500, verbose_name="address"),
                        ),
                        (
                            "language",
                            models.CharField(blank=True, max_length=10, verbose_name="language"),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="published at"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "meeting",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="repository_document",
                                to="forums.forummeeting",
                                verbose_name="meeting",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="repository_documents",
                                to="organisations.member",
                                verbose_name="member",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="repository_documents",
                                to="plans.actionplan",
                                verbose_name="action plan",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "repository document",
                        "verbose_name_plural": "repository documents",
                        "ordering": ["-published_at", "-pk"],
                        "db_table": "forums_repositorydocument",
                        "indexes": [
                            models.Index(
                                fields=["member", "-published_at"], name="repo_member_published"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("file", ""), _negated=True),
                                    models.Q(("url", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="repositorydocument_file_or_url",
                            )
                        ],
                    },
                )
            ],
            database_operations=[],
        ),
        # The table takes the app's name, like every other table.
        migrations.AlterModelTable(name="repositorydocument", table=None),
        migrations.RunPython(content_type_to_records, content_type_to_forums),
    ]

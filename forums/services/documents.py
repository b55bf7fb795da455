"""The public repository: documents added by hand, and the forum's rules kept there."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.choices import (
    DocumentType,
)
from forums.models import (
    Forum,
    RepositoryDocument,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan


def _sync_rules_document(forum: Forum, actor) -> None:
    """The rules of participation must be public (MR 1.1): keep them in the repository."""
    document = RepositoryDocument.objects.filter(
        member=forum.member, doc_type=DocumentType.FORUM_RULES, meeting__isnull=True
    ).first()
    url = forum.get_absolute_url() + "#rules"
    if document is None:
        RepositoryDocument.objects.create(
            member=forum.member,
            doc_type=DocumentType.FORUM_RULES,
            title=forum.name,
            url=url,
            uploaded_by=actor,
        )
    else:
        document.title = forum.name
        document.url = url
        document.save(update_fields=["title", "url", "updated_at"])


@transaction.atomic
def document_add(
    member: Member,
    *,
    actor,
    doc_type: str,
    title: str,
    description: str = "",
    plan: ActionPlan | None = None,
    file=None,
    url: str = "",
    language: str = "",
    published_at: dt.datetime | None = None,
) -> RepositoryDocument:
    """Add a document to the member's public repository: a checked file or an address."""
    if not file and not url:
        raise DomainError(_("Attach a file or give its address."))
    if plan is not None and plan.member_id != member.pk:
        raise DomainError(_("The action plan belongs to another member."))
    document = RepositoryDocument(
        member=member,
        doc_type=doc_type,
        title=title,
        description=description,
        plan=plan,
        url=url,
        language=language,
        published_at=published_at or timezone.now(),
        uploaded_by=actor,
    )
    if file:
        document.file.save(file.name, file, save=False)
    document.save()
    record_event(actor, "forums.document.published", document, doc_type=doc_type)
    return document

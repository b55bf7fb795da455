"""Every write of the public repository: documents people add, and the entries the forum's
publications leave there (registered in RecordsConfig.ready, see forums/publications.py).

Each service takes the object first, then keyword-only `actor` and inputs, raises DomainError
with a message people can act on, and records one audit event.
"""

import datetime as dt

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.publications import Publication
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.stored_files import stored_files
from ogp_portal.organisations.models import Member
from ogp_portal.users.models import User
from plans.models import ActionPlan

from .choices import DocumentType
from .models import OutreachActivity, RepositoryDocument

# What each kind of forum publication is in the repository.
_PUBLICATION_TYPES = {
    "forum_rules": DocumentType.FORUM_RULES,
    "round_results": DocumentType.OTHER,
    "meeting_minutes": DocumentType.MEETING_MINUTES,
}


def document_add(
    member: Member,
    *,
    actor: User,
    doc_type: str,
    title: str,
    description: str = "",
    plan: ActionPlan | None = None,
    file: File | None = None,
    url: str = "",
    language: str = "",
    published_at: dt.datetime | None = None,
) -> RepositoryDocument:
    """Add a document to the member's public repository: a checked file or an address.
    A file that cannot be stored raises FileStorageError and saves nothing."""
    if not file and not url:
        raise DomainError(_("Attach a file or give its address."))
    if plan is not None and plan.member_id != member.pk:
        raise DomainError(_("The action plan belongs to another member."))
    with stored_files() as files, transaction.atomic():
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
            files.save(document.file, file)
        document.save()
        record_event(actor, "forums.document.published", document, doc_type=doc_type)
    return document


def document_record_publication(publication: Publication) -> RepositoryDocument:
    """Keep what the forum published on the member's record (a forums.publications hook).

    The rules of participation are one entry, updated when they change (no audit event of its
    own: the forum's service records the change); every other publication is a new entry.
    Runs inside the forum service's transaction."""
    member_id = publication.forum.member_id
    doc_type = _PUBLICATION_TYPES[publication.kind]
    if publication.kind == "forum_rules":
        document = RepositoryDocument.objects.filter(
            member_id=member_id, doc_type=doc_type, meeting__isnull=True
        ).first()
        if document is not None:
            document.title = publication.title
            document.url = publication.url
            document.save(update_fields=["title", "url", "updated_at"])
            return document
    fields = {"published_at": publication.published_at} if publication.published_at else {}
    return RepositoryDocument.objects.create(
        member_id=member_id,
        doc_type=doc_type,
        title=publication.title,
        plan=publication.plan,
        meeting=publication.meeting,
        url=publication.url,
        uploaded_by=publication.actor,
        **fields,
    )


def outreach_record(
    plan: ActionPlan,
    *,
    actor: User,
    title: str,
    place: str,
    held_on: dt.date,
    audience: str,
    materials: str = "",
    evidence: File | None = None,
    evidence_url: str = "",
) -> OutreachActivity:
    """Record an outreach activity of `plan` (MR 3.2). It is public at once, counts on the
    plan's self-assessment and leaves an entry in the member's repository. A file that
    cannot be stored raises FileStorageError and saves nothing."""
    if plan.is_draft:
        raise DomainError(
            _("Publish the plan's co-creation timeline before recording its outreach.")
        )
    with stored_files() as files, transaction.atomic():
        activity = OutreachActivity(
            plan=plan,
            title=title,
            place=place,
            held_on=held_on,
            audience=audience,
            materials=materials,
            evidence_url=evidence_url,
            recorded_by=actor,
        )
        if evidence:
            files.save(activity.evidence, evidence)
        activity.save()
        RepositoryDocument.objects.create(
            member_id=plan.member_id,
            doc_type=DocumentType.OUTREACH,
            title=title,
            description=_("%(place)s, %(date)s. Audience: %(audience)s.")
            % {"place": place, "date": held_on.isoformat(), "audience": audience},
            plan=plan,
            outreach=activity,
            url=activity.get_absolute_url(),
            uploaded_by=actor,
        )
        record_event(actor, "records.outreach.recorded", activity, plan=plan.pk)
    return activity

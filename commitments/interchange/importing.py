"""Importing rows: a preview first ("N new, M changed, K unchanged"), kept until it is
confirmed; then every row is applied in one transaction through the services, under the
plan's import lock. A row whose ogp_id is a commitment of the plan updates it; any other
row adds a commitment. Every row is checked before anything is written."""

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment, CommitmentImport, CommitmentImportLock, Milestone
from commitments.services import (
    commitment_create,
    commitment_update,
    milestone_create,
    milestone_update,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError, require_editable
from ogp_portal.users.models import User
from plans.models import ActionPlan

from .checking import (
    _commitment_errors,
    _milestone_errors,
    _prepare,
    _Prepared,
    _text,
)
from .export import export_rows
from .reading import _file_error
from .schema import (
    COLUMNS,
    TEXT_FIELDS,
    VALUE_NAMES,
    ImportRejected,
    Row,
    RowError,
)


def _milestone_values(milestone: Milestone) -> dict[str, Any]:
    return {name: getattr(milestone, name) for name in _MILESTONE_FIELDS}


_MILESTONE_FIELDS = (
    "description",
    "expected_output",
    "responsible_actors",
    "start_date",
    "due_date",
    "status",
)

# The column a changed model field is shown under in the preview.
_FIELD_COLUMNS = {
    **{model_field: column for column, model_field in TEXT_FIELDS.items()},
    **dict.fromkeys(VALUE_NAMES, "values_flags"),
    "policy_area": "policy_areas",
    "start_date": "start",
    "end_date": "end",
    "status": "status",
    "irm_assessment": "irm_verifiable",
}


def _changed_fields(item: _Prepared) -> dict[str, Any]:
    """The model fields of an update whose value differs from the stored one."""
    existing = item.existing
    assert existing is not None  # noqa: S101 (only called for updates)
    return {
        name: value
        for name, value in item.fields.items()
        if (getattr(existing, "policy_area_id" if name == "policy_area" else name))
        != (value.pk if name == "policy_area" and value is not None else value)
    }


def _changed_columns(item: _Prepared) -> list[str]:
    """The file's columns whose values would change the commitment, in schema order."""
    columns = {_FIELD_COLUMNS[name] for name in _changed_fields(item)}
    if item.existing is not None and item.milestones is not None:
        kept = [_milestone_values(m) for m in item.existing.milestones.all()]
        if kept != item.milestones[: len(kept)] or len(item.milestones) > len(kept):
            columns.add("milestones")
    return [column for column in COLUMNS if column in columns]


@dataclass(frozen=True)
class PreviewRow:
    """One commitment of the file, as the preview lists it."""

    line: int
    ogp_id: str
    title: str
    columns: tuple[str, ...] = ()
    note: str = ""


@dataclass
class ImportPreview:
    """What importing a file would do: N new, M changed, K unchanged. `token` names the
    stored preview to confirm (None when there is nothing to do)."""

    new: list[PreviewRow]
    changed: list[PreviewRow]
    unchanged: list[PreviewRow]
    token: uuid.UUID | None = None

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)


class ImportStale(DomainError):
    """The plan's commitments changed between the preview and its confirmation (another
    import, an edit): nothing was applied; the rows are handed back for a new preview."""

    def __init__(self, rows: list[Row], file_name: str) -> None:
        self.rows = rows
        self.file_name = file_name
        super().__init__(
            _(
                "The plan's commitments changed after your preview (another import or an "
                "edit), so nothing was imported. Here is the preview again, against the "
                "plan as it is now: check it and confirm again."
            )
        )


class ImportGone(DomainError):
    """The preview to confirm is not there: applied already (`applied`), or expired."""

    def __init__(self, *, applied: bool) -> None:
        self.applied = applied
        super().__init__(
            _("This file was imported already.")
            if applied
            else _("This preview has expired or is not yours. Upload the file again.")
        )


PREVIEW_LIFETIME = dt.timedelta(hours=1)


def _plan_digest(plan: ActionPlan) -> str:
    """A hash of the plan's commitments and milestones as the export shows them: equal
    digests mean a previewed import still does exactly what the preview said."""
    rows = list(export_rows(plan, plan.primary_language))
    text = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _check(plan: ActionPlan, rows: list[Row]) -> tuple[list[_Prepared], ImportPreview]:
    """Every row checked and matched to the plan's commitments by OGP ID; raises
    ImportRejected listing every problem. Nothing is written."""
    areas: dict[str, Any] = {}
    for area in plan.policy_areas.all():
        areas.setdefault(area.name.casefold(), area)
    existing = {
        c.ogp_id: c
        for c in Commitment.objects.filter(plan=plan)
        .select_related("plan__member")
        .prefetch_related(Prefetch("milestones", Milestone.objects.order_by("position", "pk")))
    }
    titles = {c.title.strip().casefold(): c.ogp_id for c in existing.values()}
    seen: dict[str, int] = {}
    prepared: list[_Prepared] = []
    errors: list[RowError] = []
    preview = ImportPreview([], [], [])
    for row in rows:
        ogp_id = _text(row.values.get("ogp_id")).upper()
        target = existing.get(ogp_id)
        if target is not None and ogp_id in seen:
            errors.append(
                RowError(
                    row.line,
                    "ogp_id",
                    _("%(ogp_id)s is on line %(line)s already: one row per commitment.")
                    % {"ogp_id": ogp_id, "line": seen[ogp_id]},
                )
            )
            continue
        seen.setdefault(ogp_id, row.line)
        item, item_errors = _prepare(plan, areas, row, target)
        prepared.append(item)
        errors += item_errors
        title = item.fields.get("title") or (target.title if target else "")
        if target is None:
            note = ""
            if ogp_id:
                note = _("%(ogp_id)s is not a commitment of this plan: added with a new ID.") % {
                    "ogp_id": ogp_id
                }
            twin = titles.get(title.strip().casefold())
            if twin:
                note = _(
                    "%(ogp_id)s has the same title. To update it instead of adding a second "
                    "one, put %(ogp_id)s in the ogp_id column."
                ) % {"ogp_id": twin}
            preview.new.append(PreviewRow(row.line, "", title, note=note))
        else:
            columns = tuple(_changed_columns(item)) if not item_errors else ()
            entry = PreviewRow(row.line, ogp_id, title, columns)
            (preview.changed if columns else preview.unchanged).append(entry)
    if errors:
        raise ImportRejected(errors)
    return prepared, preview


def import_preview(
    plan: ActionPlan, *, actor: User, rows: list[Row], file_name: str = ""
) -> ImportPreview:
    """Check `rows` against `plan` and say what importing them would do, writing nothing
    but the preview itself: kept for PREVIEW_LIFETIME so `import_apply` can confirm it.

    Raises ImportRejected listing every problem (line, column, message)."""
    require_editable(plan)
    _prepared, preview = _check(plan, rows)
    now = timezone.now()
    CommitmentImport.objects.filter(expires_at__lt=now).delete()
    if preview.has_changes:
        preview.token = uuid.uuid4()
        CommitmentImport.objects.create(
            token=preview.token,
            plan=plan,
            created_by=actor,
            file_name=file_name[:255],
            rows=[{"line": row.line, "values": row.values} for row in rows],
            plan_digest=_plan_digest(plan),
            expires_at=now + PREVIEW_LIFETIME,
        )
    return preview


def _lock_plan(plan: ActionPlan) -> None:
    """Take the plan's import lock until the surrounding transaction ends: an upsert of its
    row, which a second import of the same plan waits for (PostgreSQL row lock; SQLite
    holds its one write lock for the whole transaction anyway)."""
    CommitmentImportLock.objects.bulk_create(
        [CommitmentImportLock(plan=plan, taken_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["plan"],
        update_fields=["taken_at"],
    )


def import_apply(plan: ActionPlan, *, actor: User, token: uuid.UUID) -> ImportPreview:
    """Apply the import previewed under `token`, all or nothing: new rows through
    commitment_create/milestone_create (new OGP IDs), changed ones through
    commitment_update/milestone_update (a version and an audit event each).

    Runs under the plan's import lock, so imports of one plan run one after the other.
    Raises ImportGone (already applied: a double click; or expired), ImportStale (the
    plan's commitments changed since the preview: nothing applied), ImportRejected (a
    problem found only while saving: nothing kept)."""
    with transaction.atomic():
        _lock_plan(plan)
        stored = CommitmentImport.objects.filter(token=token, plan=plan, created_by=actor).first()
        if stored is None or stored.applied_at is not None or stored.expires_at <= timezone.now():
            raise ImportGone(applied=stored is not None and stored.applied_at is not None)
        rows = [Row(item["line"], item["values"]) for item in stored.rows]
        if _plan_digest(plan) != stored.plan_digest:
            raise ImportStale(rows, stored.file_name)
        prepared, preview = _check(plan, rows)
        _write(plan, actor, prepared)
        CommitmentImport.objects.filter(pk=stored.pk).update(applied_at=timezone.now())
        record_event(
            actor,
            "commitments.commitment.imported",
            plan,
            count=len(preview.new),
            updated=len(preview.changed),
        )
    return preview


def import_commitments(plan: ActionPlan, *, actor: User, rows: list[Row]) -> ImportPreview:
    """Check and apply `rows` at once, without a stored preview (for scripts): the same
    checks, matching by OGP ID and lock as a confirmed preview."""
    require_editable(plan)
    with transaction.atomic():
        _lock_plan(plan)
        prepared, preview = _check(plan, rows)
        _write(plan, actor, prepared)
        record_event(
            actor,
            "commitments.commitment.imported",
            plan,
            count=len(preview.new),
            updated=len(preview.changed),
        )
    return preview


def _write(plan: ActionPlan, actor: User, prepared: list[_Prepared]) -> None:
    """Save the prepared rows through the services, inside the caller's transaction; a
    problem found only now (milestone dates against the saved commitment) is collected for
    every row, then raised as ImportRejected, which rolls everything back."""
    errors: list[RowError] = []
    for item in prepared:
        # The services run their writes in savepoints of their own, so a row that fails
        # here leaves the transaction usable for checking the rows after it.
        try:
            if item.existing is None:
                errors += _create(plan, actor, item)
            else:
                errors += _update(actor, item)
        except ValidationError as error:
            errors += _commitment_errors(item.line, error)
        except IntegrityError as error:
            errors.append(
                RowError(
                    item.line,
                    "",
                    _("This commitment could not be saved: %(error)s") % {"error": error},
                )
            )
        except ImportRejected:
            raise
        except DomainError as error:
            # A rule about the whole plan (archived, no IDs left, someone saving the same
            # commitment right now): one message is enough.
            raise _file_error(str(error)) from error
    if errors:
        # Leaving the transaction with an exception rolls back every row saved above.
        raise ImportRejected(errors)


def _create(plan: ActionPlan, actor: User, item: _Prepared) -> list[RowError]:
    errors: list[RowError] = []
    commitment = commitment_create(plan, actor=actor, **item.fields)
    for number, milestone_fields in enumerate(item.milestones or [], start=1):
        try:
            milestone_create(commitment, actor=actor, **milestone_fields)
        except ValidationError as error:
            errors += _milestone_errors(item.line, number, error)
    return errors


def _update(actor: User, item: _Prepared) -> list[RowError]:
    errors: list[RowError] = []
    commitment = item.existing
    assert commitment is not None  # noqa: S101 (only called for updates)
    changed = _changed_fields(item)
    if changed:
        commitment = commitment_update(
            commitment, actor=actor, expected_version=commitment.version, **changed
        )
    if item.milestones is None:
        return errors
    kept = list(commitment.milestones.order_by("position", "pk"))
    for number, milestone_fields in enumerate(item.milestones, start=1):
        try:
            if number > len(kept):
                milestone_create(commitment, actor=actor, **milestone_fields)
                continue
            milestone = kept[number - 1]
            diff = {
                name: value
                for name, value in milestone_fields.items()
                if getattr(milestone, name) != value
            }
            if diff:
                milestone_update(milestone, actor=actor, expected_version=milestone.version, **diff)
        except ValidationError as error:
            errors += _milestone_errors(item.line, number, error)
    return errors

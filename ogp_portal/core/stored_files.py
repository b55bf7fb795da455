"""Writing uploaded files together with the rows that point at them, all or nothing.

A file is written to storage before its row is saved, so a failure in between used to leave
one half: a storage error (the media folder not writable, the disk full, the bucket
unreachable) came out as a bare 500 after the proposal row had been made, and a failure
after the file was written left the file behind with no row. Services that save uploads do
it through `stored_files()`::

    with stored_files() as files, transaction.atomic():
        attachment = ProposalAttachment(proposal=proposal, name=upload.name, size=upload.size)
        files.save(attachment.file, upload)
        attachment.save()

- A storage error becomes `FileStorageError`, a `DomainError`: the view shows the form again
  with what was typed and a clear message, and the transaction rolls back.
- Any error leaves no file behind: the files written in the block are deleted, unless their
  row was committed after all (a callback after the commit failed), which is checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from .errors import DomainError

logger = logging.getLogger(__name__)


class FileStorageError(DomainError):
    """An uploaded file could not be stored; nothing was saved."""


@dataclass
class StoredFiles:
    written: list[FieldFile] = field(default_factory=list)

    def save(self, field_file: FieldFile, upload: File) -> None:
        """Write `upload` to `field_file`'s storage (its row is saved by the caller)."""
        try:
            field_file.save(upload.name or "upload", upload, save=False)
        except Exception as error:  # OSError on disk; S3 backends raise their own errors
            logger.exception("could not store the upload %r", upload.name)
            raise FileStorageError(
                _(
                    "Your file could not be stored just now, so nothing was saved. Your text "
                    "is kept below: attach the file again and send it in a few minutes, or "
                    "send it without the file."
                )
            ) from error
        self.written.append(field_file)

    def discard(self) -> None:
        """Delete the files written here whose rows were not kept."""
        in_transaction = transaction.get_connection().in_atomic_block
        for field_file in self.written:
            # Inside a transaction, the error now unwinding it rolls the row back too.
            if not in_transaction and _row_kept(field_file):
                continue
            try:
                if field_file.name:
                    field_file.storage.delete(field_file.name)
            except Exception:  # a file left behind is logged, never a second error
                logger.exception("could not remove the stored file %r", field_file.name)


def _row_kept(field_file: FieldFile) -> bool:
    model = type(field_file.instance)
    try:
        return bool(
            model._default_manager.filter(**{field_file.field.name: field_file.name}).exists()
        )
    except DatabaseError:
        # Cannot tell: a file without a row is better than a row without its file.
        logger.warning("kept the file %r: could not check its row", field_file.name)
        return True


@contextmanager
def stored_files() -> Iterator[StoredFiles]:
    """Files saved through the yielded `StoredFiles` are removed again if the block fails."""
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        files.discard()
        raise

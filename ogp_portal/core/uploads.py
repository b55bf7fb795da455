"""Checking uploaded files by what they contain, not only by their name.

Documents: PDF, OpenDocument text (ODT) and Word (DOCX); images: PNG and JPEG. The extension
must match what the first bytes say the file is, so a renamed executable or HTML page is
refused. Every app validates uploads here.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCUMENT_KINDS = frozenset({"pdf", "odt", "docx"})
IMAGE_KINDS = frozenset({"png", "jpeg"})
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ZIP_MAGIC = b"PK\x03\x04"
_EXTENSIONS = {"pdf": {"pdf"}, "odt": {"odt"}, "docx": {"docx"}, "png": {"png"},
               "jpeg": {"jpg", "jpeg"}}  # fmt: skip


def sniff_type(uploaded) -> str | None:
    """'pdf', 'odt', 'docx', 'png', 'jpeg' or None, from the file's content."""
    uploaded.seek(0)
    head = uploaded.read(128)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if not head.startswith(ZIP_MAGIC):
        return None
    # An ODT stores an uncompressed `mimetype` entry first, so its value sits at byte 38.
    if head[30:38] == b"mimetype" and head[38 : 38 + len(ODT_MIMETYPE)] == ODT_MIMETYPE:
        return "odt"
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    return None


def validate_upload(uploaded, kinds=DOCUMENT_KINDS | IMAGE_KINDS) -> str:
    """Raise ValidationError unless `uploaded` is one of `kinds` and at most 10 MB; return
    the kind found."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    kind = sniff_type(uploaded)
    extension = Path(uploaded.name or "").suffix.lower().lstrip(".")
    if kind is None or kind not in kinds or extension not in _EXTENSIONS[kind]:
        if kinds <= DOCUMENT_KINDS:
            message = _(
                "Upload a PDF, ODT or DOCX document (the file's content must match its name)."
            )
        else:
            message = _(
                "Upload a PDF, ODT or DOCX document or a PNG or JPEG image (the file's content "
                "must match its name)."
            )
        raise ValidationError(message)
    return kind


def validate_document(uploaded) -> str:
    """A PDF, ODT or DOCX document, or a PNG/JPEG image (evidence, attachments)."""
    return validate_upload(uploaded)


def validate_document_only(uploaded) -> str:
    """A PDF, ODT or DOCX document (minutes, repository files)."""
    return validate_upload(uploaded, DOCUMENT_KINDS)

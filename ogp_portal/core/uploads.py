"""Checking uploaded files by what they contain, not only by their name.

Documents: PDF, OpenDocument text (ODT) and Word (DOCX); images: PNG and JPEG. The extension
must match what the first bytes say the file is, so a renamed executable or HTML page is
refused. Every app validates uploads here.

Beyond the type: an image may not declare more pixels than UPLOAD_MAX_IMAGE_PIXELS (checked
from the header, before anything is decoded), and is re-saved without its metadata (EXIF,
GPS, text chunks) so nothing the camera recorded reaches other people; an archive (ODT,
DOCX) may not hold absolute or `../` paths, nor expand beyond UPLOAD_MAX_ZIP_RATIO times
its size or UPLOAD_MAX_UNCOMPRESSED_BYTES (a zip bomb).
"""

import io
import logging
import posixpath
import re
import warnings
import zipfile
from pathlib import Path

from django.conf import settings
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


logger = logging.getLogger(__name__)
_DRIVE = re.compile(r"^[A-Za-z]:")


def check_archive(uploaded) -> None:
    """Refuse a zip-based document with a path that leaves the archive, or that expands far
    beyond its size. Only the central directory is read; nothing is extracted."""
    refused = ValidationError(
        _("This document cannot be accepted: its archive holds unsafe or oversized entries.")
    )
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise refused from error
    finally:
        uploaded.seek(0)
    expanded = 0
    for entry in entries:
        name = entry.filename
        parts = name.replace("\\", "/").split("/")
        if (
            name.startswith(("/", "\\"))
            or _DRIVE.match(name)
            or ".." in parts
            or posixpath.isabs(name)
            or "\x00" in name
        ):
            logger.warning("Upload refused: archive path %r in %r", name, uploaded.name)
            raise refused
        expanded += entry.file_size
    ratio = expanded / max(uploaded.size, 1)
    if expanded > settings.UPLOAD_MAX_UNCOMPRESSED_BYTES or ratio > settings.UPLOAD_MAX_ZIP_RATIO:
        logger.warning(
            "Upload refused: archive %r expands to %d bytes (ratio %.0f)",
            uploaded.name,
            expanded,
            ratio,
        )
        raise refused


def _open_image(uploaded):
    """The image, opened lazily (Pillow reads only the header), or ValidationError when it
    declares more pixels than allowed or cannot be read."""
    from PIL import Image

    limit = settings.UPLOAD_MAX_IMAGE_PIXELS
    too_big = ValidationError(
        _("The image is too large: at most %(limit)s megapixels.")
        % {"limit": f"{limit / 1_000_000:g}"}
    )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_big from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("The image could not be read.")) from error
    width, height = image.size
    if width * height > limit:
        raise too_big
    return image


def strip_image_metadata(uploaded, kind: str) -> None:
    """Re-save the image in place without EXIF/GPS/text metadata, with its EXIF orientation
    applied to the pixels first so it still shows the right way up."""
    from PIL import Image, ImageOps

    image = _open_image(uploaded)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise ValidationError(_("The image could not be read.")) from error
    output = io.BytesIO()
    icc_profile = image.info.get("icc_profile")
    if kind == "jpeg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=90, icc_profile=icc_profile)
    else:
        image.save(output, "PNG", icc_profile=icc_profile)
    data = output.getvalue()
    uploaded.seek(0)
    uploaded.truncate()
    uploaded.write(data)
    uploaded.size = len(data)
    uploaded.seek(0)


def validate_upload(uploaded, kinds=DOCUMENT_KINDS | IMAGE_KINDS) -> str:
    """Raise ValidationError unless `uploaded` is one of `kinds` and at most 10 MB; return
    the kind found. Archives are checked for unsafe entries; images for their pixel count,
    and re-saved in place without metadata."""
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
    if kind in ("odt", "docx"):
        check_archive(uploaded)
    elif kind in IMAGE_KINDS:
        strip_image_metadata(uploaded, kind)
    return kind


def validate_document(uploaded) -> str:
    """A PDF, ODT or DOCX document, or a PNG/JPEG image (evidence, attachments)."""
    return validate_upload(uploaded)


def validate_document_only(uploaded) -> str:
    """A PDF, ODT or DOCX document (minutes, repository files)."""
    return validate_upload(uploaded, DOCUMENT_KINDS)

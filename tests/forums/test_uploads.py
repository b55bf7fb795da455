"""Uploads are recognised by their first bytes, not their names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ogp_portal.core.uploads import MAX_UPLOAD_BYTES
from ogp_portal.core.uploads import sniff_type as sniff_document_type
from ogp_portal.core.uploads import validate_document_only as validate_document_upload


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored first and uncompressed, as ODF requires
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", b"%PDF-1.4\n...", "pdf"),
        ("a.odt", None, "odt"),
        ("a.docx", None, "docx"),
        ("a.zip", None, None),
        ("a.html", b"<html></html>", None),
    ],
)
def test_sniffing(name, content, kind):
    content = (
        content or {"a.odt": odt_bytes, "a.docx": docx_bytes, "a.zip": plain_zip_bytes}[name]()
    )
    assert sniff_document_type(SimpleUploadedFile(name, content)) == kind


def test_accepts_real_documents_with_matching_names():
    validate_document_upload(SimpleUploadedFile("m.pdf", b"%PDF-1.7 x"))
    validate_document_upload(SimpleUploadedFile("m.ODT", odt_bytes()))
    validate_document_upload(SimpleUploadedFile("m.docx", docx_bytes()))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("m.pdf", b"<script>alert(1)</script>"),  # a renamed page
        ("m.docx", b"%PDF-1.7 x"),  # a PDF called .docx
        ("m.docx", None),  # a zip that is not a Word file
        ("m.exe", b"%PDF-1.7 x"),  # a PDF with a foreign extension
    ],
)
def test_refuses_renamed_or_foreign_files(name, content):
    content = content or plain_zip_bytes()
    with pytest.raises(ValidationError):
        validate_document_upload(SimpleUploadedFile(name, content))


def test_refuses_files_over_ten_megabytes():
    big = SimpleUploadedFile("m.pdf", b"%PDF-1.7" + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError, match="limit"):
        validate_document_upload(big)

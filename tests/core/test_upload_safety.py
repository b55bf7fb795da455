"""Uploads that could hurt the server or the people in them are refused or cleaned (#13):
images declaring huge sizes, camera metadata (GPS), archives with escaping paths or bombs,
and /media/ that must never serve files directly, even with DEBUG on."""

import importlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from PIL import Image

from commitments.models import ProgressUpdate
from plans.choices import PlanStatus
from tests.factories import CommitmentFactory, PlanFactory

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _png_declaring(width, height):
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg_with_gps(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 22.0, 7.5)
    gps[3] = "E"
    gps[4] = (4.0, 53.0, 30.0)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _docx(extra_entries=(), compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in extra_entries:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def post_evidence(client_for, commitment_lead, member):
    plan = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    commitment = CommitmentFactory(plan=plan)
    client = client_for(commitment_lead)

    def post(name, content):
        response = client.post(
            reverse("commitments:progress-create", args=[commitment.ogp_id]),
            {"narrative": "See the file.", "evidence_file": SimpleUploadedFile(name, content)},
        )
        return response, commitment, client

    return post


def test_a_png_declaring_50000_by_50000_pixels_is_refused_unread(post_evidence):
    response, commitment, _client = post_evidence("plan.png", _png_declaring(50_000, 50_000))
    assert response.status_code == 200
    assert "The image is too large: at most 40 megapixels." in response.content.decode()
    assert not commitment.progress_updates.exists()


@override_settings(UPLOAD_MAX_IMAGE_PIXELS=500)
def test_the_pixel_limit_is_a_setting(post_evidence):
    response, commitment, _client = post_evidence("plan.png", _png_declaring(30, 20))
    assert "The image is too large" in response.content.decode()
    assert not commitment.progress_updates.exists()


def test_gps_and_exif_are_gone_after_upload_and_download(post_evidence):
    original = _jpeg_with_gps(orientation=6)  # "rotate 90° clockwise to display"
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    response, commitment, client = post_evidence("site.jpg", original)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(commitment=commitment)
    download = client.get(reverse("commitments:evidence-download", args=[update.pk]))
    assert download.status_code == 200
    served = b"".join(download.streaming_content)
    assert served != original
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG"
    assert not image.getexif()  # no EXIF at all: no GPS, no camera, no orientation tag
    assert b"PhoneMaker" not in served
    assert image.size == (20, 40)  # the orientation was applied to the pixels


def test_png_text_metadata_is_stripped(post_evidence):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "taken at home, 12 Main Street")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG", pnginfo=info)
    response, commitment, _client = post_evidence("map.png", buffer.getvalue())
    assert response.status_code == 302
    stored = ProgressUpdate.objects.get(commitment=commitment).evidence_file.read()
    assert b"Main Street" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 8)


@pytest.mark.parametrize(
    "entry", ["../../etc/cron.d/evil", "/etc/passwd", "word\\..\\..\\evil.xml", "C:/evil.xml"]
)
def test_a_docx_with_an_escaping_path_is_refused(post_evidence, entry):
    response, commitment, _client = post_evidence("report.docx", _docx([(entry, "x")]))
    assert response.status_code == 200
    assert "unsafe or oversized entries" in response.content.decode()
    assert not commitment.progress_updates.exists()


def test_a_zip_bomb_docx_is_refused(post_evidence):
    bomb = _docx([("word/media/zeros.xml", b"\x00" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    response, commitment, _client = post_evidence("report.docx", bomb)
    assert "unsafe or oversized entries" in response.content.decode()
    assert not commitment.progress_updates.exists()


def test_an_ordinary_docx_is_still_accepted(post_evidence):
    response, commitment, _client = post_evidence(
        "report.docx", _docx([("word/styles.xml", "<s/>")])
    )
    assert response.status_code == 302
    assert commitment.progress_updates.count() == 1


@pytest.fixture
def debug_urls(settings):
    import ogp_portal.urls

    settings.DEBUG = True
    importlib.reload(ogp_portal.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(ogp_portal.urls)
    clear_url_caches()


def test_media_is_not_served_even_with_debug_on(debug_urls, settings, client):
    private = settings.MEDIA_ROOT / "commitments" / "evidence" / "private.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"%PDF-1.4 private")
    url = "/" + settings.MEDIA_URL.strip("/") + "/commitments/evidence/private.pdf"
    response = client.get(url)
    assert response.status_code == 404

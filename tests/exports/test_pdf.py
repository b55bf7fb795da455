"""The renderer: offline (only our static files), tagged, with our metadata and fonts."""

import contextlib
import gc
import http.server
import io
import threading
from pathlib import Path

import pypdf
import pytest
from django.contrib.staticfiles import finders

from ogp_portal.core.pdf import (
    PDF_BASE_URL,
    StaticFilesFetcher,
    cyclic_gc_paused,
    render_pdf,
)

from .conftest import pdf_font_names


@pytest.fixture
def http_server():
    """A local web server that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- the name http.server calls
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_rendering_fetches_nothing_but_our_static_files(http_server):
    url, hits = http_server
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Offline</title>
    <link rel="stylesheet" href="/static/css/pdf.css">
    <link rel="stylesheet" href="{url}/evil.css"></head>
    <body><h1>Hello</h1><img src="{url}/tracker.png" alt="">
    <img src="/static/../ogp_portal/settings/base.py" alt=""></body></html>"""
    steps = []

    data = render_pdf(html, on_step=lambda step, page: steps.append((step, page)))

    assert hits == []
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Offline"
    root = reader.root_object
    assert root["/Lang"] == "en"
    mark_info = root["/MarkInfo"]
    assert isinstance(mark_info, pypdf.generic.DictionaryObject)
    assert bool(mark_info["/Marked"])  # tagged PDF
    assert "/StructTreeRoot" in root
    # The bundled font came from static/fonts through the fetcher
    assert "NotoSansBold" in pdf_font_names(data)
    # Progress: WeasyPrint's steps, with the page being laid out
    assert (5, 1) in steps
    assert max(step for step, _page in steps) == 7


MINIMAL = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>GC</title>
<link rel="stylesheet" href="/static/css/pdf.css"></head><body><h1>Hello</h1></body></html>"""


def test_the_cyclic_garbage_collector_is_paused_while_rendering_and_restored():
    assert gc.isenabled()
    during = []

    data = render_pdf(MINIMAL, on_step=lambda _step, _page: during.append(gc.isenabled()))

    assert data.startswith(b"%PDF")
    assert during
    assert not any(during)
    assert gc.isenabled()


def test_a_render_leaves_a_collector_that_was_off_off():
    gc.disable()
    try:
        render_pdf(MINIMAL)

        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_renders_share_one_pause():
    # Two renders in threads, the first to start finishing first: it must not turn the
    # collector back on under the other.
    first, second = contextlib.ExitStack(), contextlib.ExitStack()
    first.enter_context(cyclic_gc_paused())
    second.enter_context(cyclic_gc_paused())

    first.close()

    assert not gc.isenabled()
    second.close()
    assert gc.isenabled()


# --- the URL fetcher -------------------------------------------------------------------------


@pytest.fixture
def reads(monkeypatch):
    """Every file the fetcher reads (Path.read_bytes still reads; this only records)."""
    seen = []
    read_bytes = Path.read_bytes

    def recording(self):
        seen.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    return seen


@pytest.mark.parametrize(
    "url",
    [
        "/static//etc/passwd",
        "/static/%2Fetc%2Fpasswd",
        "/static/../../etc/passwd",
        "/static/css/..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/css\\..\\..\\etc\\passwd",
        "file:///etc/passwd",
        "http://example.org/x.css",
        "http://pdf.ogp-portal.invalid/static/css/pdf.css",  # our host, but not https
    ],
)
def test_the_fetcher_refuses_anything_outside_the_static_folders(url, reads):
    absolute = url if ":" in url else PDF_BASE_URL.rstrip("/") + url

    with pytest.raises(ValueError, match="does not fetch|No static file"):
        StaticFilesFetcher().fetch(absolute)

    assert reads == []


def test_the_fetcher_refuses_a_link_out_of_the_static_folder(tmp_path, settings, reads):
    # Given a static folder with a symbolic link to a file elsewhere on the disk
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "fine.css").write_text("p { color: black }")
    (static / "css" / "leak.css").symlink_to(secret)
    settings.STATICFILES_DIRS = [static]

    with pytest.raises(ValueError, match="No static file"):
        StaticFilesFetcher().fetch(PDF_BASE_URL + "static/css/leak.css")

    assert reads == []
    served = StaticFilesFetcher().fetch(PDF_BASE_URL + "static/css/fine.css")
    assert _content(served) == b"p { color: black }"


@pytest.mark.parametrize(
    ("relative", "mime_type"),
    [("css/pdf.css", "text/css"), ("fonts/NotoSans-Regular.ttf", "font/ttf")],
)
def test_the_fetcher_serves_our_css_and_fonts(relative, mime_type):
    response = StaticFilesFetcher().fetch(PDF_BASE_URL + "static/" + relative)

    assert _content(response) == Path(finders.find(relative)).read_bytes()
    assert response.headers["Content-Type"] == mime_type


def _content(response) -> bytes:
    return response.read() if hasattr(response, "read") else response.string

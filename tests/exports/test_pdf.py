"""The renderer: offline (only our static files), tagged, with our metadata and fonts."""

import http.server
import io
import threading

import pypdf
import pytest

from ogp_portal.core.pdf import render_pdf

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
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged PDF
    assert "/StructTreeRoot" in root
    # The bundled font came from static/fonts through the fetcher
    assert "NotoSansBold" in pdf_font_names(data)
    # Progress: WeasyPrint's steps, with the page being laid out
    assert (5, 1) in steps
    assert max(step for step, _page in steps) == 7
